import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  oauth2Scheme,
  type ToolsetOptions,
} from '../index.js';
import { minimalScopeCover } from './required-scopes.js';

const FULL = 'https://mail.example/';
const MODIFY = 'mail.modify';
const READ = 'mail.readonly';
const SEND = 'mail.send';
const SETTINGS = 'mail.settings';

describe('minimalScopeCover', () => {
  it('takes the narrowest single scope that covers every action', () => {
    const catalogue = [[FULL, MODIFY, READ], [FULL, MODIFY, SEND], [FULL, MODIFY], [FULL], [FULL, SETTINGS]];
    // FULL covers the first two as well, but it allows all five actions; MODIFY only three.
    expect(minimalScopeCover(catalogue.slice(0, 2), catalogue)).toEqual([MODIFY]);
    expect(minimalScopeCover([catalogue[0] as string[]], catalogue)).toEqual([READ]);
    expect(minimalScopeCover(catalogue, catalogue)).toEqual([FULL]);
  });

  it('takes an only alternative first, then covers the rest with as few scopes as possible', () => {
    expect(minimalScopeCover([[SETTINGS], [READ, MODIFY], [SEND, MODIFY]])).toEqual([MODIFY, SETTINGS]);
    expect(minimalScopeCover([[SETTINGS], [READ, SETTINGS]])).toEqual([SETTINGS]);
  });

  it('asks for nothing for actions without scopes, and ignores repeats', () => {
    expect(minimalScopeCover([])).toEqual([]);
    expect(minimalScopeCover([[], []])).toEqual([]);
    expect(minimalScopeCover([[READ, READ], [READ], []])).toEqual([READ]);
  });

  it('is deterministic whatever the order of actions and alternatives', () => {
    const needs = [
      ['b', 'c'],
      ['a', 'c'],
      ['a', 'b'],
    ];
    const reversed = needs.map((need) => [...need].reverse()).reverse();
    expect(minimalScopeCover(needs)).toEqual(['a', 'b']);
    expect(minimalScopeCover(reversed)).toEqual(['a', 'b']);
  });

  it('always covers every action, with no more scopes than a greedy cover (property)', () => {
    const scope = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.array(fc.array(scope, { maxLength: 4 }), { maxLength: 12 }), (needs) => {
        const cover = minimalScopeCover(needs);
        for (const need of needs) if (need.length > 0) expect(need.some((item) => cover.includes(item))).toBe(true);
        expect([...cover].sort()).toEqual(cover);
        // A cover never needs more scopes than there are distinct non-empty needs.
        expect(cover.length).toBeLessThanOrEqual(new Set(needs.filter((need) => need.length > 0).map(String)).size);
      }),
    );
  });

  it('falls back to a greedy cover when the exact search would be too large, still covering everything', () => {
    const needs = Array.from({ length: 40 }, (_, index) => [
      `s${index}`,
      `s${(index + 1) % 40}`,
      `s${(index + 7) % 40}`,
    ]);
    const cover = minimalScopeCover(needs);
    for (const need of needs) expect(need.some((item) => cover.includes(item))).toBe(true);
  });
});

function mailToolset(options: { scopes?: boolean; oauthApps?: ToolsetOptions['oauthApps'] } = {}) {
  const withScopes = options.scopes ?? true;
  const action = (name: string, method: string, scopes: string[]) =>
    defineAction({
      name,
      description: `${name}.`,
      input: z.object({}),
      request: `${method} /x`,
      ...(withScopes ? { scopes } : {}),
    });
  const connector = defineConnector({
    id: 'mail',
    name: 'Mail',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'https://api.mail.example',
    authSchemes: [
      oauth2Scheme({
        authorizationUrl: 'https://auth.mail.example/authorize',
        tokenUrl: 'https://auth.mail.example/token',
        defaultScopes: ['default.scope'],
      }),
    ],
    actions: [action('MAIL_READ', 'GET', [FULL, MODIFY, READ]), action('MAIL_SEND', 'POST', [FULL, MODIFY, SEND])],
    generatedActions: () => [
      action('MAIL_DELETE_FOREVER', 'DELETE', [FULL]),
      action('MAIL_UPDATE_SETTINGS', 'PUT', [SETTINGS]),
    ],
  });
  return createToolset({ connectors: [connector], ...(options.oauthApps ? { oauthApps: options.oauthApps } : {}) });
}

