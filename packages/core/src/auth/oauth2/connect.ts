import { fillHostTemplate } from '../url-template.js';
import { checkRedirectUri, reconnectData, storeConnection } from '../connection-record.js';
import type { CallbackContext, FlowDeps, FlowResult, FlowStart } from '../strategy.js';
import { toTemplateValues } from '../../toolset/field-values.js';
import type { ConnectionRecord } from '../../store/store.js';
import { buildAuthorizationUrl } from './authorization-url.js';
import { connectClientCredentials, wantsClientCredentials } from './client-credentials.js';
import { oauth2Client, oauth2Settings, scopesOf } from './client.js';
import { codeChallengeS256, createCodeVerifier, randomBase64Url } from './pkce.js';
import { expiresAtOf, requestToken, tokenCredentials } from './token-endpoint.js';

/** OAuth 2.0: the authorization redirect (code grant), or a token at once (client credentials). */
export async function startOAuth2(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = oauth2Settings(start.scheme, start.connector);
  const developerValues = deps.integrationValues(start.integration);
  const client = oauth2Client(start.scheme, developerValues);
  if (wantsClientCredentials(start, settings.grantTypes)) return connectClientCredentials(deps, start);
  const redirectUri = checkRedirectUri(start.redirectUri, 'OAUTH2');
  const state = randomBase64Url(32);
  const codeVerifier = settings.pkce ? createCodeVerifier() : undefined;
  const redirectUrl = buildAuthorizationUrl({
    settings,
    clientId: client.clientId,
    redirectUri,
    scopes: scopesOf(developerValues, start.scheme),
    state,
    codeChallenge: codeVerifier === undefined ? undefined : await codeChallengeS256(codeVerifier),
    hostValues: toTemplateValues({ ...developerValues, ...start.userValues }),
    extraParams: start.authorizationParams,
  });
  const connection = await storeConnection(deps, start, 'INITIATED', { ...start.userValues });
  const data = reconnectData(start);
  await deps.store.savePendingAuth({
    state,
    connectionId: connection.id,
    integrationId: start.integration.id,
    redirectUri,
    codeVerifier,
    expiresAt: new Date(Date.now() + deps.stateTtlMs).toISOString(),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  });
  return { connection, redirectUrl };
}

/** OAuth 2.0 callback: the provider's error, or the code exchanged for tokens (RFC 6749 section 4.1.3). */
export async function completeOAuth2(callback: CallbackContext): Promise<ConnectionRecord> {
  const { params, connector, scheme, pending, deps } = callback;
  const providerError = params.get('error');
  if (providerError) return callback.fail(providerError, params.get('error_description') ?? providerError);
  const code = params.get('code');
  if (!code) return callback.fail('missing_code', 'The provider sent neither a code nor an error.');
  const settings = oauth2Settings(scheme, connector);
  const client = oauth2Client(scheme, callback.developerValues);
  if (
    settings.verifyCallback &&
    !(await settings.verifyCallback(params, {
      clientSecret: client.clientSecret,
      userValues: { ...callback.userValues },
    }))
  ) {
    return callback.fail('invalid_callback_signature', 'The callback did not pass the app-specific verification.');
  }
  const tokens = await callback.exchange(() =>
    requestToken({
      tokenUrl: fillHostTemplate(settings.tokenUrl, callback.hostValues),
      client,
      // The redirect URI must be identical to the one sent in the authorization request.
      params: {
        ...settings.tokenParams,
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
      },
      fetch: deps.fetch,
      http: { ...deps.http, retries: 0 },
    }),
  );
  return callback.activate({ credentials: tokenCredentials(tokens), expiresAt: expiresAtOf(tokens) });
}
