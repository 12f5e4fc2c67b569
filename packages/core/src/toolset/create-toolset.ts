import { strategyFor } from '../auth/strategies.js';
import type * as zc from 'zod/v4/core';
import { PlugboardError, serializeError, type SerializedError } from '../errors.js';
import { checkAuthParameters } from '../http/build-request.js';
import { abortableDelay, type FetchFunction, type HttpOptions } from '../http/send-request.js';
import { createRedactor, REDACTED } from '../redact.js';
import {
  defineAction,
  type ActionContext,
  type BodyEncoding,
  type HttpMethod,
  type HttpRequestOptions,
  type QueryValue,
} from '../spec/action.js';
import {
  developerFields,
  userFields,
  type AuthField,
  type AuthMode,
  type AuthScheme,
  type CustomAuth,
} from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import { memoryStore } from '../store/memory-store.js';
import type { ConnectionFilter, ConnectionRecord, ConnectionStatus, IntegrationRecord, Store } from '../store/store.js';
import {
  createCatalogue,
  findScheme,
  summarizeScheme,
  type ActionSummary,
  type AppSummary,
  type AuthSchemeSummary,
} from './catalogue.js';
import { minimalScopeCover } from './required-scopes.js';
import { checkFieldValues, toTemplateValues } from './field-values.js';
import { createActionSearch, type ActionSearchResult, type SearchActionsOptions } from './search-actions.js';
import { isCredentialProvider, type CredentialProvider } from '../providers/credential-provider.js';
import { completeAuthorization, type CallbackInput, type FlowDeps, type FlowStart } from './connect-flows.js';
import {
  checkCustomAuth,
  createProviderCache,
  integrationValues,
  resolveAuth,
  type AppAuth,
  type CredentialOptions,
  type ResolvedAuth,
} from './resolve-auth.js';
import { createTokenRefresher, type RefreshOptions } from './token-refresh.js';
import { createTracing, type TracingOptions } from '../telemetry/tracing.js';
import type { ExecutionTrace } from '../telemetry/tracing.js';
import { showConnection, type Connection } from './connection.js';
import {
  createEventBus,
  type ToolsetEventListener,
  type ToolsetEventOptions,
  type ToolsetEventType,
} from './events.js';
import {
  createRequester,
  failure,
  mapInputToRequest,
  redactError,
  success,
  validateInput,
  validateOutput,
  type ActionResult,
} from './run-action.js';

export type { Connection } from './connection.js';

export interface ToolsetOptions extends ToolsetEventOptions {
  /** The apps this toolset can act on. */
  connectors?: readonly Connector[];
  /** Where integrations and connections live. @default memoryStore() */
  store?: Store;
  /** Your own fetch (a proxy agent, a test double). @default globalThis.fetch */
  fetch?: FetchFunction;
  /**
   * Your default OAuth app per app id, used by integrations created without `authConfig`.
   * @example { github: { client_id: 'Iv1.abc', client_secret: process.env.GITHUB_CLIENT_SECRET } }
   */
  oauthApps?: Record<string, Record<string, unknown>>;
  /** Timeouts and retries of every request. */
  http?: HttpOptions;
  /** When and how tokens are refreshed. */
  refresh?: RefreshOptions;
  /** Redirect flows (OAuth 2.0, OAuth 1.0a). */
  oauth?: {
    /**
     * How long a user may take between the redirect and the callback.
     * @default 600_000 (10 minutes)
     */
    stateTtlMs?: number;
  };
  /**
   * The page `handleCallback` answers with. By default a small HTML page saying the account is
   * connected (200) or why it is not (400).
   */
  callbackResponse?: (outcome: CallbackOutcome) => Response | Promise<Response>;
  /**
   * OpenTelemetry spans through `@opentelemetry/api`, when it is installed: one span per execution
   * (`plugboard.execute <ACTION>`), with a child per HTTP attempt and per token refresh.
   * @default { enabled: true } with the global tracer provider
   */
  tracing?: TracingOptions;
}

/** What `handleCallback` learned, for a custom `callbackResponse`. */
export type CallbackOutcome = { ok: true; connection: Connection } | { ok: false; error: SerializedError };

/** An integration as the toolset shows it: secret developer fields are redacted. */
export type Integration = IntegrationRecord;

