import { PlugboardError } from '../errors.js';
import { strategyFor } from '../auth/strategies.js';
import { checkAuthParameters, type BuiltRequest } from '../http/build-request.js';
import { httpUrlProblem } from '../http/http-url.js';
import {
  isCredentialProvider,
  type CredentialProvider,
  type CredentialRequest,
  type ProvidedCredentials,
} from '../providers/credential-provider.js';
import type { AuthParameter, AuthScheme, CustomAuth } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { ConnectionLookup, ConnectionRecord, IntegrationRecord, Store } from '../store/store.js';
import { findScheme } from './catalogue.js';
import { toTemplateValues } from './field-values.js';
import type { ExecutionTrace } from '../telemetry/tracing.js';
import type { TokenRefresher } from './token-refresh.js';

/** Who the call acts for. At most one of the three is needed; see the precedence below. */
export interface CredentialOptions {
  /** Credentials for this call only: they win over everything else. */
  auth?: CustomAuth | undefined;
  /** A specific connection; it must be `ACTIVE` and belong to the action's app. */
  connectedAccountId?: string | undefined;
  /** The end user; their most recently updated `ACTIVE` connection for the app is used. @default 'default' */
  entityId?: string | undefined;
}

export interface ResolvedAuth {
  source: 'custom' | 'connection' | 'app_auth' | 'provider' | 'no_auth';
  parameters: AuthParameter[];
  baseUrl?: string | undefined;
  body?: Record<string, unknown> | undefined;
  /** Every value to redact from errors about this call. */
  secrets: string[];
  connection?: ConnectionRecord | undefined;
  /** Signs the final request (OAuth 1.0a); runs after placement, over the final URL and body. */
  sign?: ((built: BuiltRequest) => Promise<BuiltRequest>) | undefined;
  /** Fresh credentials after a 401, when the source can get them (a refresh token, a provider). */
  refresh?: (() => Promise<ResolvedAuth>) | undefined;
}

/** What `addAuth` keeps per app: fixed custom auth or a provider. */
export type AppAuth = CustomAuth | CredentialProvider;

export interface ResolveAuthContext {
  store: Store;
  appAuth: ReadonlyMap<string, AppAuth>;
  oauthApps: Readonly<Record<string, Record<string, unknown>>>;
  refresher: TokenRefresher;
  providerCache: ProviderCache;
  /** The execution's span, whose child a token refresh becomes. */
  trace?: ExecutionTrace | undefined;
}

/**
 * Resolves credentials, first match wins, the same for every action kind:
 * per-call `auth` > `connectedAccountId` > `addAuth(app)` > the entity's most recently updated
 * active connection for the app > `NO_AUTH` if the app allows it > `NO_CREDENTIALS`.
 */
