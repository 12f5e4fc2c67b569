import type { FetchFunction } from '../http/send-request.js';

// The part of @opentelemetry/api used here, declared structurally: core's published types must not
// need the package, which is an optional peer dependency.
type Attributes = Record<string, string | number | boolean>;
interface OTelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  isRecording(): boolean;
  end(): void;
}
interface OTelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: Attributes }, context?: unknown): OTelSpan;
}
interface OTelApi {
  trace: {
    getTracerProvider(): TracerProviderLike;
    setSpan(context: unknown, span: OTelSpan): unknown;
  };
  context: { active(): unknown };
}

// Stable values of the OpenTelemetry API (SpanKind, SpanStatusCode).
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const TRACER_NAME = '@plugboard/core';

/** Any OpenTelemetry tracer provider (`BasicTracerProvider`, `NodeTracerProvider`, ...). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/**
 * OpenTelemetry spans, through `@opentelemetry/api` when it is installed (an optional peer
 * dependency). Without it, or with `enabled: false`, nothing is traced and nothing is loaded.
 */
export interface TracingOptions {
  /** @default true */
  enabled?: boolean | undefined;
  /**
   * The provider whose tracer makes the spans.
   * @default the global one (`trace.getTracerProvider()`), as registered by your OpenTelemetry SDK
   */
  tracerProvider?: TracerProviderLike | undefined;
}

/** How one execution ended, for its span. */
export interface ExecutionOutcome {
  successful: boolean;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
  entityId?: string | undefined;
  connectionId?: string | undefined;
}

/** The span of one execution, and the way its children (HTTP attempts, token refreshes) attach to it. */
export interface ExecutionTrace {
  /** Names the span once the action is found. */
  identify(app: string, action: string): void;
  /**
   * Wraps the fetch of each HTTP attempt so that every call is a child span; absent when nothing
   * records spans, so an untraced execution sends through the toolset's fetch as it is.
   */
  wrapFetch?: ((fetchFunction: FetchFunction) => FetchFunction) | undefined;
  /** Runs a token refresh as a child span. */
  refresh<T>(reason: string, run: () => Promise<T>): Promise<T>;
  end(outcome: ExecutionOutcome): void;
}

/** What an execution has when nothing records its spans: every method passes through. */
export const NO_TRACE: ExecutionTrace = {
  identify() {},
  refresh: (_reason, run) => run(),
  end() {},
};

export type ImportModule = (specifier: string) => Promise<unknown>;

// A specifier in a variable keeps bundlers from insisting on a package that is optional.
const OPENTELEMETRY_API = '@opentelemetry/api';
const importModule: ImportModule = (specifier) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);

/** Loads `@opentelemetry/api` once; `undefined` when it is not installed. */
export function createOpenTelemetryLoader(load: ImportModule = importModule): () => Promise<OTelApi | undefined> {
  let loading: Promise<OTelApi | undefined> | undefined;
  return () => {
    loading ??= load(OPENTELEMETRY_API).then(
      (loaded) => {
        const api = ((loaded as { default?: unknown }).default ?? loaded) as Partial<OTelApi>;
        return api.trace && api.context ? (api as OTelApi) : undefined;
      },
      () => undefined,
    );
    return loading;
  };
}

let sharedLoader: (() => Promise<OTelApi | undefined>) | undefined;

// Where @opentelemetry/api 1.x keeps what an SDK registers (`trace.setGlobalTracerProvider`,
// `NodeSDK.start()`): a global under this symbol, with a `trace` entry once a provider is set.
const OPENTELEMETRY_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether an OpenTelemetry SDK registered a global tracer provider. Without one the API hands out
 * spans that record nothing, so the API need not be loaded at all: importing it costs a cold
 * process tens of milliseconds on its first execution. Read on every execution, so an SDK started
 * after the toolset is still picked up.
 */
export function globalTracerProviderRegistered(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OPENTELEMETRY_GLOBAL];
  return registered?.trace !== undefined;
}

/** Starts the spans of executions; one per toolset. */
export function createTracing(
  options: TracingOptions = {},
  loadApi?: () => Promise<OTelApi | undefined>,
  globalProviderRegistered: () => boolean = globalTracerProviderRegistered,
) {
  if (options.enabled === false) return { startExecution: async (_name: string): Promise<ExecutionTrace> => NO_TRACE };
  const load = loadApi ?? (sharedLoader ??= createOpenTelemetryLoader());
  let tracer: OTelTracer | undefined;

  async function startExecution(name: string): Promise<ExecutionTrace> {
    if (options.tracerProvider === undefined && tracer === undefined && !globalProviderRegistered()) return NO_TRACE;
    const api = await load();
    if (!api) return NO_TRACE;
    tracer ??= (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(TRACER_NAME) as OTelTracer;
    const span = tracer.startSpan(
      `plugboard.execute ${name}`,
      { kind: SPAN_KIND_INTERNAL, attributes: { 'plugboard.action': name } },
      api.context.active(),
    );
    // Without a registered SDK the API hands out spans that record nothing: skip the children too.
    if (!span.isRecording()) {
      span.end();
      return NO_TRACE;
    }
    return executionTrace(api, tracer, span);
  }

  return { startExecution };
}

function executionTrace(api: OTelApi, tracer: OTelTracer, span: OTelSpan): ExecutionTrace {
  // Children name their parent explicitly: no context manager is needed to follow the awaits.
  const parent = api.trace.setSpan(api.context.active(), span);
  return {
    identify(app, action) {
      span.updateName(`plugboard.execute ${action}`);
      span.setAttribute('plugboard.action', action);
      if (app !== '') span.setAttribute('plugboard.app', app);
    },
    wrapFetch(send) {
      return async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        const attempt = tracer.startSpan(
          `HTTP ${method}`,
          {
            kind: SPAN_KIND_CLIENT,
            attributes: {
              'http.request.method': method,
              'server.address': url.hostname,
              'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
              'url.scheme': url.protocol.slice(0, -1),
              // No path and no query: they carry the action's input and can carry placed credentials.
              // The execution span's action name says which route this was.
            },
          },
          parent,
        );
        try {
          const response = await send(input, init);
          attempt.setAttribute('http.response.status_code', response.status);
          if (response.status >= 400) attempt.setStatus({ code: STATUS_ERROR });
          return response;
        } catch (error) {
          attempt.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
          attempt.setStatus({ code: STATUS_ERROR });
          throw error;
        } finally {
          attempt.end();
        }
      };
    },
    async refresh(reason, run) {
      const child = tracer.startSpan(
        'plugboard.token_refresh',
        { kind: SPAN_KIND_INTERNAL, attributes: { 'plugboard.refresh.reason': reason } },
        parent,
      );
      try {
        return await run();
      } catch (error) {
        const code = (error as { code?: unknown } | undefined)?.code;
        child.setStatus({ code: STATUS_ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
        throw error;
      } finally {
        child.end();
      }
    },
    end(outcome) {
      span.setAttribute('plugboard.outcome', outcome.successful ? 'success' : 'failure');
      if (outcome.entityId !== undefined) span.setAttribute('plugboard.entity_id', outcome.entityId);
      if (outcome.connectionId !== undefined) span.setAttribute('plugboard.connection_id', outcome.connectionId);
      if (outcome.httpStatus !== undefined) span.setAttribute('http.response.status_code', outcome.httpStatus);
      if (outcome.errorCode !== undefined) {
        span.setAttribute('plugboard.error_code', outcome.errorCode);
        // The code, never the message: the span leaves the process.
        span.setStatus({ code: STATUS_ERROR, message: outcome.errorCode });
      }
      span.end();
    },
  };
}