export interface CreateIntegrationParams {
  app: string;
  /** @default the app's preferred auth mode */
  authMode?: AuthMode;
  /** Developer field values. Omit for an OAuth mode to use the toolset's `oauthApps` entry. */
  authConfig?: Record<string, unknown>;
  /** @default `${app} ${authMode}` */
  name?: string;
  /**
   * The actions this integration offers (names or aliases of the app's actions). For an OAUTH2
   * integration created without `scopes`, its scopes become those these actions need, as
   * `toolset.requiredScopes` computes them; without `actions`, those the connector's curated actions
   * need (not its whole generated catalogue). When those actions declare no scopes, the scheme's
   * `defaultScopes` apply, as before.
   * @example { app: 'gmail', authMode: 'OAUTH2', actions: ['GMAIL_FETCH_EMAILS', 'GMAIL_SEND_EMAIL'], authConfig: { client_id, client_secret } }
   */
  actions?: string[];
}

/** What `toolset.requiredScopes` takes. */
export interface RequiredScopesParams {
  app: string;
  /** Names or aliases of the app's actions. @default every action of the app */
  actions?: readonly string[];
}

export interface InitiateConnectionParams {
  /** The integration to connect through; or give `app` (and optionally `authMode`). */
  integrationId?: string;
  app?: string;
  authMode?: AuthMode;
  /** @default 'default' */
  entityId?: string;
  /** Where the OAuth provider sends the user back. */
  redirectUri?: string;
  /** The end user's field values (`api_key`, `shop`, `username`, ...). */
  connectedAccountParams?: Record<string, unknown>;
  /** Extra OAuth 2.0 authorization parameters for this request (`login_hint`, `prompt`). */
  authorizationParams?: Record<string, string>;
  /** For an OAUTH2 scheme that declares both grants. @default 'authorization_code' */
  grantType?: 'authorization_code' | 'client_credentials';
}

export interface ConnectionRequest {
  connectedAccountId: string;
  integrationId: string;
  connectionStatus: ConnectionStatus;
  /** Where to send the user for OAuth modes; `undefined` otherwise. */
  redirectUrl: string | undefined;
  /**
   * Resolves when the connection is `ACTIVE`; rejects at once on `FAILED` or `EXPIRED`, and with
   * `WAIT_TIMEOUT` after `timeoutMs`. Polls the store, so it sees changes made by other processes.
   * An aborted `signal` stops the wait at once, rejecting with the signal's reason.
   */
  waitUntilActive(options?: WaitOptions): Promise<Connection>;
}

export interface WaitOptions {
  /** @default 60_000 */
  timeoutMs?: number;
  /** @default 500 */
  pollIntervalMs?: number;
  /** Stops the wait (a person pressed Ctrl-C, a request was cancelled). */
  signal?: AbortSignal;
}

export interface ExecuteOptions extends CredentialOptions {
  signal?: AbortSignal;
}

export interface CustomActionDefinition<Input extends zc.$ZodType> {
  /** SCREAMING_SNAKE. */
  name: string;
  description: string;
  /** The app whose credentials `context.request` uses; omit for an action that calls no app. */
  app?: string;
  tags?: string[];
  input: Input;
  output?: zc.$ZodType;
  run: (context: ActionContext<zc.output<Input>>) => Promise<unknown>;
}