export async function resolveAuth(
  connector: Connector,
  options: CredentialOptions,
  context: ResolveAuthContext,
): Promise<ResolvedAuth> {
  if (options.auth) return fromCustomAuth(options.auth);

  if (options.connectedAccountId !== undefined) {
    const found = await readConnection(context.store, { connectionId: options.connectedAccountId });
    const connection = found?.connection;
    if (!connection)
      throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${options.connectedAccountId}.`);
    if (connection.app !== connector.id) {
      throw new PlugboardError(
        'CONNECTION_APP_MISMATCH',
        `Connection ${connection.id} is for "${connection.app}", not "${connector.id}".`,
      );
    }
    if (connection.status !== 'ACTIVE') {
      const reason = connection.statusReason
        ? ` (${connection.statusReason.code}: ${connection.statusReason.message})`
        : '';
      throw new PlugboardError(
        'CONNECTION_NOT_ACTIVE',
        `Connection ${connection.id} is ${connection.status}${reason}; reconnect the account to use it.`,
        {
          details: { status: connection.status, statusReason: connection.statusReason },
        },
      );
    }
    return fromConnection(connector, connection, context, found.integration);
  }

  const entityId = options.entityId ?? 'default';
  const appAuth = context.appAuth.get(connector.id);
  if (appAuth && isCredentialProvider(appAuth)) return fromProvider(connector.id, appAuth, entityId, context);
  if (appAuth) return { ...fromCustomAuth(appAuth), source: 'app_auth' };

  const found = await readConnection(context.store, { app: connector.id, entityId });
  if (found) return fromConnection(connector, found.connection, context, found.integration);

  if (connector.authSchemes.some((scheme) => strategyFor(scheme.mode).anonymous))
    return { source: 'no_auth', parameters: [], secrets: [] };

  throw new PlugboardError(
    'NO_CREDENTIALS',
    `No credentials for "${connector.id}" and entity "${entityId}". Connect an account with toolset.initiateConnection({ app: '${connector.id}', entityId: '${entityId}', ... }), ` +
      `pass a connectedAccountId or per-call auth, or register credentials with toolset.addAuth('${connector.id}', ...).`,
    { details: { app: connector.id, entityId } },
  );
}

export function fromCustomAuth(auth: CustomAuth): ResolvedAuth {
  checkCustomAuth(auth);
  const secrets = auth.parameters
    .filter((parameter) => parameter.in !== 'subdomain')
    .map((parameter) => parameter.value);
  for (const value of Object.values(auth.body ?? {})) if (typeof value === 'string') secrets.push(value);
  return {
    source: 'custom',
    parameters: auth.parameters.map((parameter) => ({ ...parameter })),
    baseUrl: auth.baseUrl,
    body: auth.body,
    secrets,
  };
}

/** Refuses malformed custom auth before anything is stored or sent. */
export function checkCustomAuth(auth: CustomAuth): void {
  if (typeof auth !== 'object' || auth === null || !Array.isArray(auth.parameters)) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      'Custom auth must be { parameters: [{ name, value, in }], baseUrl?, body? }.',
    );
  }
  checkAuthParameters(auth.parameters);
  if (auth.baseUrl !== undefined && (typeof auth.baseUrl !== 'string' || httpUrlProblem(auth.baseUrl))) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      'Custom auth baseUrl must be an absolute http(s) URL without credentials, query or fragment.',
    );
  }
  if (auth.body !== undefined && (typeof auth.body !== 'object' || auth.body === null || Array.isArray(auth.body))) {
    throw new PlugboardError('INVALID_PARAMS', 'Custom auth body must be an object.');
  }
}

/** The developer field values an integration resolves to: its own, or the toolset's default OAuth app. */
export function integrationValues(
  integration: IntegrationRecord,
  oauthApps: ResolveAuthContext['oauthApps'],
): Record<string, unknown> {
  if (!integration.usesDefaultOAuthApp) return integration.authConfig;
  const app = oauthApps[integration.app];
  if (!app) {
    throw new PlugboardError(
      'INVALID_AUTH_CONFIG',
      `Integration ${integration.id} uses the default OAuth app for "${integration.app}", but the toolset has no oauthApps.${integration.app}.`,
    );
  }
  return { ...app, ...integration.authConfig };
}

/**
 * The connection an execution uses with its integration: one read when the store can join them,
 * otherwise the two reads (the integration only once the connection is found).
 */
async function readConnection(
  store: Store,
  lookup: ConnectionLookup,
): Promise<{ connection: ConnectionRecord; integration: ReadIntegration } | undefined> {
  if (store.findConnectionWithIntegration) {
    const found = await store.findConnectionWithIntegration(lookup);
    if (!found) return undefined;
    const { integration } = found;
    return { connection: found.connection, integration: async () => integration };
  }
  const connection =
    'connectionId' in lookup
      ? await store.getConnection(lookup.connectionId)
      : (await store.listConnections({ app: lookup.app, entityId: lookup.entityId, status: 'ACTIVE' }))[0];
  if (!connection) return undefined;
  return { connection, integration: () => store.getIntegration(connection.integrationId) };
}

/** The integration of a connection: already read with it, or read when first asked for. */
type ReadIntegration = () => Promise<IntegrationRecord | undefined>;

async function fromConnection(
  connector: Connector,
  stored: ConnectionRecord,
  context: ResolveAuthContext,
  readIntegration: ReadIntegration,
): Promise<ResolvedAuth> {
  const { refresher } = context;
  let connection = stored;
  if (refresher.isRefreshable(connection) && refresher.expiresSoon(connection)) {
    try {
      // The token we saw marks what counts as stale: if another process replaced it meanwhile, that refresh is ours too.
      const staleAccessToken = connection.credentials['access_token'];
      const connectionId = connection.id;
      const refresh = () => refresher.refresh(connectionId, { reason: 'expiry', staleAccessToken });
      connection = await (context.trace ? context.trace.refresh('expiry', refresh) : refresh());
    } catch (error) {
      // A failed early refresh is no reason to fail a call whose token still works, unless the
      // grant is gone (the connection is now EXPIRED and must not be used).
      const stillValid = connection.expiresAt !== undefined && Date.parse(connection.expiresAt) > Date.now();
      if (!stillValid || (PlugboardError.isInstance(error) && error.code === 'NEEDS_REAUTH')) throw error;
    }
  }
  return placeConnection(connector, connection, context, readIntegration);
}

async function placeConnection(
  connector: Connector,
  connection: ConnectionRecord,
  context: ResolveAuthContext,
  readIntegration: ReadIntegration = () => context.store.getIntegration(connection.integrationId),
): Promise<ResolvedAuth> {
  const scheme = findScheme(connector, connection.authMode);
  const integration = await readIntegration();
  if (!integration)
    throw new PlugboardError(
      'INTEGRATION_NOT_FOUND',
      `Connection ${connection.id} refers to integration ${connection.integrationId}, which no longer exists.`,
    );
  const developerValues = integrationValues(integration, context.oauthApps);
  const values = toTemplateValues({ ...developerValues, ...connection.credentials }, scheme.oauth2?.scopeSeparator);
  const strategy = strategyFor(scheme.mode);
  const parameters = strategy.place(scheme, values);
  checkAuthParameters(parameters);
  const resolved: ResolvedAuth = {
    source: 'connection',
    parameters,
    secrets: secretsOf(scheme, values, parameters),
    connection,
  };
  const sign = strategy.signer?.(scheme, values);
  if (sign) resolved.sign = sign;
  if (context.refresher.isRefreshable(connection)) {
    const staleAccessToken = connection.credentials['access_token'];
    const refresh = () => context.refresher.refresh(connection.id, { staleAccessToken, reason: 'unauthorized' });
    resolved.refresh = async () =>
      placeConnection(
        connector,
        await (context.trace ? context.trace.refresh('unauthorized', refresh) : refresh()),
        context,
      );
  }
  return resolved;
}

/** Provided credentials cached per app and entity until shortly before they expire. */
export interface ProviderCache {
  entries: Map<string, { auth: ProvidedCredentials; expiresAtMs: number }>;
  inFlight: Map<string, Promise<ProvidedCredentials>>;
  marginMs: number;
}

export function createProviderCache(marginMs = 30_000): ProviderCache {
  return { entries: new Map(), inFlight: new Map(), marginMs };
}

async function fromProvider(
  app: string,
  provider: CredentialProvider,
  entityId: string,
  context: ResolveAuthContext,
  fresh = false,
): Promise<ResolvedAuth> {
  const cache = context.providerCache;
  const key = `${app}\u0000${entityId}\u0000${provider.name}`;
  // A forced ask must not join a plain one already in flight: that one may return the refused token.
  const flightKey = `${key}\u0000${fresh ? 'fresh' : 'cached'}`;
  const cached = cache.entries.get(key);
  let provided: ProvidedCredentials;
  if (!fresh && cached && cached.expiresAtMs - cache.marginMs > Date.now()) {
    provided = cached.auth;
  } else {
    let pending = cache.inFlight.get(flightKey);
    if (!pending) {
      // Shared by every caller waiting for this entity, so no one caller's abort signal may cancel it.
      pending = askProvider(app, provider, { app, entityId, forceRefresh: fresh }).finally(() =>
        cache.inFlight.delete(flightKey),
      );
      cache.inFlight.set(flightKey, pending);
    }
    provided = await pending;
    const expiresAtMs = provided.expiresAt === undefined ? Number.NaN : new Date(provided.expiresAt).getTime();
    if (Number.isFinite(expiresAtMs)) cache.entries.set(key, { auth: provided, expiresAtMs });
    else cache.entries.delete(key);
  }
  const resolved: ResolvedAuth = { ...fromCustomAuth(provided), source: 'provider' };
  resolved.refresh = async () => {
    // Another call may have refreshed since these credentials were read: use its result rather
    // than forcing the provider again (which could revoke what that call just got).
    const newer = cache.entries.get(key);
    if (newer && newer.auth !== provided && newer.expiresAtMs - cache.marginMs > Date.now()) {
      return { ...fromCustomAuth(newer.auth), source: 'provider' as const };
    }
    if (cache.entries.get(key)?.auth === provided) cache.entries.delete(key);
    const next = await fromProvider(app, provider, entityId, context, true);
    return { ...next, refresh: undefined };
  };
  return resolved;
}

async function askProvider(
  app: string,
  provider: CredentialProvider,
  request: CredentialRequest,
): Promise<ProvidedCredentials> {
  const { entityId } = request;
  let provided: ProvidedCredentials;
  try {
    provided = await provider.getCredentials(request);
  } catch (error) {
    if (PlugboardError.isInstance(error)) throw error;
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      `The credential provider "${provider.name}" failed for "${app}" and entity "${entityId}".`,
      { retryable: true },
    );
  }
  try {
    checkCustomAuth(provided);
  } catch (error) {
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      `The credential provider "${provider.name}" returned unusable credentials: ${PlugboardError.isInstance(error) ? error.message : 'malformed'}`,
    );
  }
  return provided;
}

/**
 * Values to redact: secret fields, every credential the scheme does not declare as a plain field
 * (tokens), and every placed value except subdomains and plain fields.
 */
function secretsOf(scheme: AuthScheme, values: Record<string, string>, parameters: AuthParameter[]): string[] {
  const plainFields = new Set(scheme.fields.filter((field) => !field.secret).map((field) => field.name));
  const plainValues = new Set(
    [...plainFields].map((name) => values[name]).filter((value): value is string => value !== undefined),
  );
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(values)) if (!plainFields.has(name)) secrets.push(value);
  for (const parameter of parameters) {
    if (parameter.in !== 'subdomain' && !plainValues.has(parameter.value)) secrets.push(parameter.value);
  }
  return secrets;
}
