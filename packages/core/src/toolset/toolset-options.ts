import type { FetchFunction, HttpHooks, HttpOptions } from '../http/send-request.js';
import type { Connector } from '../spec/connector.js';
import type { Store } from '../store/store.js';
import type { TracingOptions } from '../telemetry/tracing.js';
import type { CallbackOutcome } from './callback-page.js';
import type { ToolsetEventOptions } from './events.js';
import type { RefreshOptions } from './token-refresh.js';

/** What `createToolset` takes. Every option has a default; `createToolset()` alone is a working toolset. */
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
  /**
   * ky's hooks, run for every request to an app's API (executions and `proxy`): log, trace, sign.
   * @see HttpHooks
   * @example { beforeRequest: [(request) => request.headers.set('x-trace-id', crypto.randomUUID())] }
   */
  hooks?: HttpHooks;
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
