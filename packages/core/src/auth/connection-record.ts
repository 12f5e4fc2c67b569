import { PlugboardError } from '../errors.js';
import type { ConnectionRecord, ConnectionStatus } from '../store/store.js';
import type { FlowDeps, FlowStart } from './strategy.js';

/** A new connection record for a flow's start, not yet stored. */
export function newConnection(
  deps: FlowDeps,
  start: FlowStart,
  status: ConnectionStatus,
  credentials: Record<string, string>,
  expiresAt?: string,
): ConnectionRecord {
  const now = deps.now();
  return {
    id: crypto.randomUUID(),
    integrationId: start.integration.id,
    app: start.connector.id,
    authMode: start.scheme.mode,
    entityId: start.entityId,
    status,
    credentials,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Stores the connection a flow's start made: a new record, or for a re-connect the existing one
 * changed in place. A re-connect that becomes `ACTIVE` at once replaces the old credentials with a
 * compare-and-swap on the version the caller checked, so a concurrent change (a second re-connect)
 * fails with `STORE_CONFLICT` instead of being overwritten. A redirect flow (`INITIATED`) leaves
 * the old connection untouched until its callback completes it; its pending state says so.
 */
export async function storeConnection(
  deps: FlowDeps,
  start: FlowStart,
  status: ConnectionStatus,
  credentials: Record<string, string>,
  expiresAt?: string,
): Promise<ConnectionRecord> {
  const existing = start.reconnect;
  if (existing === undefined) {
    const connection = newConnection(deps, start, status, credentials, expiresAt);
    await deps.store.createConnection(connection);
    return connection;
  }
  if (status === 'INITIATED') return existing;
  return deps.store.updateConnection(
    existing.id,
    { status, statusReason: undefined, credentials, expiresAt, updatedAt: deps.now() },
    { expectedVersion: existing.version },
  );
}

// Keys in a pending authorization's `data`: a re-connect keeps the old connection's status until the
// callback, so the callback learns from here that it completes an EXPIRED or FAILED connection.
const RECONNECT_KEY = 'reconnect';
const RECONNECT_VALUES_KEY = 'reconnectUserValues';

/** The pending-state data that marks a redirect flow as a re-connect, with the user's new field values. */
export function reconnectData(start: FlowStart): Record<string, string> {
  if (start.reconnect === undefined) return {};
  return { [RECONNECT_KEY]: 'true', [RECONNECT_VALUES_KEY]: JSON.stringify(start.userValues) };
}

/** The user's field values of a re-connect's pending state, or `undefined` when it started a new connection. */
export function reconnectUserValues(data: Record<string, string> | undefined): Record<string, string> | undefined {
  if (data?.[RECONNECT_KEY] !== 'true') return undefined;
  return JSON.parse(data[RECONNECT_VALUES_KEY] ?? '{}') as Record<string, string>;
}

/** The redirect URI of a redirect flow: absolute, without a fragment (RFC 6749 section 3.1.2). */
export function checkRedirectUri(redirectUri: string | undefined, mode: string): string {
  if (redirectUri === undefined)
    throw new PlugboardError(
      'INVALID_PARAMS',
      `A ${mode} connection needs a redirectUri: the URL where your app calls toolset.handleCallback.`,
    );
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    throw new PlugboardError('INVALID_PARAMS', 'redirectUri must be an absolute URL.');
  }
  if (parsed.hash)
    throw new PlugboardError('INVALID_PARAMS', 'redirectUri cannot have a fragment (RFC 6749 section 3.1.2).');
  return redirectUri;
}

/** Refuses a scheme without the settings block its mode needs, naming the factory that makes one. */
export function requireSettings(present: boolean, scheme: { mode: string }, where: string, hint: string): void {
  if (!present) {
    const article = /^[AEIOU]/.test(scheme.mode) ? 'an' : 'a';
    throw new PlugboardError('INVALID_DEFINITION', `Invalid ${where}: ${article} ${scheme.mode} scheme needs ${hint}.`);
  }
}
