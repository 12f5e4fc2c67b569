import { createRedactor } from '../../redact.js';
import type { ConnectionRecord } from '../../store/store.js';
import { toTemplateValues } from '../../toolset/field-values.js';
import { checkRedirectUri, reconnectData, storeConnection } from '../connection-record.js';
import type { CallbackContext, FlowDeps, FlowResult, FlowStart } from '../strategy.js';
import { consumerOf, oauth1Settings } from './settings.js';
import { authorizationRedirectUrl, requestAccessToken, requestTemporaryCredentials } from './three-legged.js';

// The pending state of an OAuth 1.0a flow is keyed by its temporary token, the one value the callback carries.
const OAUTH1_STATE_PREFIX = 'oauth1:';

/** The pending-state key of an OAuth 1.0a callback (`oauth_token`). */
export function oauth1CallbackState(params: URLSearchParams): string | undefined {
  const token = params.get('oauth_token');
  return token ? OAUTH1_STATE_PREFIX + token : undefined;
}

/** OAuth 1.0a: temporary credentials, then the authorization redirect (RFC 5849 section 2). */
export async function startOAuth1(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const redirectUri = checkRedirectUri(start.redirectUri, 'OAUTH1');
  const developerValues = deps.integrationValues(start.integration);
  const settings = oauth1Settings(
    start.scheme,
    start.connector,
    toTemplateValues({ ...developerValues, ...start.userValues }),
  );
  const consumer = consumerOf(developerValues);
  const temporary = await requestTemporaryCredentials({
    settings,
    ...consumer,
    callbackUrl: redirectUri,
    fetch: deps.fetch,
    redactor: createRedactor([consumer.consumerSecret]),
  });
  const connection = await storeConnection(deps, start, 'INITIATED', { ...start.userValues });
  await deps.store.savePendingAuth({
    state: OAUTH1_STATE_PREFIX + temporary.token,
    connectionId: connection.id,
    integrationId: start.integration.id,
    redirectUri,
    expiresAt: new Date(Date.now() + deps.stateTtlMs).toISOString(),
    data: { ...reconnectData(start), tokenSecret: temporary.tokenSecret },
  });
  return { connection, redirectUrl: authorizationRedirectUrl(settings, temporary.token) };
}

/** OAuth 1.0a callback: the verifier exchanged for token credentials (RFC 5849 section 2.3). */
export async function completeOAuth1(callback: CallbackContext): Promise<ConnectionRecord> {
  const { params, pending, deps } = callback;
  const oauthToken = params.get('oauth_token');
  const verifier = params.get('oauth_verifier');
  if (!verifier || !oauthToken)
    return callback.fail(
      params.get('denied') ? 'access_denied' : 'missing_verifier',
      'The provider sent no oauth_verifier; the user may have denied access.',
    );
  const settings = oauth1Settings(callback.scheme, callback.connector, callback.hostValues);
  const consumer = consumerOf(callback.developerValues);
  const access = await callback.exchange(() =>
    requestAccessToken({
      settings,
      ...consumer,
      token: oauthToken,
      tokenSecret: pending.data?.['tokenSecret'] ?? '',
      verifier,
      fetch: deps.fetch,
      redactor: createRedactor([consumer.consumerSecret, pending.data?.['tokenSecret']]),
    }),
  );
  return callback.activate({
    credentials: { ...access.extra, oauth_token: access.token, oauth_token_secret: access.tokenSecret },
  });
}
