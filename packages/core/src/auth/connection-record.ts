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