async function authorizeScope(
  toolset: ReturnType<typeof createToolset>,
  params: { actions?: string[]; scopes?: string[] },
) {
  const integration = await toolset.createIntegration({
    app: 'mail',
    authMode: 'OAUTH2',
    authConfig: { client_id: 'id', client_secret: 'secret', ...(params.scopes ? { scopes: params.scopes } : {}) },
    ...(params.actions ? { actions: params.actions } : {}),
  });
  const request = await toolset.initiateConnection({
    integrationId: integration.id,
    redirectUri: 'https://app.example/callback',
  });
  return { integration, scope: new URL(request.redirectUrl as string).searchParams.get('scope') };
}

describe('toolset.requiredScopes', () => {
  it('covers the named actions, or every action of the app (generated ones included)', () => {
    const toolset = mailToolset();
    expect(toolset.requiredScopes({ app: 'mail', actions: ['MAIL_READ', 'MAIL_SEND'] })).toEqual([MODIFY]);
    expect(toolset.requiredScopes({ app: 'mail', actions: ['MAIL_READ'] })).toEqual([READ]);
    expect(toolset.requiredScopes({ app: 'mail' })).toEqual([FULL, SETTINGS]);
  });

  it('refuses an unknown action or one of another app', () => {
    const toolset = mailToolset();
    expect(() => toolset.requiredScopes({ app: 'mail', actions: ['MAIL_NOPE'] })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
    const custom = toolset.createAction({
      name: 'OTHER_THING',
      description: 'Bound to no app.',
      input: z.object({}),
      run: async () => null,
    });
    expect(() => toolset.requiredScopes({ app: 'mail', actions: [custom.name] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => toolset.requiredScopes({ app: 'nope' })).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
  });

  it('is empty for an app whose actions declare no scopes', () => {
    expect(mailToolset({ scopes: false }).requiredScopes({ app: 'mail' })).toEqual([]);
  });
});

describe('an OAUTH2 integration created without scopes', () => {
  it('asks for what its offered actions need', async () => {
    const toolset = mailToolset();
    const offered = await authorizeScope(toolset, { actions: ['MAIL_READ', 'MAIL_SEND'] });
    expect(offered.scope).toBe(MODIFY);
    expect(offered.integration.authConfig['scopes']).toEqual([MODIFY]);
    // Naming none offers the curated actions, not the generated catalogue (which needs FULL and SETTINGS).
    expect((await authorizeScope(toolset, {})).scope).toBe(MODIFY);
    expect(toolset.requiredScopes({ app: 'mail' })).toEqual([FULL, SETTINGS]);
  });

  it('keeps the scopes it is given, and the scheme defaults when the actions declare none', async () => {
    expect((await authorizeScope(mailToolset(), { scopes: ['x.y'], actions: ['MAIL_READ'] })).scope).toBe('x.y');
    expect((await authorizeScope(mailToolset({ scopes: false }), {})).scope).toBe('default.scope');
  });

  it('refuses an action that is not the app’s before saving anything', async () => {
    const toolset = mailToolset();
    await expect(authorizeScope(toolset, { actions: ['MAIL_NOPE'] })).rejects.toMatchObject({
      code: 'ACTION_NOT_FOUND',
    });
    expect(await toolset.listIntegrations()).toEqual([]);
  });

  it('computes them for the integration initiateConnection creates with the toolset’s oauthApps', async () => {
    const toolset = mailToolset({ oauthApps: { mail: { client_id: 'id', client_secret: 'secret' } } });
    const request = await toolset.initiateConnection({ app: 'mail', redirectUri: 'https://app.example/callback' });
    expect(new URL(request.redirectUrl as string).searchParams.get('scope')).toBe(MODIFY);
    const withScopes = mailToolset({ oauthApps: { mail: { client_id: 'id', client_secret: 's', scopes: [READ] } } });
    const second = await withScopes.initiateConnection({ app: 'mail', redirectUri: 'https://app.example/callback' });
    expect(new URL(second.redirectUrl as string).searchParams.get('scope')).toBe(READ);
  });
});
