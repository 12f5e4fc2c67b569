import { strategyFor } from '../auth/strategies.js';
import { storeConnection } from '../auth/connection-record.js';
import type { FlowResult, FlowStart } from '../auth/strategy.js';
import { PlugboardError } from '../errors.js';
import { checkAuthParameters } from '../http/build-request.js';
import { abortableDelay } from '../http/send-request.js';
import { userFields, type AuthMode } from '../spec/auth-scheme.js';
import type { ConnectionFilter, ConnectionRecord, ConnectionStatus, IntegrationRecord } from '../store/store.js';
import { findScheme } from './catalogue.js';
import { completeAuthorization, isReconnectable, type CallbackInput } from './connect-flows.js';
import { showConnection, type Connection } from './connection.js';
import type { ToolsetContext } from './context.js';
import { checkFieldValues, toTemplateValues } from './field-values.js';
import type { Integrations } from './integrations.js';

/** What `toolset.initiateConnection` takes. */
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
  /**
   * Re-connects this existing `EXPIRED` or `FAILED` connection in place instead of making a new
   * one: same id, entity and integration (`integrationId`, `app`, `authMode` and `entityId` may be
   * left out; given, they must match). See `Toolset.initiateConnection`.
   */
  connectionId?: string;
  /** Extra OAuth 2.0 authorization parameters for this request (`login_hint`, `prompt`). */
  authorizationParams?: Record<string, string>;
  /** For an OAUTH2 scheme that declares both grants. @default 'authorization_code' */
  grantType?: 'authorization_code' | 'client_credentials';
}

/** A started connection: its id and status, and where to send the user for OAuth modes. */
export interface ConnectionRequest {
  connectedAccountId: string;
  integrationId: string;
  connectionStatus: ConnectionStatus;
  /** Where to send the user for OAuth modes; `undefined` otherwise. */
  redirectUrl: string | undefined;
  /**
   * Resolves when the connection is `ACTIVE`; rejects at once on `FAILED` or `EXPIRED`, and with
   * `WAIT_TIMEOUT` after `timeoutMs`. Polls the store, so it sees changes made by other processes.
   * For a re-connect through a redirect, the connection's old `EXPIRED` or `FAILED` status means
   * "still waiting" until the callback has changed it.
   * An aborted `signal` stops the wait at once, rejecting with the signal's reason.
   */
  waitUntilActive(options?: WaitOptions): Promise<Connection>;
}

/** How long and how often `waitUntilActive` polls. */
export interface WaitOptions {
  /** @default 60_000 */
  timeoutMs?: number;
  /** @default 500 */
  pollIntervalMs?: number;
  /** Stops the wait (a person pressed Ctrl-C, a request was cancelled). */
  signal?: AbortSignal;
}

/**
 * The connection lifecycle: initiating (a redirect or stored credentials), completing a callback,
 * status changes, refreshing, polling until active, and deleting.
 */
