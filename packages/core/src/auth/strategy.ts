import type { BuiltRequest } from '../http/build-request.js';
import type { FetchFunction, HttpOptions } from '../http/send-request.js';
import type { AuthMode, AuthParameter, AuthScheme } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { ConnectionRecord, IntegrationRecord, PendingAuthRecord, Store } from '../store/store.js';
import type { EmitEvent } from '../toolset/events.js';

/** What a connect flow may use from the toolset. */
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

/** One `initiateConnection` call, checked: the scheme, the integration and the user's values. */
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
  /**
   * The `EXPIRED` or `FAILED` connection this flow re-connects in place (same id, entity and
   * integration); `undefined` for a new connection.
   */
  reconnect?: ConnectionRecord | undefined;
}

/** The stored connection a flow made, and where to send the user for a redirect flow. */
export interface FlowResult {
  connection: ConnectionRecord;
  redirectUrl?: string | undefined;
}

/** New credentials, as a connect callback or a refresh obtains them. */
export interface ObtainedCredentials {
  credentials: Record<string, string>;
  expiresAt?: string | undefined;
}

/** A callback whose pending state was found, for the strategy that started the flow to finish. */
export interface CallbackContext {
  deps: FlowDeps;
  params: URLSearchParams;
  pending: PendingAuthRecord;
  /** The connection the callback completes: `INITIATED`, or `EXPIRED`/`FAILED` when it re-connects it. */
  connection: ConnectionRecord;
  connector: Connector;
  scheme: AuthScheme;
  developerValues: Record<string, unknown>;
  /** The end user's field values this flow started with (a Shopify `shop`). */
  userValues: Record<string, string>;
  /** Developer and user values for `{name}` templates in provider URLs. */
  hostValues: Record<string, string>;
  /**
   * Marks the connection `FAILED` with this reason (a re-connected connection keeps its status) and
   * throws `OAUTH_CALLBACK_ERROR`.
   */
  fail(code: string, message: string): Promise<never>;
  /** Runs a token exchange; if it throws, the connection is marked as `fail` does first. */
  exchange<T>(run: () => Promise<T>): Promise<T>;
  /**
   * Stores the connection `ACTIVE` with these credentials added to the user's field values (a
   * re-connect drops the old tokens).
   */
  activate(obtained: ObtainedCredentials): Promise<ConnectionRecord>;
}

/** A connection to refresh, with its scheme and its integration's values. */
export interface RefreshContext {
  connection: ConnectionRecord;
  connector: Connector;
  scheme: AuthScheme;
  developerValues: Record<string, unknown>;
  /** Developer values and the connection's credentials for `{name}` templates in provider URLs. */
  hostValues: Record<string, string>;
  fetch: FetchFunction | undefined;
  http: HttpOptions;
}

/**
 * What one auth mode does, in one module per mode (`auth/<mode>/strategy.ts`), registered in
 * `auth/strategies.ts`. Every member but `mode` and `place` is optional: a mode whose user supplies
 * the credentials (API key, bearer token, Basic) only places them.
 */
export interface AuthStrategy {
  mode: AuthMode;
  /** Refuses a scheme of this mode that lacks its settings, when the connector is defined. */
  checkScheme?(scheme: AuthScheme, where: string): void;
  /** Integrations may take their developer fields from the toolset's `oauthApps`. */
  usesOAuthApps?: boolean;
  /** Integrations created without scopes ask for the scopes their actions need. */
  scopesFromActions?: boolean;
  /** The app can be called without credentials when it declares a scheme of this mode. */
  anonymous?: boolean;
  /**
   * Makes the connection through a flow (a redirect, a first token exchange) and stores it.
   * Without it, the user's field values are checked, placed once and stored as the credentials.
   */
  connect?(deps: FlowDeps, start: FlowStart): Promise<FlowResult>;
  /** The pending-state key a provider's callback carries for this mode's flow, if it carries one. */
  callbackState?(params: URLSearchParams): string | undefined;
  /** Finishes a redirect flow from its callback. */
  complete?(callback: CallbackContext): Promise<ConnectionRecord>;
  /** Whether the connection can get new credentials without the user. */
  isRefreshable?(connection: ConnectionRecord): boolean;
  /** Gets new credentials without the user. */
  refresh?(context: RefreshContext): Promise<ObtainedCredentials>;
  /** Provider error codes of a refused refresh that mean only the user can fix it. @default ['invalid_grant'] */
  reauthErrors?(scheme: AuthScheme | undefined): readonly string[];
  /** Signs the final request (after placement, over the final URL and body). */
  signer?(
    scheme: AuthScheme,
    values: Record<string, string>,
  ): ((built: BuiltRequest) => Promise<BuiltRequest>) | undefined;
  /** Where the credentials go on a request. */
  place(scheme: AuthScheme, values: Readonly<Record<string, string>>): AuthParameter[];
}
