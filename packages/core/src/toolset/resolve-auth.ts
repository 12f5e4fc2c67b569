import { PlugboardError } from '../errors.js';
import { renderPlacements } from '../auth/render-placements.js';
import { checkAuthParameters } from '../http/build-request.js';
import type { AuthParameter, AuthScheme, CustomAuth } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { ConnectionRecord, IntegrationRecord, Store } from '../store/store.js';
import { findScheme } from './catalogue.js';
import { toTemplateValues } from './field-values.js';

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
  source: 'custom' | 'connection' | 'app_auth' | 'no_auth';
  parameters: AuthParameter[];
  baseUrl?: string | undefined;
  body?: Record<string, unknown> | undefined;
  /** Every value to redact from errors about this call. */
  secrets: string[];
  connection?: ConnectionRecord | undefined;
}

export interface ResolveAuthContext {
  store: Store;
  appAuth: ReadonlyMap<string, CustomAuth>;
  oauthApps: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Resolves credentials, first match wins, the same for every action kind:
 * per-call `auth` > `connectedAccountId` > `addAuth(app)` > the entity's most recently updated
 * active connection for the app > `NO_AUTH` if the app allows it > `NO_CREDENTIALS`.
 */
export async function resolveAuth(connector: Connector, options: CredentialOptions, context: ResolveAuthContext): Promise<ResolvedAuth> {
  if (options.auth) return fromCustomAuth(options.auth);

  if (options.connectedAccountId !== undefined) {
    const connection = await context.store.getConnection(options.connectedAccountId);
    if (!connection) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${options.connectedAccountId}.`);
    if (connection.app !== connector.id) {
      throw new PlugboardError('CONNECTION_APP_MISMATCH', `Connection ${connection.id} is for "${connection.app}", not "${connector.id}".`);
    }
    if (connection.status !== 'ACTIVE') {
      const reason = connection.statusReason ? ` (${connection.statusReason.code}: ${connection.statusReason.message})` : '';
      throw new PlugboardError('CONNECTION_NOT_ACTIVE', `Connection ${connection.id} is ${connection.status}${reason}; reconnect the account to use it.`, {
        details: { status: connection.status, statusReason: connection.statusReason },
      });
    }
    return fromConnection(connector, connection, context);
  }

  const appAuth = context.appAuth.get(connector.id);
  if (appAuth) return { ...fromCustomAuth(appAuth), source: 'app_auth' };

  const entityId = options.entityId ?? 'default';
  const [connection] = await context.store.listConnections({ app: connector.id, entityId, status: 'ACTIVE' });
  if (connection) return fromConnection(connector, connection, context);

  if (connector.authSchemes.some((scheme) => scheme.mode === 'NO_AUTH')) return { source: 'no_auth', parameters: [], secrets: [] };

  throw new PlugboardError(
    'NO_CREDENTIALS',
    `No credentials for "${connector.id}" and entity "${entityId}". Connect an account with toolset.initiateConnection({ app: '${connector.id}', entityId: '${entityId}', ... }), ` +
      `pass a connectedAccountId or per-call auth, or register credentials with toolset.addAuth('${connector.id}', ...).`,
    { details: { app: connector.id, entityId } },
  );
}

export function fromCustomAuth(auth: CustomAuth): ResolvedAuth {
  checkCustomAuth(auth);
  const secrets = auth.parameters.filter((parameter) => parameter.in !== 'subdomain').map((parameter) => parameter.value);
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
    throw new PlugboardError('INVALID_PARAMS', 'Custom auth must be { parameters: [{ name, value, in }], baseUrl?, body? }.');
  }
  checkAuthParameters(auth.parameters);
  if (auth.baseUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(auth.baseUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
      throw new PlugboardError('INVALID_PARAMS', 'Custom auth baseUrl must be an absolute http(s) URL without query or fragment.');
    }
  }
  if (auth.body !== undefined && (typeof auth.body !== 'object' || auth.body === null || Array.isArray(auth.body))) {
    throw new PlugboardError('INVALID_PARAMS', 'Custom auth body must be an object.');
  }
}

/** The developer field values an integration resolves to: its own, or the toolset's default OAuth app. */
export function integrationValues(integration: IntegrationRecord, oauthApps: ResolveAuthContext['oauthApps']): Record<string, unknown> {
  if (!integration.usesDefaultOAuthApp) return integration.authConfig;
  const app = oauthApps[integration.app];
  if (!app) {
    throw new PlugboardError('INVALID_AUTH_CONFIG', `Integration ${integration.id} uses the default OAuth app for "${integration.app}", but the toolset has no oauthApps.${integration.app}.`);
  }
  return { ...app, ...integration.authConfig };
}

async function fromConnection(connector: Connector, connection: ConnectionRecord, context: ResolveAuthContext): Promise<ResolvedAuth> {
  const scheme = findScheme(connector, connection.authMode);
  const integration = await context.store.getIntegration(connection.integrationId);
  if (!integration) throw new PlugboardError('INTEGRATION_NOT_FOUND', `Connection ${connection.id} refers to integration ${connection.integrationId}, which no longer exists.`);
  const developerValues = integrationValues(integration, context.oauthApps);
  const values = toTemplateValues({ ...developerValues, ...connection.credentials }, scheme.oauth2?.scopeSeparator);
  const parameters = renderPlacements(scheme, values);
  checkAuthParameters(parameters);
  return { source: 'connection', parameters, secrets: secretsOf(scheme, values, parameters), connection };
}

/**
 * Values to redact: secret fields, every credential the scheme does not declare as a plain field
 * (tokens), and every placed value except subdomains and plain fields.
 */
function secretsOf(scheme: AuthScheme, values: Record<string, string>, parameters: AuthParameter[]): string[] {
  const plainFields = new Set(scheme.fields.filter((field) => !field.secret).map((field) => field.name));
  const plainValues = new Set([...plainFields].map((name) => values[name]).filter((value): value is string => value !== undefined));
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(values)) if (!plainFields.has(name)) secrets.push(value);
  for (const parameter of parameters) {
    if (parameter.in !== 'subdomain' && !plainValues.has(parameter.value)) secrets.push(parameter.value);
  }
  return secrets;
}
