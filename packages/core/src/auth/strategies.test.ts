import { describe, expect, it } from 'vitest';
import { AUTH_MODES, type AuthMode } from '../spec/auth-scheme.js';
import type { ConnectionRecord } from '../store/store.js';
import { AUTH_STRATEGIES, strategyFor } from './strategies.js';

const connection = (authMode: AuthMode, credentials: Record<string, string>): ConnectionRecord => ({
  id: 'c1',
  integrationId: 'i1',
  app: 'acme',
  authMode,
  entityId: 'default',
  status: 'ACTIVE',
  credentials,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('auth strategies', () => {
  it('registers exactly one strategy per auth mode, under its own mode', () => {
    expect(Object.keys(AUTH_STRATEGIES).sort()).toEqual([...AUTH_MODES].sort());
    for (const mode of AUTH_MODES) expect(strategyFor(mode).mode).toBe(mode);
  });

  it('refuses a mode it does not know, naming it', () => {
    expect(() => strategyFor('SAML' as AuthMode)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_AUTH_MODE', message: expect.stringContaining('SAML') }),
    );
  });

  it('connects through a flow only for the modes that need one', () => {
    const flowModes = AUTH_MODES.filter((mode) => strategyFor(mode).connect !== undefined);
    expect(flowModes.sort()).toEqual(['BASIC_WITH_JWT', 'OAUTH1', 'OAUTH2', 'SIGNED_ASSERTION']);
    const callbackModes = AUTH_MODES.filter((mode) => strategyFor(mode).complete !== undefined);
    expect(callbackModes.sort()).toEqual(['OAUTH1', 'OAUTH2']);
  });

  it('refreshes OAuth 2.0 only with a refresh token or client credentials, and the token modes always', () => {
    const refreshable = (mode: AuthMode, credentials: Record<string, string> = {}) =>
      strategyFor(mode).isRefreshable?.(connection(mode, credentials)) ?? false;
    expect(refreshable('OAUTH2', { access_token: 'a' })).toBe(false);
    expect(refreshable('OAUTH2', { access_token: 'a', refresh_token: 'r' })).toBe(true);
    expect(refreshable('OAUTH2', { access_token: 'a', grant_type: 'client_credentials' })).toBe(true);
    expect(refreshable('BASIC_WITH_JWT')).toBe(true);
    expect(refreshable('SIGNED_ASSERTION')).toBe(true);
    for (const mode of ['API_KEY', 'BASIC', 'BEARER_TOKEN', 'NO_AUTH', 'OAUTH1'] as const)
      expect(refreshable(mode, { refresh_token: 'r' })).toBe(false);
  });

  it('finds the pending state of an OAuth 2.0 callback by state and of an OAuth 1.0a one by its token', () => {
    const params = new URLSearchParams({ oauth_token: 'tok', oauth_verifier: 'v' });
    expect(strategyFor('OAUTH2').callbackState?.(params)).toBeUndefined();
    expect(strategyFor('OAUTH1').callbackState?.(params)).toBe('oauth1:tok');
    expect(strategyFor('OAUTH2').callbackState?.(new URLSearchParams({ state: 's', code: 'c' }))).toBe('s');
  });

  it('lets only NO_AUTH call an app without credentials, and only OAuth modes use the default OAuth apps', () => {
    expect(AUTH_MODES.filter((mode) => strategyFor(mode).anonymous)).toEqual(['NO_AUTH']);
    expect(AUTH_MODES.filter((mode) => strategyFor(mode).usesOAuthApps).sort()).toEqual(['OAUTH1', 'OAUTH2']);
  });
});
