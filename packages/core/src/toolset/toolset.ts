import type * as zc from 'zod/v4/core';
import type { CredentialProvider } from '../providers/credential-provider.js';
import type { AuthMode, CustomAuth } from '../spec/auth-scheme.js';
import type { ConnectionFilter, Store } from '../store/store.js';
import type { ActionSummary, AppSummary, AuthSchemeSummary } from './catalogue.js';
import type { CallbackInput } from './connect-flows.js';
import type { Connection } from './connection.js';
import type { ConnectionRequest, InitiateConnectionParams, WaitOptions } from './connections.js';
import type { ToolsetEventListener, ToolsetEventType } from './events.js';
import type { CustomActionDefinition, ExecuteOptions } from './execution.js';
import type { CreateIntegrationParams, ExpectedParams, Integration, RequiredScopesParams } from './integrations.js';
import type { ProxyParams, ProxyResponse } from './proxy.js';
import type { ActionResult } from './run-action.js';
import type { ActionSearchResult, SearchActionsOptions } from './search-actions.js';

/**
 * The facade users hold: the catalogue of apps and actions, integrations, connections, execution
 * and events. Made by `createToolset(options)`; creating one opens no socket and reads no
 * environment variable.
 *
 * Methods that run an action or a raw request (`executeAction`, `proxy`) never throw: failures are
 * results with a stable error `code`. The others throw a `PlugboardError` with a stable `code`.
 */
export interface Toolset {
  // ----- catalogue -----

  /**
   * Every registered app.
   * @returns `[{ id, name, authModes, actionCount, version }]`, in registration order.
   */
  listApps(): AppSummary[];

  /**
   * Actions with their input JSON Schema, filtered by app, tags (an action with any of them) or names.
   * @example toolset.listActions({ app: 'github', tags: ['issues'] });
   */
  listActions(filter?: { app?: string; tags?: string[]; names?: string[] }): ActionSummary[];

  /**
   * Ranked full-text search over every action's name, description, tags, aliases and parameter
   * names: `[{ name, app, description, score }]`, best first. The index is built on the first
   * search (every generated catalogue is loaded then) and rebuilt after actions are added.
   * Deprecated actions are left out unless `includeDeprecated`, and then ranked last.
   * @example
   * await toolset.searchActions('re-run the failed CI job', { apps: ['github'], limit: 5 });
   */
  searchActions(query: string, options?: SearchActionsOptions): Promise<ActionSearchResult[]>;

  /**
   * One action by name or alias.
   * @throws `ACTION_NOT_FOUND`, with "did you mean" suggestions.
   */
  getAction(name: string): ActionSummary;

  /**
   * The app's auth scheme for `mode`, or its preferred scheme: its fields and, for OAuth, its URLs.
   * @throws `APP_NOT_FOUND`, or `AUTH_SCHEME_NOT_FOUND` naming the modes the app supports.
   */
  getAuthSchemeForApp(app: string, mode?: AuthMode): AuthSchemeSummary;

  /**
   * The fields an end user must supply to connect with a scheme (`api_key`, `shop`, ...), from an
   * app (and optionally its mode) or an integration.
   * @example await toolset.getExpectedParamsForUser({ app: 'shopify', authScheme: 'API_KEY' });
   */
  getExpectedParamsForUser(params: {
    app?: string;
    integrationId?: string;
    authScheme?: AuthMode;
  }): Promise<ExpectedParams>;

  // ----- integrations -----

  /**
   * Saves the developer's configuration of one app and auth mode (client id and secret, scopes).
   * The values are checked against the scheme's developer fields; secret ones come back redacted.
   * Without `authConfig`, an OAuth mode uses the toolset's `oauthApps` entry for the app.
   * @throws `INVALID_AUTH_CONFIG` naming the missing or invalid fields.
   */
  createIntegration(params: CreateIntegrationParams): Promise<Integration>;

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
   */
  requiredScopes(params: RequiredScopesParams): string[];

  /**
   * One integration, secret developer fields redacted.
   * @throws `INTEGRATION_NOT_FOUND`
   */
  getIntegration(id: string): Promise<Integration>;

  /** Every integration, or those of one app, secret developer fields redacted. */
  listIntegrations(filter?: { app?: string }): Promise<Integration[]>;

  /**
   * Deletes the integration and every connection made through it (a `connection.deleted` event
   * for each).
   * @throws `INTEGRATION_NOT_FOUND`
   */
  deleteIntegration(id: string): Promise<void>;

  // ----- connections -----

  /**
   * Starts connecting an end user's account. For OAuth modes the result has the `redirectUrl` to
   * send the user to and the connection is `INITIATED`; for modes whose user supplies the
   * credentials (API key, bearer token, Basic) they are checked and stored, and the connection is
   * `ACTIVE` at once. Without an `integrationId`, the app's newest integration for the mode is
   * used, or one is created from `oauthApps`.
   *
   * With `connectionId`, re-connects that `EXPIRED` (`statusReason.code` `NEEDS_REAUTH`) or `FAILED`
   * connection in place: the id, entity and integration stay, and the result's
   * `connectedAccountId` is that id. Modes whose user supplies the credentials check the new ones
   * first, replace the old ones and make it `ACTIVE` at once (a `connection.status_changed` event
   * with the old `previousStatus`). Redirect modes (OAuth 2.0, OAuth 1.0a) return a `redirectUrl`
   * and leave the connection as it is until the callback, which makes it `ACTIVE` with the new
   * tokens (`connection.status_changed`); a denied or failed callback leaves it `EXPIRED` (or
   * `FAILED`), since its old credentials were already unusable. No `connection.created` or
   * `connection.deleted` is emitted for a re-connect. Concurrent re-connects of one connection
   * are settled by compare-and-swap: the loser fails with `STORE_CONFLICT`.
   * @example
   * const request = await toolset.initiateConnection({ connectionId: expired.id, redirectUri });
   * // request.connectedAccountId === expired.id; send the user to request.redirectUrl
   * @throws `INVALID_CONNECTION_PARAMS` for missing or invalid user fields (nothing is stored).
   * @throws `CONNECTION_NOT_FOUND` for an unknown `connectionId`, `CONNECTION_NOT_RECONNECTABLE` when it
   * is `INITIATED`, `ACTIVE` or `INACTIVE`, `INVALID_PARAMS` when `integrationId`, `app`, `authMode`
   * or `entityId` differ from the connection's.
   */
  initiateConnection(params: InitiateConnectionParams): Promise<ConnectionRequest>;