export function createConnections(context: ToolsetContext, integrations: Integrations) {
  const { catalogue, store, clock, flowDeps, refresher, valuesOf } = context;

  async function initiateConnection(params: InitiateConnectionParams): Promise<ConnectionRequest> {
    const reconnect = params.connectionId === undefined ? undefined : await reconnectable(params);
    if (params.integrationId === undefined && params.app === undefined && reconnect === undefined) {
      throw new PlugboardError(
        'INVALID_PARAMS',
        'initiateConnection needs an integrationId, an app or a connectionId.',
      );
    }
    let integration: IntegrationRecord;
    if (reconnect !== undefined || params.integrationId !== undefined) {
      integration = await context.findIntegration(reconnect?.integrationId ?? (params.integrationId as string));
      if (params.app !== undefined && params.app !== integration.app) {
        throw new PlugboardError(
          'INVALID_PARAMS',
          `Integration ${integration.id} is for "${integration.app}", not "${params.app}".`,
        );
      }
    } else {
      const connector = catalogue.getApp(params.app as string);
      integration = await integrations.integrationForApp(connector, findScheme(connector, params.authMode));
    }
    const connector = catalogue.getApp(integration.app);
    const scheme = findScheme(connector, integration.authMode);
    const entityId = reconnect?.entityId ?? params.entityId ?? 'default';
    if (typeof entityId !== 'string' || entityId === '')
      throw new PlugboardError('INVALID_PARAMS', 'entityId must be a non-empty string.');
    const values = checkFieldValues(userFields(scheme), params.connectedAccountParams, {
      code: 'INVALID_CONNECTION_PARAMS',
      subject: `Connection parameters for "${connector.id}" (${scheme.mode})`,
    });
    const userValues = toTemplateValues(values);
    const strategy = strategyFor(scheme.mode);
    const start: FlowStart = {
      connector,
      scheme,
      integration,
      entityId,
      redirectUri: params.redirectUri,
      userValues,
      authorizationParams: params.authorizationParams,
      grantType: params.grantType,
      reconnect,
    };
    let result: FlowResult;
    if (strategy.connect) {
      result = await strategy.connect(flowDeps, start);
    } else {
      // Render now so a credential that could never be placed (a bad subdomain) is refused before it is stored.
      checkAuthParameters(strategy.place(scheme, { ...toTemplateValues(valuesOf(integration)), ...userValues }));
      result = { connection: await storeConnection(flowDeps, start, 'ACTIVE', userValues) };
    }
    const stored = result.connection;
    if (reconnect === undefined) {
      context.events.emit({ type: 'connection.created', connection: showConnection(stored) });
    } else if (stored.status !== reconnect.status) {
      context.events.emit({
        type: 'connection.status_changed',
        connection: showConnection(stored),
        previousStatus: reconnect.status,
      });
    }
    return connectionRequest(stored, result.redirectUrl, reconnect?.version);
  }

  /** The connection `params.connectionId` names, checked: it exists, may be re-connected and matches the params. */
  async function reconnectable(params: InitiateConnectionParams): Promise<ConnectionRecord> {
    const connection = await context.findConnection(params.connectionId as string);
    if (!isReconnectable(connection)) {
      throw new PlugboardError(
        'CONNECTION_NOT_RECONNECTABLE',
        `Connection ${connection.id} is ${connection.status}; only an EXPIRED or FAILED connection can be re-connected.`,
        { details: { status: connection.status } },
      );
    }
    const mismatches = (
      [
        ['integrationId', params.integrationId, connection.integrationId],
        ['app', params.app, connection.app],
        ['authMode', params.authMode, connection.authMode],
        ['entityId', params.entityId, connection.entityId],
      ] as const
    ).filter(([, given, own]) => given !== undefined && given !== own);
    if (mismatches.length > 0) {
      const described = mismatches.map(([name, given, own]) => `${name} "${given}" (it has "${own}")`).join(', ');
      throw new PlugboardError(
        'INVALID_PARAMS',
        `Connection ${connection.id} is re-connected with its own integration, app and entity; got ${described}.`,
      );
    }
    return connection;
  }

  function connectionRequest(
    record: ConnectionRecord,
    redirectUrl: string | undefined,
    reconnectedVersion?: number,
  ): ConnectionRequest {
    return {
      connectedAccountId: record.id,
      integrationId: record.integrationId,
      connectionStatus: record.status,
      redirectUrl,
      waitUntilActive: (waitOptions = {}) => waitUntilActive(record.id, waitOptions, reconnectedVersion),
    };
  }

  /**
   * A re-connect's redirect keeps the old status until its callback, so while the connection is
   * still at `reconnectedVersion` its `EXPIRED` or `FAILED` means "waiting", not "ended".
   */
  async function waitUntilActive(id: string, waitOptions: WaitOptions, reconnectedVersion?: number) {
    const timeoutMs = waitOptions.timeoutMs ?? 60_000;
    const pollIntervalMs = waitOptions.pollIntervalMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      waitOptions.signal?.throwIfAborted();
      const connection = await context.findConnection(id);
      if (connection.status === 'ACTIVE') return showConnection(connection);
      const ended =
        (connection.status === 'FAILED' || connection.status === 'EXPIRED') &&
        connection.version !== reconnectedVersion;
      if (ended) {
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
    const connection = await context.findConnection(id);
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
    context.events.emit({ type: 'connection.status_changed', connection: updated, previousStatus: connection.status });
    return updated;
  }

  return {
    initiateConnection,
    waitUntilActive: (id: string, waitOptions: WaitOptions = {}): Promise<Connection> =>
      waitUntilActive(id, waitOptions),
    getConnection: async (id: string): Promise<Connection> => showConnection(await context.findConnection(id)),
    listConnections: async (filter: ConnectionFilter = {}): Promise<Connection[]> =>
      (await store.listConnections(filter)).map(showConnection),
    getConnectionCredentials: async (id: string): Promise<Record<string, string>> => ({
      ...(await context.findConnection(id)).credentials,
    }),
    async deleteConnection(id: string): Promise<void> {
      const connection = await store.getConnection(id);
      if (!connection || !(await store.deleteConnection(id)))
        throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
      context.events.emit({ type: 'connection.deleted', connection: showConnection(connection) });
    },
    disableConnection: (id: string) => setStatus(id, 'INACTIVE', ['ACTIVE']),
    enableConnection: (id: string) => setStatus(id, 'ACTIVE', ['INACTIVE']),
    completeConnection: async (input: CallbackInput): Promise<Connection> =>
      showConnection(await completeAuthorization(flowDeps, input)),
    async refreshConnection(id: string): Promise<Connection> {
      const connection = await context.findConnection(id);
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
  };
}

export type Connections = ReturnType<typeof createConnections>;
