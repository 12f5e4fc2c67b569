import { fillHostTemplate } from '../auth/url-template.js';
import { exchangeBasicForJwt } from '../basic-jwt/exchange-token.js';
import { PlugboardError } from '../errors.js';
import type { FetchFunction, HttpOptions } from '../http/send-request.js';
import { authorizationRedirectUrl, requestAccessToken, requestTemporaryCredentials } from '../oauth1/three-legged.js';
import { buildAuthorizationUrl } from '../oauth2/authorization-url.js';
import { codeChallengeS256, createCodeVerifier, randomBase64Url } from '../oauth2/pkce.js';
import { expiresAtOf, requestToken, tokenCredentials } from '../oauth2/token-endpoint.js';
import { createRedactor } from '../redact.js';
import type { AuthScheme, OAuth1Settings } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { ConnectionRecord, ConnectionStatus, IntegrationRecord, Store } from '../store/store.js';
import { showConnection } from './connection.js';
import type { EmitEvent } from './events.js';
import { toTemplateValues } from './field-values.js';
import { CLIENT_CREDENTIALS_MARKER, oauth2Client, oauth2Settings } from './token-refresh.js';

export interface FlowDeps {
  store: Store;
  getApp(id: string): Connector;
  integrationValues(integration: IntegrationRecord): Record<string, unknown>;
  fetch: FetchFunction | undefined;
  http: HttpOptions;
  now(): string;
  /** How long an authorization may stay pending. */
  stateTtlMs: number;
  /** Tells the toolset's listeners about status changes the callback makes. */
  emit: EmitEvent;
}

export interface FlowStart {
  connector: Connector;
  scheme: AuthScheme;
  integration: IntegrationRecord;
  entityId: string;
  redirectUri: string | undefined;
  /** The end user's checked field values (a Shopify `shop`). */
  userValues: Record<string, string>;
  /** Extra authorization parameters for this request (`login_hint`, `prompt`). */
  authorizationParams?: Record<string, string> | undefined;
  grantType?: 'authorization_code' | 'client_credentials' | undefined;
}

export interface FlowResult {
  connection: ConnectionRecord;
  redirectUrl?: string | undefined;
}

const OAUTH1_STATE_PREFIX = 'oauth1:';

