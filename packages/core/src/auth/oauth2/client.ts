import { PlugboardError } from '../../errors.js';
import type { AuthScheme, OAuth2Settings } from '../../spec/auth-scheme.js';
import type { Connector } from '../../spec/connector.js';
import type { OAuth2Client } from './token-endpoint.js';

/** Marks a connection made with the client credentials grant, which refreshes by asking again. */
export const CLIENT_CREDENTIALS_MARKER = 'client_credentials';

/** The scheme's OAuth 2.0 settings; a scheme without them is a connector bug. */
export function oauth2Settings(scheme: AuthScheme, connector: Connector): OAuth2Settings {
  if (!scheme.oauth2)
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The ${scheme.mode} scheme of "${connector.id}" has no oauth2 settings.`,
    );
  return scheme.oauth2;
}

/** The OAuth client of an integration: its id, its secret if any, and how it authenticates. */
export function oauth2Client(scheme: AuthScheme, values: Record<string, unknown>): OAuth2Client {
  const clientId = values['client_id'];
  const clientSecret = values['client_secret'];
  if (typeof clientId !== 'string' || clientId === '')
    throw new PlugboardError('INVALID_AUTH_CONFIG', 'The integration has no client_id.');
  return {
    clientId,
    clientSecret: typeof clientSecret === 'string' && clientSecret !== '' ? clientSecret : undefined,
    authMethod: scheme.oauth2?.clientAuthMethod ?? 'client_secret_basic',
  };
}

/** The integration's scopes, or the scheme's defaults. */
export function scopesOf(values: Record<string, unknown>, scheme: AuthScheme): string[] {
  const configured = values['scopes'];
  if (Array.isArray(configured)) return configured.map(String);
  if (typeof configured === 'string' && configured.trim() !== '') return configured.split(/[\s,]+/).filter(Boolean);
  return scheme.oauth2?.defaultScopes ?? [];
}
