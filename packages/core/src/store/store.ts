import type { AuthMode } from '../spec/auth-scheme.js';

export const CONNECTION_STATUSES = ['INITIATED', 'ACTIVE', 'FAILED', 'EXPIRED', 'INACTIVE'] as const;
/**
 * `INITIATED`: waiting for the user (OAuth redirect). `ACTIVE`: usable. `FAILED`: the flow ended in
 * an error. `EXPIRED`: the credentials no longer work and the user must reconnect. `INACTIVE`:
 * disabled by the developer.
 */
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** A developer's configuration of one app and auth mode. */
export interface IntegrationRecord {
  id: string;
  app: string;
  authMode: AuthMode;
  name: string;
  /** Developer field values (`client_id`, `client_secret`, `scopes`). Secret values are stored as given. */
  authConfig: Record<string, unknown>;
  /** The integration uses the toolset's `oauthApps` entry for its app rather than its own `authConfig`. */
  usesDefaultOAuthApp: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One entity's credentials for one integration. */
export interface ConnectionRecord {
  id: string;
  integrationId: string;
  app: string;
  authMode: AuthMode;
  entityId: string;
  status: ConnectionStatus;
  /** Why the connection is `FAILED`, `EXPIRED` or `INACTIVE`. Never holds a secret. */
  statusReason?: { code: string; message: string } | undefined;
  /** User field values and tokens (`api_key`, `shop`, `access_token`, `refresh_token`). */
  credentials: Record<string, string>;
  /** ISO time the access token expires, when known. */
  expiresAt?: string | undefined;
  /** Increases by one on every update; the basis of compare-and-swap. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The state of an authorization in progress, keyed by the OAuth `state`. */
export interface PendingAuthRecord {
  state: string;
  connectionId: string;
  integrationId: string;
  redirectUri?: string | undefined;
  codeVerifier?: string | undefined;
  expiresAt: string;
  /** Flow-specific data (an OAuth 1.0a request token secret). */
  data?: Record<string, string> | undefined;
}

/** Which connections `Store.listConnections` returns; every field given must match. */
export interface ConnectionFilter {
  app?: string | undefined;
  entityId?: string | undefined;
  integrationId?: string | undefined;
  status?: ConnectionStatus | readonly ConnectionStatus[] | undefined;
}

/**
 * What `Store.findConnectionWithIntegration` looks for: one connection by id (whatever its status),
 * or an entity's most recently updated `ACTIVE` connection for an app (the one an execution uses).
 */
export type ConnectionLookup = { connectionId: string } | { app: string; entityId: string };

/** A connection and the integration it belongs to, read together. */
export interface ConnectionWithIntegration {
  connection: ConnectionRecord;
  /** `undefined` when the integration no longer exists. */
  integration: IntegrationRecord | undefined;
}

/** The fields `Store.updateConnection` may change. */
export type ConnectionChanges = Partial<
  Omit<ConnectionRecord, 'id' | 'version' | 'createdAt' | 'integrationId' | 'app' | 'authMode'>
>;

/** A held lease on a named lock. */
export interface StoreLock {
  /** Releases the lock if this holder still has it; a no-op after the lease expired. */
  release(): Promise<void>;
}

/**
 * Persistence for integrations, connections and pending authorizations.
 *
 * Two primitives make concurrent refreshes safe when several processes share one store:
 * `updateConnection` with `expectedVersion` is an atomic compare-and-swap, and `acquireLock`
 * is a lease that at most one holder has at a time. A SQL store implements the first with
 * `UPDATE ... WHERE version = $n` and the second with advisory locks or a lease row.
 *
 * Records returned are copies: changing them changes nothing stored.
 */
export interface Store {
  saveIntegration(record: IntegrationRecord): Promise<void>;
  getIntegration(id: string): Promise<IntegrationRecord | undefined>;
  listIntegrations(filter?: { app?: string | undefined }): Promise<IntegrationRecord[]>;
  /** Deletes an integration; its connections are deleted with it. Returns whether it existed. */
  deleteIntegration(id: string): Promise<boolean>;

  /** Inserts a connection; fails with `STORE_CONFLICT` if the id exists. */
  createConnection(record: ConnectionRecord): Promise<void>;
  getConnection(id: string): Promise<ConnectionRecord | undefined>;
  /** Most recently updated first; ties broken by id, so the order is deterministic. */
  listConnections(filter?: ConnectionFilter): Promise<ConnectionRecord[]>;
  /**
   * Applies `changes` and increments `version`. With `expectedVersion`, applies them only if the
   * stored version still equals it, and otherwise fails with `STORE_CONFLICT`.
   * Fails with `CONNECTION_NOT_FOUND` when the connection does not exist.
   */
  updateConnection(
    id: string,
    changes: ConnectionChanges,
    options?: { expectedVersion?: number },
  ): Promise<ConnectionRecord>;
  deleteConnection(id: string): Promise<boolean>;

  savePendingAuth(record: PendingAuthRecord): Promise<void>;
  /** Returns and deletes in one step, so a state can be used once. Expired records are not returned. */
  takePendingAuth(state: string): Promise<PendingAuthRecord | undefined>;

  /** Tries to take the named lock for `ttlMs`; `undefined` when someone else holds it. */
  acquireLock(name: string, ttlMs: number): Promise<StoreLock | undefined>;

  /**
   * Optional: the connection an execution uses and its integration in one read. It must answer
   * exactly what `getConnection(id)` (or the first of `listConnections({ app, entityId, status:
   * 'ACTIVE' })`) followed by `getIntegration(connection.integrationId)` would, or `undefined` when
   * there is no such connection. Core calls it, when a store has it, instead of those two reads:
   * on a SQL store it is one round trip (a join) in place of two on every execution.
   */
  findConnectionWithIntegration?(lookup: ConnectionLookup): Promise<ConnectionWithIntegration | undefined>;
}