export function newConnection(
  deps: FlowDeps,
  start: FlowStart,
  status: ConnectionStatus,
  credentials: Record<string, string>,
  expiresAt?: string,
): ConnectionRecord {
  const now = deps.now();
  return {
    id: crypto.randomUUID(),
    integrationId: start.integration.id,
    app: start.connector.id,
    authMode: start.scheme.mode,
    entityId: start.entityId,
    status,
    credentials,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function checkRedirectUri(redirectUri: string | undefined, mode: string): string {
  if (redirectUri === undefined)
    throw new PlugboardError(
      'INVALID_PARAMS',
      `A ${mode} connection needs a redirectUri: the URL where your app calls toolset.handleCallback.`,
    );
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    throw new PlugboardError('INVALID_PARAMS', 'redirectUri must be an absolute URL.');
  }
  if (parsed.hash)
    throw new PlugboardError('INVALID_PARAMS', 'redirectUri cannot have a fragment (RFC 6749 section 3.1.2).');
  return redirectUri;
}

function scopesOf(values: Record<string, unknown>, scheme: AuthScheme): string[] {
  const configured = values['scopes'];
  if (Array.isArray(configured)) return configured.map(String);
  if (typeof configured === 'string' && configured.trim() !== '') return configured.split(/[\s,]+/).filter(Boolean);
  return scheme.oauth2?.defaultScopes ?? [];
}

/** OAuth 2.0: the authorization redirect (code grant), or a token at once (client credentials). */
export async function startOAuth2(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = oauth2Settings(start.scheme, start.connector);
  const developerValues = deps.integrationValues(start.integration);
  const client = oauth2Client(start.scheme, developerValues);
  const scopes = scopesOf(developerValues, start.scheme);
  const hostValues = toTemplateValues({ ...developerValues, ...start.userValues });

  const useClientCredentials =
    start.grantType === 'client_credentials' ||
    (start.grantType === undefined &&
      !settings.grantTypes.includes('authorization_code') &&
      settings.grantTypes.includes('client_credentials'));
  if (useClientCredentials) {
    if (!settings.grantTypes.includes('client_credentials')) {
      throw new PlugboardError(
        'UNSUPPORTED_AUTH_MODE',
        `The OAUTH2 scheme of "${start.connector.id}" does not declare the client_credentials grant.`,
      );
    }
    const requestedScope = scopes.join(settings.scopeSeparator) || undefined;
    const tokens = await requestToken({
      tokenUrl: fillHostTemplate(settings.tokenUrl, hostValues),
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
    const connection = newConnection(deps, start, 'ACTIVE', credentials, expiresAtOf(tokens));
    await deps.store.createConnection(connection);
    return { connection };
  }

  const redirectUri = checkRedirectUri(start.redirectUri, 'OAUTH2');
  const state = randomBase64Url(32);
  const codeVerifier = settings.pkce ? createCodeVerifier() : undefined;
  const redirectUrl = buildAuthorizationUrl({
    settings,
    clientId: client.clientId,
    redirectUri,
    scopes,
    state,
    codeChallenge: codeVerifier === undefined ? undefined : await codeChallengeS256(codeVerifier),
    hostValues,
    extraParams: start.authorizationParams,
  });
  const connection = newConnection(deps, start, 'INITIATED', { ...start.userValues });
  await deps.store.createConnection(connection);
  await deps.store.savePendingAuth({
    state,
    connectionId: connection.id,
    integrationId: start.integration.id,
    redirectUri,
    codeVerifier,
    expiresAt: new Date(Date.now() + deps.stateTtlMs).toISOString(),
  });
  return { connection, redirectUrl };
}

function oauth1Settings(scheme: AuthScheme, connector: Connector, hostValues: Record<string, string>): OAuth1Settings {
  if (!scheme.oauth1)
    throw new PlugboardError('INVALID_DEFINITION', `The OAUTH1 scheme of "${connector.id}" has no oauth1 settings.`);
  return {
    ...scheme.oauth1,
    requestTokenUrl: fillHostTemplate(scheme.oauth1.requestTokenUrl, hostValues),
    authorizationUrl: fillHostTemplate(scheme.oauth1.authorizationUrl, hostValues),
    accessTokenUrl: fillHostTemplate(scheme.oauth1.accessTokenUrl, hostValues),
  };
}

function consumerOf(values: Record<string, unknown>): { consumerKey: string; consumerSecret: string } {
  const consumerKey = values['consumer_key'];
  const consumerSecret = values['consumer_secret'];
  if (
    typeof consumerKey !== 'string' ||
    consumerKey === '' ||
    typeof consumerSecret !== 'string' ||
    consumerSecret === ''
  ) {
    throw new PlugboardError('INVALID_AUTH_CONFIG', 'An OAUTH1 integration needs consumer_key and consumer_secret.');
  }
  return { consumerKey, consumerSecret };
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
  const connection = newConnection(deps, start, 'INITIATED', { ...start.userValues });
  await deps.store.createConnection(connection);
  await deps.store.savePendingAuth({
    state: OAUTH1_STATE_PREFIX + temporary.token,
    connectionId: connection.id,
    integrationId: start.integration.id,
    redirectUri,
    expiresAt: new Date(Date.now() + deps.stateTtlMs).toISOString(),
    data: { tokenSecret: temporary.tokenSecret },
  });
  return { connection, redirectUrl: authorizationRedirectUrl(settings, temporary.token) };
}

/** Basic with JWT: the login is checked by a first exchange, so a wrong password fails at once. */
export async function connectBasicWithJwt(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = start.scheme.basicWithJwt;
  if (!settings)
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The BASIC_WITH_JWT scheme of "${start.connector.id}" has no basicWithJwt settings.`,
    );
  const hostValues = toTemplateValues({ ...deps.integrationValues(start.integration), ...start.userValues });
  let result;
  try {
    result = await exchangeBasicForJwt({
      settings,
      tokenUrl: fillHostTemplate(settings.tokenUrl, hostValues),
      username: start.userValues['username'] ?? '',
      password: start.userValues['password'] ?? '',
      fetch: deps.fetch,
      http: deps.http,
    });
  } catch (error) {
    if (PlugboardError.isInstance(error) && error.code === 'NEEDS_REAUTH') {
      throw new PlugboardError('INVALID_CONNECTION_PARAMS', `${error.message} Check the username and password.`, {
        status: error.status,
      });
    }
    throw error;
  }
  const connection = newConnection(
    deps,
    start,
    'ACTIVE',
    { ...start.userValues, access_token: result.accessToken },
    result.expiresAt,
  );
  await deps.store.createConnection(connection);
  return { connection };
}

/** What a callback carries: the URL the provider redirected to, or its parameters. */
export type CallbackInput =
  | { url: string | URL }
  | { state: string; code?: string; error?: string; errorDescription?: string }
  | { oauthToken: string; oauthVerifier: string };

function callbackParams(input: CallbackInput): URLSearchParams {
  if ('url' in input) {
    let url: URL;
    try {
      url = new URL(String(input.url));
    } catch {
      throw new PlugboardError('OAUTH_CALLBACK_ERROR', 'The callback URL is not an absolute URL.');
    }
    return url.searchParams;
  }
  const params = new URLSearchParams();
  if ('oauthToken' in input) {
    params.set('oauth_token', input.oauthToken);
    params.set('oauth_verifier', input.oauthVerifier);
    return params;
  }
  params.set('state', input.state);
  if (input.code !== undefined) params.set('code', input.code);
  if (input.error !== undefined) params.set('error', input.error);
  if (input.errorDescription !== undefined) params.set('error_description', input.errorDescription);
  return params;
}

/**
 * Finishes an OAuth 2.0 (code) or OAuth 1.0a (verifier) authorization. The pending state is taken
 * from the store in one step, so a replayed, unknown or expired state fails without touching any
 * connection; a provider error marks the connection `FAILED` with the provider's reason.
 */
export async function completeAuthorization(deps: FlowDeps, input: CallbackInput): Promise<ConnectionRecord> {
  const params = callbackParams(input);
  const oauthToken = params.get('oauth_token');
  const state = params.get('state') ?? (oauthToken ? OAUTH1_STATE_PREFIX + oauthToken : null);
  if (!state)
    throw new PlugboardError('OAUTH_STATE_INVALID', 'The callback has no state (nor an OAuth 1.0a oauth_token).');
  const pending = await deps.store.takePendingAuth(state);
  if (!pending)
    throw new PlugboardError(
      'OAUTH_STATE_INVALID',
      'The authorization state is unknown, expired or already used; start the connection again.',
    );
  const connection = await deps.store.getConnection(pending.connectionId);
  if (!connection)
    throw new PlugboardError(
      'CONNECTION_NOT_FOUND',
      `The connection ${pending.connectionId} of this authorization no longer exists.`,
    );
  if (connection.status !== 'INITIATED') {
    throw new PlugboardError(
      'OAUTH_STATE_INVALID',
      `Connection ${connection.id} is ${connection.status}, not waiting for an authorization.`,
    );
  }
  const integration = await deps.store.getIntegration(connection.integrationId);
  if (!integration)
    throw new PlugboardError(
      'INTEGRATION_NOT_FOUND',
      `Connection ${connection.id} refers to integration ${connection.integrationId}, which no longer exists.`,
    );
  const connector = deps.getApp(connection.app);
  const scheme = connector.authSchemes.find((candidate) => candidate.mode === connection.authMode) as AuthScheme;
  const developerValues = deps.integrationValues(integration);
  const hostValues = toTemplateValues({ ...developerValues, ...connection.credentials });

  // Every status this callback stores is announced after the write, from the INITIATED it checked above.
  const changed = (record: ConnectionRecord): ConnectionRecord => {
    deps.emit({
      type: 'connection.status_changed',
      connection: showConnection(record),
      previousStatus: connection.status,
    });
    return record;
  };
  const fail = async (code: string, message: string): Promise<never> => {
    changed(
      await deps.store.updateConnection(
        connection.id,
        { status: 'FAILED', statusReason: { code, message }, updatedAt: deps.now() },
        { expectedVersion: connection.version },
      ),
    );
    throw new PlugboardError(
      'OAUTH_CALLBACK_ERROR',
      `The authorization of connection ${connection.id} failed: ${message}`,
      { details: { connectionId: connection.id, reason: code } },
    );
  };
  const exchange = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const reason = PlugboardError.isInstance(error)
        ? ((error.details as { error?: string } | undefined)?.error ?? error.code)
        : 'exchange_failed';
      const message = PlugboardError.isInstance(error) ? error.message : 'The token exchange failed.';
      changed(
        await deps.store.updateConnection(
          connection.id,
          { status: 'FAILED', statusReason: { code: reason, message }, updatedAt: deps.now() },
          { expectedVersion: connection.version },
        ),
      );
      throw error;
    }
  };

  if (connection.authMode === 'OAUTH1') {
    const verifier = params.get('oauth_verifier');
    if (!verifier || !oauthToken)
      return fail(
        params.get('denied') ? 'access_denied' : 'missing_verifier',
        'The provider sent no oauth_verifier; the user may have denied access.',
      );
    const settings = oauth1Settings(scheme, connector, hostValues);
    const consumer = consumerOf(developerValues);
    const access = await exchange(() =>
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
    return changed(
      await deps.store.updateConnection(
        connection.id,
        {
          status: 'ACTIVE',
          statusReason: undefined,
          credentials: {
            ...connection.credentials,
            ...access.extra,
            oauth_token: access.token,
            oauth_token_secret: access.tokenSecret,
          },
          updatedAt: deps.now(),
        },
        { expectedVersion: connection.version },
      ),
    );
  }

  const providerError = params.get('error');
  if (providerError) return fail(providerError, params.get('error_description') ?? providerError);
  const code = params.get('code');
  if (!code) return fail('missing_code', 'The provider sent neither a code nor an error.');
  const settings = oauth2Settings(scheme, connector);
  const client = oauth2Client(scheme, developerValues);
  if (
    settings.verifyCallback &&
    !(await settings.verifyCallback(params, {
      clientSecret: client.clientSecret,
      userValues: { ...connection.credentials },
    }))
  ) {
    return fail('invalid_callback_signature', 'The callback did not pass the app-specific verification.');
  }
  const tokens = await exchange(() =>
    requestToken({
      tokenUrl: fillHostTemplate(settings.tokenUrl, hostValues),
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
  return changed(
    await deps.store.updateConnection(
      connection.id,
      {
        status: 'ACTIVE',
        statusReason: undefined,
        credentials: { ...connection.credentials, ...tokenCredentials(tokens) },
        expiresAt: expiresAtOf(tokens),
        updatedAt: deps.now(),
      },
      { expectedVersion: connection.version },
    ),
  );
}
