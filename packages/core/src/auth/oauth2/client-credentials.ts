import { PlugboardError } from '../../errors.js';
import { fillHostTemplate } from '../url-template.js';
import { storeConnection } from '../connection-record.js';
import type { FlowDeps, FlowResult, FlowStart } from '../strategy.js';
import { CLIENT_CREDENTIALS_MARKER, oauth2Client, oauth2Settings, scopesOf } from './client.js';
import { expiresAtOf, requestToken, tokenCredentials } from './token-endpoint.js';
import { toTemplateValues } from '../../toolset/field-values.js';

/**
 * Whether a connection uses the client credentials grant (RFC 6749 section 4.4): asked for, or the
 * only grant the scheme declares.
 */
export function wantsClientCredentials(start: FlowStart, grantTypes: readonly string[]): boolean {
  return (
    start.grantType === 'client_credentials' ||
    (start.grantType === undefined &&
      !grantTypes.includes('authorization_code') &&
      grantTypes.includes('client_credentials'))
  );
}

/** OAuth 2.0 client credentials: a token at once, no user in the loop; refreshed by asking again. */
export async function connectClientCredentials(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = oauth2Settings(start.scheme, start.connector);
  if (!settings.grantTypes.includes('client_credentials')) {
    throw new PlugboardError(
      'UNSUPPORTED_AUTH_MODE',
      `The OAUTH2 scheme of "${start.connector.id}" does not declare the client_credentials grant.`,
    );
  }
  const developerValues = deps.integrationValues(start.integration);
  const client = oauth2Client(start.scheme, developerValues);
  const requestedScope = scopesOf(developerValues, start.scheme).join(settings.scopeSeparator) || undefined;
  const tokens = await requestToken({
    tokenUrl: fillHostTemplate(settings.tokenUrl, toTemplateValues({ ...developerValues, ...start.userValues })),
    client,
    params: { grant_type: 'client_credentials', scope: requestedScope },
    fetch: deps.fetch,
    http: { ...deps.http, retries: 0 },
  });
  const credentials: Record<string, string> = {
    ...start.userValues,
    ...tokenCredentials(tokens),
    grant_type: CLIENT_CREDENTIALS_MARKER,
  };
  if (requestedScope !== undefined) credentials['requested_scope'] = requestedScope;
  const connection = await storeConnection(deps, start, 'ACTIVE', credentials, expiresAtOf(tokens));
  return { connection };
}