export interface ProxyParams extends CredentialOptions {
  app: string;
  method: HttpMethod;
  /** Relative to the app's base URL (or the custom auth `baseUrl`); `{name}` segments take `pathParams`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  bodyEncoding?: BodyEncoding;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

export interface ExpectedParams {
  authScheme: AuthMode;
  expectedParams: AuthField[];
}

const isEmptyScopes = (value: unknown) =>
  value === undefined ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'string' && value.trim() === '');

/** What one execution learns along the way, for its event and its span. */
interface ExecutionFacts {
  app: string;
  action: string;
  connection?: ConnectionRecord;
  httpStatus?: number;
  trace: ExecutionTrace;
}

/**
 * The facade users hold: catalogue, integrations, connections and execution.
 * Creating one has no side effects: no socket is opened and no environment variable is read.
 */
export function createToolset(options: ToolsetOptions = {}) {
  const catalogue = createCatalogue(options.connectors ?? []);
  const search = createActionSearch(catalogue);
  const store = options.store ?? memoryStore();
  const oauthApps = options.oauthApps ?? {};
  const appAuth = new Map<string, AppAuth>();
  const http = options.http ?? {};
  const clock = monotonicClock();
  const events = createEventBus(options);
  const tracing = createTracing(options.tracing);
  const valuesOf = (integration: IntegrationRecord) => integrationValues(integration, oauthApps);
  const refresher = createTokenRefresher({
    store,
    getApp: (id) => catalogue.getApp(id),
    integrationValues: valuesOf,
    fetch: options.fetch,
    http,
    now: clock,
    options: options.refresh ?? {},
    emit: events.emit,
  });
  const flowDeps: FlowDeps = {
    store,
    getApp: (id) => catalogue.getApp(id),
    integrationValues: valuesOf,
    fetch: options.fetch,
    http,
    now: clock,
    stateTtlMs: options.oauth?.stateTtlMs ?? 600_000,
    emit: events.emit,
  };

  const resolveContext = { store, appAuth, oauthApps, refresher, providerCache: createProviderCache() };

  async function findIntegration(id: string): Promise<IntegrationRecord> {
    const integration = await store.getIntegration(id);
    if (!integration) throw new PlugboardError('INTEGRATION_NOT_FOUND', `No integration with id ${id}.`);
    return integration;
  }

  async function findConnection(id: string): Promise<ConnectionRecord> {
    const connection = await store.getConnection(id);
    if (!connection) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
    return connection;
  }

  function showIntegration(record: IntegrationRecord): Integration {
    const scheme = findScheme(catalogue.getApp(record.app), record.authMode);
    const secretNames = new Set(scheme.fields.filter((field) => field.secret).map((field) => field.name));
    const authConfig: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record.authConfig))
      authConfig[name] = secretNames.has(name) ? REDACTED : value;
    return { ...record, authConfig };
  }

  async function createIntegration(params: CreateIntegrationParams): Promise<Integration> {
    return showIntegration(await storeIntegration(params));
  }

  /** Checks and saves an integration, returning the stored record (secrets included). */
  async function storeIntegration(params: CreateIntegrationParams): Promise<IntegrationRecord> {
    const connector = catalogue.getApp(params.app);
    const scheme = findScheme(connector, params.authMode);
    const fields = developerFields(scheme);
    const usesDefaultOAuthApp =
      params.authConfig === undefined &&
      strategyFor(scheme.mode).usesOAuthApps === true &&
      oauthApps[connector.id] !== undefined;
    const subject = `Integration for "${connector.id}" (${scheme.mode})`;
    // With the toolset's default OAuth app, its values are checked here and read at connect time, never copied.
    if (usesDefaultOAuthApp) {
      checkFieldValues(fields, oauthApps[connector.id], {
        code: 'INVALID_AUTH_CONFIG',
        subject: `oauthApps.${connector.id}`,
      });
    }
    const given = usesDefaultOAuthApp ? oauthApps[connector.id] : params.authConfig;
    const wantsScopes = strategyFor(scheme.mode).scopesFromActions === true && isEmptyScopes(given?.['scopes']);
    // Named actions are checked even when scopes are given. Without a list, an integration offers the
    // connector's curated actions: a generated catalogue spans the whole API, and asking for every scope
    // it names (all of Shopify's, full Gmail access) is not a default anyone wants.
    const offered = params.actions ?? connector.actions.map((action) => action.name);
    const scopes =
      params.actions !== undefined || wantsScopes ? requiredScopes({ app: params.app, actions: offered }) : [];
    // No scopes configured: ask for what the offered actions need (nothing to add when they declare none).
    const scopesFromActions = wantsScopes && scopes.length > 0 ? { scopes } : undefined;
    const authConfig = usesDefaultOAuthApp
      ? { ...scopesFromActions }
      : checkFieldValues(
          fields,
          scopesFromActions ? { ...params.authConfig, ...scopesFromActions } : params.authConfig,
          { code: 'INVALID_AUTH_CONFIG', subject },
        );
    const now = clock();
    const record: IntegrationRecord = {
      id: crypto.randomUUID(),
      app: connector.id,
      authMode: scheme.mode,
      name: params.name ?? `${connector.id} ${scheme.mode}`,
      authConfig,
      usesDefaultOAuthApp,
      createdAt: now,
      updatedAt: now,
    };
    await store.saveIntegration(record);
    return record;
  }

  /**
   * The smallest set of OAuth scopes that allows the given actions of an app (all of them when
   * none are named); see `minimalScopeCover` for how the narrowest set is chosen.
   */
  function requiredScopes(params: RequiredScopesParams): string[] {
    const all = catalogue.actionsOf(params.app);
    const offered =
      params.actions === undefined
        ? all
        : params.actions.map((name) => {
            const { action, connector } = catalogue.findAction(name);
            if (connector?.id !== params.app)
              throw new PlugboardError('INVALID_PARAMS', `${name} is not an action of the app "${params.app}".`);
            return action;
          });
    return minimalScopeCover(
      offered.map((action) => action.scopes),
      all.map((action) => action.scopes),
    );
  }

  /** The integration to connect through when `initiateConnection` is given an app. */
  async function integrationForApp(connector: Connector, scheme: AuthScheme): Promise<IntegrationRecord> {
    const existing = (await store.listIntegrations({ app: connector.id })).filter(
      (record) => record.authMode === scheme.mode,
    );
    const newest = existing.at(-1);
    if (newest) return newest;
    const needsDeveloperValues = developerFields(scheme).some((field) => field.required && field.default === undefined);
    const usesOAuthApps = strategyFor(scheme.mode).usesOAuthApps === true;
    if (needsDeveloperValues && !(usesOAuthApps && oauthApps[connector.id])) {
      const missing = developerFields(scheme)
        .filter((field) => field.required && field.default === undefined)
        .map((field) => field.name);
      throw new PlugboardError(
        'INVALID_AUTH_CONFIG',
        `The app "${connector.id}" has no ${scheme.mode} integration yet, and creating one needs ${missing.map((name) => `"${name}"`).join(', ')}. ` +
          `Call toolset.createIntegration({ app: '${connector.id}', authMode: '${scheme.mode}', authConfig: { ... } }) first` +
          (usesOAuthApps ? `, or configure oauthApps.${connector.id} on the toolset.` : '.'),
        { details: { missing } },
      );
    }
    return storeIntegration({ app: connector.id, authMode: scheme.mode });
  }

  async function initiateConnection(params: InitiateConnectionParams): Promise<ConnectionRequest> {
    if (params.integrationId === undefined && params.app === undefined) {
      throw new PlugboardError('INVALID_PARAMS', 'initiateConnection needs an integrationId or an app.');
    }
    let integration: IntegrationRecord;
    if (params.integrationId !== undefined) {
      integration = await findIntegration(params.integrationId);
      if (params.app !== undefined && params.app !== integration.app) {
        throw new PlugboardError(
          'INVALID_PARAMS',
          `Integration ${integration.id} is for "${integration.app}", not "${params.app}".`,
        );
      }
    } else {
      const connector = catalogue.getApp(params.app as string);
      integration = await integrationForApp(connector, findScheme(connector, params.authMode));
    }
    const connector = catalogue.getApp(integration.app);
    const scheme = findScheme(connector, integration.authMode);
    const entityId = params.entityId ?? 'default';
    if (typeof entityId !== 'string' || entityId === '')
      throw new PlugboardError('INVALID_PARAMS', 'entityId must be a non-empty string.');
    const values = checkFieldValues(userFields(scheme), params.connectedAccountParams, {
      code: 'INVALID_CONNECTION_PARAMS',
      subject: `Connection parameters for "${connector.id}" (${scheme.mode})`,
    });
    const userValues = toTemplateValues(values);
    const strategy = strategyFor(scheme.mode);
    if (strategy.connect) {
      const start: FlowStart = {
        connector,
        scheme,
        integration,
        entityId,
        redirectUri: params.redirectUri,
        userValues,
        authorizationParams: params.authorizationParams,
        grantType: params.grantType,
      };
      const result = await strategy.connect(flowDeps, start);
      events.emit({ type: 'connection.created', connection: showConnection(result.connection) });
      return connectionRequest(result.connection, result.redirectUrl);
    }
    // Render now so a credential that could never be placed (a bad subdomain) is refused before it is stored.
    checkAuthParameters(strategy.place(scheme, { ...toTemplateValues(valuesOf(integration)), ...userValues }));
    const now = clock();
    const record: ConnectionRecord = {
      id: crypto.randomUUID(),
      integrationId: integration.id,
      app: connector.id,
      authMode: scheme.mode,
      entityId,
      status: 'ACTIVE',
      credentials: userValues,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await store.createConnection(record);
    events.emit({ type: 'connection.created', connection: showConnection(record) });
    return connectionRequest(record, undefined);
  }

  function connectionRequest(record: ConnectionRecord, redirectUrl: string | undefined): ConnectionRequest {
    return {
      connectedAccountId: record.id,
      integrationId: record.integrationId,
      connectionStatus: record.status,
      redirectUrl,
      waitUntilActive: (waitOptions = {}) => waitUntilActive(record.id, waitOptions),
    };
  }

  async function waitUntilActive(id: string, waitOptions: WaitOptions): Promise<Connection> {
    const timeoutMs = waitOptions.timeoutMs ?? 60_000;
    const pollIntervalMs = waitOptions.pollIntervalMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      waitOptions.signal?.throwIfAborted();
      const connection = await findConnection(id);
      if (connection.status === 'ACTIVE') return showConnection(connection);
      if (connection.status === 'FAILED' || connection.status === 'EXPIRED') {
        const reason = connection.statusReason ? `: ${connection.statusReason.message}` : '';
        throw new PlugboardError('CONNECTION_FAILED', `Connection ${id} is ${connection.status}${reason}`, {
          details: { status: connection.status, statusReason: connection.statusReason },
        });
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new PlugboardError(
          'WAIT_TIMEOUT',
          `Connection ${id} is still ${connection.status} after ${timeoutMs} ms.`,
          { retryable: true },
        );
      }
      await abortableDelay(Math.min(pollIntervalMs, remaining), waitOptions.signal);
    }
  }

  async function setStatus(
    id: string,
    status: ConnectionStatus,
    allowedFrom: readonly ConnectionStatus[],
  ): Promise<Connection> {
    const connection = await findConnection(id);
    if (!allowedFrom.includes(connection.status)) {
      throw new PlugboardError(
        'CONNECTION_NOT_ACTIVE',
        `Connection ${id} is ${connection.status}; it cannot become ${status}.`,
      );
    }
    const changes =
      status === 'INACTIVE'
        ? { status, statusReason: { code: 'DISABLED', message: 'Disabled by the developer.' }, updatedAt: clock() }
        : { status, statusReason: undefined, updatedAt: clock() };
    const updated = showConnection(await store.updateConnection(id, changes, { expectedVersion: connection.version }));
    events.emit({ type: 'connection.status_changed', connection: updated, previousStatus: connection.status });
    return updated;
  }

  /** Runs one action with resolved credentials; the heart of `executeAction`. */
  async function runWithAuth(name: string, input: unknown, executeOptions: ExecuteOptions): Promise<ActionResult> {
    const startedAt = performance.now();
    // What the action.executed event and the span report; filled in as the execution learns it.
    const facts: ExecutionFacts = { app: '', action: name, trace: await tracing.startExecution(name) };
    const result = await runAction(name, input, executeOptions, facts);
    const entityId = facts.connection?.entityId ?? executeOptions.entityId;
    facts.trace.end({
      successful: result.successful,
      errorCode: result.successful ? undefined : result.error.code,
      httpStatus: facts.httpStatus,
      entityId,
      connectionId: facts.connection?.id,
    });
    events.emit({
      type: 'action.executed',
      app: facts.app,
      action: facts.action,
      ...(entityId !== undefined ? { entityId } : {}),
      ...(facts.connection ? { connectionId: facts.connection.id } : {}),
      successful: result.successful,
      ...(facts.httpStatus !== undefined ? { httpStatus: facts.httpStatus } : {}),
      ...(result.successful ? {} : { errorCode: result.error.code }),
      durationMs: performance.now() - startedAt,
    });
    return result;
  }

  async function runAction(
    name: string,
    input: unknown,
    executeOptions: ExecuteOptions,
    facts: ExecutionFacts,
  ): Promise<ActionResult> {
    let redactor = createRedactor([]);
    try {
      const { action, connector } = catalogue.findAction(name);
      facts.action = action.name;
      facts.app = connector?.id ?? '';
      facts.trace.identify(facts.app, action.name);
      const validInput = await validateInput(action, input);
      let auth: ResolvedAuth = { source: 'no_auth', parameters: [], secrets: [] };
      if (connector) auth = await resolveAuth(connector, executeOptions, { ...resolveContext, trace: facts.trace });
      else if (executeOptions.auth) checkCustomAuth(executeOptions.auth);
      if (auth.connection) facts.connection = auth.connection;
      redactor = createRedactor(auth.secrets);
      const send = connector
        ? createRequester({
            connector,
            auth,
            http,
            fetch: facts.trace.tracedFetch(options.fetch),
            signal: executeOptions.signal,
            redactor,
          })
        : undefined;
      const request: ActionContext<unknown>['request'] = send
        ? async (requestOptions) => {
            try {
              const response = await send(requestOptions);
              facts.httpStatus = response.status;
              return response as never;
            } catch (error) {
              if (PlugboardError.isInstance(error) && error.status !== undefined) facts.httpStatus = error.status;
              throw error;
            }
          }
        : async () => {
            throw new PlugboardError(
              'INVALID_DEFINITION',
              `The custom action ${action.name} is bound to no app, so it cannot make authenticated requests.`,
            );
          };
      let data: unknown;
      if (action.run) {
        const context: ActionContext<unknown> = { input: validInput, app: connector?.id ?? '', request };
        if (executeOptions.signal) context.signal = executeOptions.signal;
        data = await action.run(context as ActionContext<never>);
      } else {
        const response = await request(
          mapInputToRequest(action.request as NonNullable<typeof action.request>, validInput),
        );
        data = action.mapResponse ? action.mapResponse(response, validInput as never) : response.data;
      }
      return success(await validateOutput(action, data));
    } catch (error) {
      return failure(PlugboardError.isInstance(error) ? redactError(error, redactor) : error, redactor);
    }
  }

  return {
    // ----- catalogue -----
    /** Every registered app: `[{ id, name, authModes, actionCount, version }]`. */
    listApps: (): AppSummary[] => catalogue.listApps(),
    /** Actions with their input JSON Schema, filtered by app, tags or names. */
    listActions: (filter?: { app?: string; tags?: string[]; names?: string[] }): ActionSummary[] =>
      catalogue.listActions(filter),
    /**
     * Ranked full-text search over every action's name, description, tags, aliases and parameter
     * names: `[{ name, app, description, score }]`, best first. The index is built on the first
     * search (every generated catalogue is loaded then) and rebuilt after actions are added.
     * Deprecated actions are left out unless `includeDeprecated`, and then ranked last.
     * @example
     * await toolset.searchActions('re-run the failed CI job', { apps: ['github'], limit: 5 });
     */
    searchActions: (query: string, searchOptions?: SearchActionsOptions): Promise<ActionSearchResult[]> =>
      search.searchActions(query, searchOptions),
    /** One action by name or alias; throws `ACTION_NOT_FOUND` with suggestions. */
    getAction: (name: string): ActionSummary => {
      const { action, connector } = catalogue.findAction(name);
      return catalogue.summarize(action, connector);
    },
    /** The app's scheme for `mode`, or its preferred scheme. */
    getAuthSchemeForApp: (app: string, mode?: AuthMode): AuthSchemeSummary =>
      summarizeScheme(findScheme(catalogue.getApp(app), mode)),
    /** The fields an end user must supply to connect with a scheme. */
    async getExpectedParamsForUser(params: {
      app?: string;
      integrationId?: string;
      authScheme?: AuthMode;
    }): Promise<ExpectedParams> {
      let app = params.app;
      let mode = params.authScheme;
      if (params.integrationId !== undefined) {
        const integration = await findIntegration(params.integrationId);
        app = integration.app;
        mode = integration.authMode;
      }
      if (app === undefined)
        throw new PlugboardError('INVALID_PARAMS', 'getExpectedParamsForUser needs an app or an integrationId.');
      const scheme = findScheme(catalogue.getApp(app), mode);
      return { authScheme: scheme.mode, expectedParams: userFields(scheme).map((field) => ({ ...field })) };
    },

    // ----- integrations -----
    createIntegration,
    /**
     * The smallest set of OAuth scopes that allows the given actions of an app, or all of its
     * actions. Each action's `scopes` are alternatives (any one allows it); among covers of the
     * smallest size the narrowest is chosen (a scope is broader the more of the app's actions it
     * allows), so the answer is deterministic. Actions that declare no scopes need none: for an app
     * whose actions carry no scopes (GitHub's OAuth scopes are coarse and not per operation), the
     * answer is `[]` and its integrations keep the scheme's `defaultScopes`.
     * @example
     * toolset.requiredScopes({ app: 'gmail', actions: ['GMAIL_FETCH_EMAILS', 'GMAIL_SEND_EMAIL'] });
     * // ['https://www.googleapis.com/auth/gmail.modify']
     * toolset.requiredScopes({ app: 'gmail', actions: ['GMAIL_LIST_FILTERS'] });
     * // ['https://www.googleapis.com/auth/gmail.readonly']
     */
    requiredScopes,
    getIntegration: async (id: string): Promise<Integration> => showIntegration(await findIntegration(id)),
    listIntegrations: async (filter: { app?: string } = {}): Promise<Integration[]> =>
      (await store.listIntegrations(filter)).map(showIntegration),
    /** Deletes the integration and every connection made through it. */
    async deleteIntegration(id: string): Promise<void> {
      await findIntegration(id);
      const connections = await store.listConnections({ integrationId: id });
      await store.deleteIntegration(id);
      for (const connection of connections)
        events.emit({ type: 'connection.deleted', connection: showConnection(connection) });
    },

    // ----- connections -----
    initiateConnection,
    getConnection: async (id: string): Promise<Connection> => showConnection(await findConnection(id)),
    listConnections: async (filter: ConnectionFilter = {}): Promise<Connection[]> =>
      (await store.listConnections(filter)).map(showConnection),
    /**
     * The stored credentials of a connection (tokens, keys). Handle with care: this is the one
     * method that returns secrets.
     */
    getConnectionCredentials: async (id: string): Promise<Record<string, string>> => ({
      ...(await findConnection(id)).credentials,
    }),
    async deleteConnection(id: string): Promise<void> {
      const connection = await store.getConnection(id);
      if (!connection || !(await store.deleteConnection(id)))
        throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
      events.emit({ type: 'connection.deleted', connection: showConnection(connection) });
    },
    /** Marks a connection `INACTIVE`: it is kept but no longer used. */
    disableConnection: (id: string) => setStatus(id, 'INACTIVE', ['ACTIVE']),
    /** Turns an `INACTIVE` connection back to `ACTIVE`. */
    enableConnection: (id: string) => setStatus(id, 'ACTIVE', ['INACTIVE']),
    waitUntilActive: (id: string, waitOptions: WaitOptions = {}) => waitUntilActive(id, waitOptions),
    /**
     * Finishes an OAuth 2.0 (code) or OAuth 1.0a (verifier) authorization from the callback URL or
     * its parameters, and returns the now `ACTIVE` connection. Throws `OAUTH_STATE_INVALID` for an
     * unknown, expired or replayed state (no connection changes), `OAUTH_CALLBACK_ERROR` when the
     * provider reported an error (the connection becomes `FAILED`), `OAUTH_ERROR` when the token
     * exchange is refused.
     */
    completeConnection: async (input: CallbackInput): Promise<Connection> =>
      showConnection(await completeAuthorization(flowDeps, input)),
    /**
     * A Web-standard callback handler: mount it at your `redirectUri` in any framework that speaks
     * `Request`/`Response` (Hono, Next.js route handlers, Bun, Deno; Express through an adapter).
     * @example app.get('/oauth/callback', (c) => toolset.handleCallback(c.req.raw)); // Hono
     */
    async handleCallback(request: Request): Promise<Response> {
      let outcome: CallbackOutcome;
      try {
        outcome = { ok: true, connection: showConnection(await completeAuthorization(flowDeps, { url: request.url })) };
      } catch (error) {
        outcome = {
          ok: false,
          error: PlugboardError.isInstance(error)
            ? serializeError(error)
            : { code: 'OAUTH_CALLBACK_ERROR', message: 'The authorization could not be completed.' },
        };
      }
      return options.callbackResponse ? options.callbackResponse(outcome) : defaultCallbackResponse(outcome);
    },
    /**
     * Refreshes a connection's tokens now (OAuth 2.0 with a refresh token or client credentials,
     * Basic with JWT). `invalid_grant` marks it `EXPIRED` and throws `NEEDS_REAUTH`.
     */
    async refreshConnection(id: string): Promise<Connection> {
      const connection = await findConnection(id);
      if (!refresher.isRefreshable(connection)) {
        throw new PlugboardError(
          'UNSUPPORTED_AUTH_MODE',
          `Connection ${id} (${connection.authMode}) has nothing to refresh.`,
        );
      }
      return showConnection(
        await refresher.refresh(id, { staleAccessToken: connection.credentials['access_token'], reason: 'forced' }),
      );
    },

    // ----- execution -----
    /**
     * Runs an action. Never throws: every failure, from an unknown name to an upstream 500, is a
     * result with `successful: false` and an error with a stable code.
     */
    executeAction: (name: string, input: unknown, executeOptions: ExecuteOptions = {}): Promise<ActionResult> =>
      runWithAuth(name, input, executeOptions),
    /**
     * Registers credentials for every call to an app that does not bring its own `auth` or
     * `connectedAccountId`: fixed custom auth, or a credential provider asked per entity (and
     * cached until the expiry it gives). Custom auth is checked at once: a bad placement throws
     * `INVALID_PARAMS` here.
     */
    addAuth(app: string, auth: CustomAuth | CredentialProvider): void {
      catalogue.getApp(app);
      if (isCredentialProvider(auth)) {
        appAuth.set(app, auth);
        return;
      }
      checkCustomAuth(auth);
      appAuth.set(
        app,
        structuredClone({ ...auth, parameters: auth.parameters.map((parameter) => ({ ...parameter })) }),
      );
    },
    /** Removes credentials registered with `addAuth`. */
    removeAuth(app: string): boolean {
      return appAuth.delete(app);
    },
    /** A custom action, optionally bound to an app whose credentials its `context.request` uses. */
    createAction<Input extends zc.$ZodType>(definition: CustomActionDefinition<Input>): ActionSummary {
      const connector = definition.app === undefined ? undefined : catalogue.getApp(definition.app);
      const action = defineAction({
        name: definition.name,
        description: definition.description,
        input: definition.input,
        ...(definition.output ? { output: definition.output } : {}),
        ...(definition.tags ? { tags: definition.tags } : {}),
        run: definition.run as never,
      });
      catalogue.registerCustomAction(action, connector);
      return catalogue.summarize(action, connector);
    },
    /** A raw authenticated request to an app's API, with the same credential resolution as actions. */
    async proxy(params: ProxyParams): Promise<ActionResult<ProxyResponse>> {
      let redactor = createRedactor([]);
      try {
        const connector = catalogue.getApp(params.app);
        const auth = await resolveAuth(connector, params, resolveContext);
        redactor = createRedactor(auth.secrets);
        const request = createRequester({
          connector,
          auth,
          http,
          fetch: options.fetch,
          signal: params.signal,
          redactor,
        });
        const requestOptions: HttpRequestOptions = { method: params.method, path: params.path };
        if (params.pathParams) requestOptions.pathParams = params.pathParams;
        if (params.query) requestOptions.query = params.query;
        if (params.body !== undefined) requestOptions.body = params.body;
        if (params.bodyEncoding) requestOptions.bodyEncoding = params.bodyEncoding;
        if (params.headers) requestOptions.headers = params.headers;
        const response = await request(requestOptions);
        return success({
          status: response.status,
          headers: Object.fromEntries(response.headers.entries()),
          data: response.data,
        });
      } catch (error) {
        return failure(PlugboardError.isInstance(error) ? redactError(error, redactor) : error, redactor);
      }
    },

    // ----- events -----
    /**
     * Listens to one event type, or to every event with `'*'`; returns the function that stops
     * listening. Listeners are called in the order they were added, after the change was stored,
     * and never awaited; one that throws or rejects is reported to `onListenerError` and does not
     * affect the operation. No event carries a credential, a token or an action's input.
     * @example
     * const stop = toolset.on('connection.status_changed', (event) => {
     *   if (event.connection.status === 'EXPIRED') notifyUser(event.connection.entityId);
     * });
     */
    on<T extends ToolsetEventType>(type: T | '*', listener: ToolsetEventListener<T>): () => void {
      return events.on(type, listener);
    },

    /** The store this toolset uses. */
    store,
  };
}

export type Toolset = ReturnType<typeof createToolset>;

function defaultCallbackResponse(outcome: CallbackOutcome): Response {
  const title = outcome.ok ? 'Connected' : 'Connection failed';
  const text = outcome.ok
    ? `Your ${outcome.connection.app} account is connected. You can close this window.`
    : `${outcome.error.message} (${outcome.error.code})`;
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  return new Response(html, {
    status: outcome.ok ? 200 : 400,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** ISO timestamps that strictly increase within this process, so "most recently updated" is never a tie. */
function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}
