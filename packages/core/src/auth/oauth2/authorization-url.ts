import { fillHostTemplate } from '../url-template.js';
import type { OAuth2Settings } from '../../spec/auth-scheme.js';

export interface AuthorizationUrlParams {
  settings: OAuth2Settings;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  /** Present when PKCE is used. */
  codeChallenge?: string | undefined;
  /** Values for `{name}` templates in the URL's host (a Shopify shop). */
  hostValues?: Readonly<Record<string, string | undefined>> | undefined;
  /** Extra parameters for this one request; they win over the scheme's. */
  extraParams?: Readonly<Record<string, string>> | undefined;
}

/**
 * The authorization request of RFC 6749 section 4.1.1, with PKCE (RFC 7636 section 4.3). Any query
 * the authorization URL already has is kept.
 */
export function buildAuthorizationUrl(params: AuthorizationUrlParams): string {
  const url = new URL(fillHostTemplate(params.settings.authorizationUrl, params.hostValues ?? {}));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  if (params.scopes.length > 0) url.searchParams.set('scope', params.scopes.join(params.settings.scopeSeparator));
  url.searchParams.set('state', params.state);
  if (params.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', params.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries({ ...params.settings.authorizationParams, ...params.extraParams }))
    url.searchParams.set(name, value);
  return url.toString();
}
