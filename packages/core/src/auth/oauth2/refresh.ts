import { PlugboardError } from '../../errors.js';
import type { ConnectionRecord } from '../../store/store.js';
import type { ObtainedCredentials, RefreshContext } from '../strategy.js';
import { fillHostTemplate } from '../url-template.js';
import { CLIENT_CREDENTIALS_MARKER, oauth2Client, oauth2Settings } from './client.js';
import { expiresAtOf, requestToken, tokenCredentials } from './token-endpoint.js';

/** A refresh token to use, or a client credentials grant to ask again. */
export function isOAuth2Refreshable(connection: ConnectionRecord): boolean {
  return (
    Boolean(connection.credentials['refresh_token']) ||
    connection.credentials['grant_type'] === CLIENT_CREDENTIALS_MARKER
  );
}

/** New tokens from the refresh token (RFC 6749 section 6), or from the client credentials grant again. */
export async function refreshOAuth2(context: RefreshContext): Promise<ObtainedCredentials> {
  const { connection } = context;
  const settings = oauth2Settings(context.scheme, context.connector);
  const client = oauth2Client(context.scheme, context.developerValues);
  const clientCredentials = connection.credentials['grant_type'] === CLIENT_CREDENTIALS_MARKER;
  const refreshToken = connection.credentials['refresh_token'];
  if (!clientCredentials && !refreshToken) {
    throw new PlugboardError(
      'NEEDS_REAUTH',
      `Connection ${connection.id} has no refresh token; the user must connect again.`,
    );
  }
  const tokens = await requestToken({
    tokenUrl: fillHostTemplate(settings.refreshUrl ?? settings.tokenUrl, context.hostValues),
    client,
    params: clientCredentials
      ? { grant_type: 'client_credentials', scope: connection.credentials['requested_scope'] }
      : { grant_type: 'refresh_token', refresh_token: refreshToken },
    fetch: context.fetch,
    http: { ...context.http, retries: 0 },
  });
  // A response without a new refresh token keeps the old one (RFC 6749 section 6).
  const credentials = { ...connection.credentials, ...tokenCredentials(tokens) };
  if (!tokens.refresh_token && refreshToken) credentials['refresh_token'] = refreshToken;
  return { credentials, expiresAt: expiresAtOf(tokens) };
}
