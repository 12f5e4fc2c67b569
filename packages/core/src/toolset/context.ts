import type { FlowDeps } from '../auth/strategy.js';
import { createSender, type FetchFunction, type HttpOptions, type Sender } from '../http/send-request.js';
import { memoryStore } from '../store/memory-store.js';
import type { ConnectionRecord, IntegrationRecord, Store } from '../store/store.js';
import { createTracing } from '../telemetry/tracing.js';
import { createCatalogue, type Catalogue } from './catalogue.js';
import { monotonicClock } from './clock.js';
import { createEventBus, type EventBus } from './events.js';
import { createProviderCache, integrationValues, type AppAuth, type ResolveAuthContext } from './resolve-auth.js';
import { createTokenRefresher, type TokenRefresher } from './token-refresh.js';
import type { ToolsetOptions } from './toolset-options.js';
import { PlugboardError } from '../errors.js';

/** What the toolset's modules share: one per toolset, built from its options. */
export interface ToolsetContext {
  options: ToolsetOptions;
  catalogue: Catalogue;
  store: Store;
  oauthApps: Record<string, Record<string, unknown>>;
  /** Credentials registered with `addAuth`, per app. */
  appAuth: Map<string, AppAuth>;
  http: HttpOptions;
  fetch: FetchFunction | undefined;
  /** One ky instance per toolset: its fetch and hooks, for every request to an app's API. */
  sender: Sender;
  /** Strictly increasing ISO timestamps for `createdAt` and `updatedAt`. */
  clock: () => string;
  events: EventBus;
  tracing: ReturnType<typeof createTracing>;
  refresher: TokenRefresher;
  flowDeps: FlowDeps;
  resolveContext: ResolveAuthContext;
  /** An integration's developer values: its own, or the toolset's default OAuth app. */
  valuesOf(integration: IntegrationRecord): Record<string, unknown>;
  findIntegration(id: string): Promise<IntegrationRecord>;
  findConnection(id: string): Promise<ConnectionRecord>;
}

export function createToolsetContext(options: ToolsetOptions): ToolsetContext {
  const catalogue = createCatalogue(options.connectors ?? []);
  const store = options.store ?? memoryStore();
  const oauthApps = options.oauthApps ?? {};
  const appAuth = new Map<string, AppAuth>();
  const http = options.http ?? {};
  const clock = monotonicClock();
  const events = createEventBus(options);
  const valuesOf = (integration: IntegrationRecord) => integrationValues(integration, oauthApps);
  const getApp = (id: string) => catalogue.getApp(id);
  const refresher = createTokenRefresher({
    store,
    getApp,
    integrationValues: valuesOf,
    fetch: options.fetch,
    http,
    now: clock,
    options: options.refresh ?? {},
    emit: events.emit,
  });
  return {
    options,
    catalogue,
    store,
    oauthApps,
    appAuth,
    http,
    fetch: options.fetch,
    sender: createSender({ fetch: options.fetch, hooks: options.hooks }),
    clock,
    events,
    tracing: createTracing(options.tracing),
    refresher,
    flowDeps: {
      store,
      getApp,
      integrationValues: valuesOf,
      fetch: options.fetch,
      http,
      now: clock,
      stateTtlMs: options.oauth?.stateTtlMs ?? 600_000,
      emit: events.emit,
    },
    resolveContext: { store, appAuth, oauthApps, refresher, providerCache: createProviderCache() },
    valuesOf,
    async findIntegration(id) {
      const integration = await store.getIntegration(id);
      if (!integration) throw new PlugboardError('INTEGRATION_NOT_FOUND', `No integration with id ${id}.`);
      return integration;
    },
    async findConnection(id) {
      const connection = await store.getConnection(id);
      if (!connection) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
      return connection;
    },
  };
}