  /**
   * One connection, without its credentials.
   * @throws `CONNECTION_NOT_FOUND`
   */
  getConnection(id: string): Promise<Connection>;

  /** Connections matching a filter (app, entity, integration, status), without credentials. */
  listConnections(filter?: ConnectionFilter): Promise<Connection[]>;

  /**
   * The stored credentials of a connection (tokens, keys). Handle with care: this is the one
   * method that returns secrets.
   * @throws `CONNECTION_NOT_FOUND`
   */
  getConnectionCredentials(id: string): Promise<Record<string, string>>;

  /**
   * Deletes a connection and its credentials.
   * @throws `CONNECTION_NOT_FOUND`
   */
  deleteConnection(id: string): Promise<void>;

  /**
   * Marks an `ACTIVE` connection `INACTIVE`: it is kept but no longer used.
   * @throws `CONNECTION_NOT_ACTIVE` when it is not `ACTIVE`.
   */
  disableConnection(id: string): Promise<Connection>;

  /**
   * Turns an `INACTIVE` connection back to `ACTIVE`.
   * @throws `CONNECTION_NOT_ACTIVE` when it is not `INACTIVE`.
   */
  enableConnection(id: string): Promise<Connection>;

  /**
   * Resolves when the connection is `ACTIVE`; rejects at once on `FAILED` or `EXPIRED`
   * (`CONNECTION_FAILED`), and with `WAIT_TIMEOUT` after `timeoutMs`. Polls the store, so it sees
   * changes made by other processes.
   */
  waitUntilActive(id: string, options?: WaitOptions): Promise<Connection>;

  /**
   * Finishes an OAuth 2.0 (code) or OAuth 1.0a (verifier) authorization from the callback URL or
   * its parameters, and returns the now `ACTIVE` connection. Throws `OAUTH_STATE_INVALID` for an
   * unknown, expired or replayed state (no connection changes), `OAUTH_CALLBACK_ERROR` when the
   * provider reported an error (the connection becomes `FAILED`; a re-connected one keeps its
   * `EXPIRED` or `FAILED` status), `OAUTH_ERROR` when the token exchange is refused.
   */
  completeConnection(input: CallbackInput): Promise<Connection>;

  /**
   * A Web-standard callback handler: mount it at your `redirectUri` in any framework that speaks
   * `Request`/`Response` (Hono, Next.js route handlers, Bun, Deno; Express through an adapter).
   * Answers with `callbackResponse` or a small HTML page (200 connected, 400 with the reason).
   * @example app.get('/oauth/callback', (c) => toolset.handleCallback(c.req.raw)); // Hono
   */
  handleCallback(request: Request): Promise<Response>;

  /**
   * Refreshes a connection's tokens now (OAuth 2.0 with a refresh token or client credentials,
   * Basic with JWT, signed assertion). `invalid_grant` marks it `EXPIRED` and throws `NEEDS_REAUTH`.
   * @throws `UNSUPPORTED_AUTH_MODE` when the connection has nothing to refresh.
   */
  refreshConnection(id: string): Promise<Connection>;

  // ----- execution -----

  /**
   * Runs an action: validates the input (nothing is sent when it is invalid), resolves the
   * credentials, refreshes them if needed, sends and maps the response. Never throws: every
   * failure, from an unknown name to an upstream 500, is a result with `successful: false` and an
   * error with a stable code.
   * @example
   * const result = await toolset.executeAction('GITHUB_GET_A_REPOSITORY', { owner, repo }, { entityId: 'user-42' });
   */
  executeAction(name: string, input: unknown, options?: ExecuteOptions): Promise<ActionResult>;

  /**
   * Registers credentials for every call to an app that does not bring its own `auth` or
   * `connectedAccountId`: fixed custom auth, or a credential provider asked per entity (and
   * cached until the expiry it gives). Custom auth is checked at once.
   * @throws `INVALID_PARAMS` for a bad placement, `APP_NOT_FOUND` for an unknown app.
   */
  addAuth(app: string, auth: CustomAuth | CredentialProvider): void;

  /** Removes credentials registered with `addAuth`; `false` when there were none. */
  removeAuth(app: string): boolean;

  /**
   * Registers a custom action, optionally bound to an app whose credentials its `context.request`
   * uses, and returns its summary.
   */
  createAction<Input extends zc.$ZodType>(definition: CustomActionDefinition<Input>): ActionSummary;

  /**
   * A raw authenticated request to an app's API, with the same credential resolution, placement,
   * retries and redaction as actions. Never throws, like `executeAction`.
   */
  proxy(params: ProxyParams): Promise<ActionResult<ProxyResponse>>;

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
  on<T extends ToolsetEventType>(type: T | '*', listener: ToolsetEventListener<T>): () => void;

  /** The store this toolset uses. */
  readonly store: Store;
}
