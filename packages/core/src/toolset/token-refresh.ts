import { strategyFor } from '../auth/strategies.js';
import { PlugboardError } from '../errors.js';
import { abortableDelay, type FetchFunction, type HttpOptions } from '../http/send-request.js';
import type { Connector } from '../spec/connector.js';
import type { ConnectionRecord, IntegrationRecord, Store } from '../store/store.js';
import { findScheme, schemeOf } from './catalogue.js';
import { showConnection } from './connection.js';
import type { EmitEvent } from './events.js';
import { toTemplateValues } from './field-values.js';

/** How tokens are kept fresh. */
export interface RefreshOptions {
  /**
   * Refresh this long before a token expires, so a request never leaves with a token that dies
   * on the way.
   * @default 60_000
   */
  marginMs?: number;
  /**
   * How long one refresh may hold the cross-process lock. Another process waits at most this
   * long before it may try itself; keep it longer than a refresh can take.
   * @default every attempt's timeout plus the backoff, plus 10 s (100 s with the defaults)
   */
  lockTtlMs?: number;
  /**
   * Retries of a refresh that failed for a passing reason (5xx, timeout, network).
   * @default 2
   */
  transientRetries?: number;
  /** First backoff between those retries, doubled each time. @default 200 */
  retryBaseMs?: number;
}

export interface TokenRefresherDeps {
  store: Store;
  getApp(id: string): Connector;
  integrationValues(integration: IntegrationRecord): Record<string, unknown>;
  fetch: FetchFunction | undefined;
  http: HttpOptions;
  now(): string;
  options: RefreshOptions;
  /** Tells the toolset's listeners about stored tokens and failed refreshes. */
  emit: EmitEvent;
}

/**
 * Keeps OAuth 2.0 and Basic-with-JWT tokens fresh. One refresh at a time per connection: in this
 * process through a shared promise, across processes through the store's lock, and every write a
 * compare-and-swap, so a rotated refresh token is stored before anyone can use its access token.
 */
export function createTokenRefresher(deps: TokenRefresherDeps) {
  const marginMs = deps.options.marginMs ?? 60_000;
  const transientRetries = deps.options.transientRetries ?? 2;
  const retryBaseMs = deps.options.retryBaseMs ?? 200;
  // The lease must outlive the longest refresh (every attempt timing out, plus the backoff), or a
  // second process could send the same refresh token while the first is still waiting.
  const longestRefreshMs =
    (transientRetries + 1) * (deps.http.timeoutMs ?? 30_000) + retryBaseMs * 2 ** (transientRetries + 1);
  const lockTtlMs = deps.options.lockTtlMs ?? longestRefreshMs + 10_000;
  const inFlight = new Map<string, Promise<ConnectionRecord>>();

  /** Whether the connection can get new tokens without the user. */
  function isRefreshable(connection: ConnectionRecord): boolean {
    return strategyFor(connection.authMode).isRefreshable?.(connection) ?? false;
  }

  function expiresSoon(connection: ConnectionRecord): boolean {
    if (!connection.expiresAt) return false;
    return Date.parse(connection.expiresAt) - marginMs <= Date.now();
  }

  /**
   * Refreshes a connection. With `staleAccessToken`, a refresh that someone else finished after
   * that token was read counts as done: its result is returned without a second token request.
   */
  function refresh(
    connectionId: string,
    request: { staleAccessToken?: string | undefined; reason: 'expiry' | 'unauthorized' | 'forced' },
  ): Promise<ConnectionRecord> {
    const running = inFlight.get(connectionId);
    if (running) return running;
    const promise = refreshWithLock(connectionId, request).finally(() => inFlight.delete(connectionId));
    inFlight.set(connectionId, promise);
    return promise;
  }

  function isDoneSince(
    current: ConnectionRecord,
    request: { staleAccessToken?: string | undefined; reason: string },
  ): boolean {
    if (request.staleAccessToken !== undefined) return current.credentials['access_token'] !== request.staleAccessToken;
    return request.reason === 'expiry' && !expiresSoon(current);
  }

  async function refreshWithLock(
    connectionId: string,
    request: { staleAccessToken?: string | undefined; reason: 'expiry' | 'unauthorized' | 'forced' },
  ): Promise<ConnectionRecord> {
    const deadline = Date.now() + lockTtlMs * 2;
    for (;;) {
      const lock = await deps.store.acquireLock(`refresh:${connectionId}`, lockTtlMs);
      if (!lock) {
        // Another process is refreshing: wait for its result rather than refreshing twice.
        await abortableDelay(50);
        const current = await getActive(connectionId);
        if (isDoneSince(current, request)) return current;
        if (Date.now() > deadline)
          throw new PlugboardError(
            'REFRESH_FAILED',
            `Timed out waiting for another process to refresh connection ${connectionId}.`,
            { retryable: true },
          );
        continue;
      }
      try {
        const current = await getActive(connectionId);
        if (isDoneSince(current, request)) return current;
        const changes = await obtainWithRetries(current);
        const saved = await saveTokens(current, changes);
        deps.emit({ type: 'token.refreshed', connection: showConnection(saved) });
        return saved;
      } finally {
        await lock.release();
      }
    }
  }

  /**
   * Stores new tokens. The provider may already have invalidated the old refresh token, so a
   * concurrent write (a status change) must not make us drop them: on a conflict the tokens are
   * laid over the latest record and written again.
   */
  async function saveTokens(
    read: ConnectionRecord,
    changes: { credentials: Record<string, string>; expiresAt: string | undefined },
  ): Promise<ConnectionRecord> {
    let current = read;
    for (let attempt = 0; ; attempt++) {
      const tokenFields = Object.fromEntries(
        Object.entries(changes.credentials).filter(([name, value]) => read.credentials[name] !== value),
      );
      try {
        return await deps.store.updateConnection(
          current.id,
          {
            credentials: { ...current.credentials, ...tokenFields },
            expiresAt: changes.expiresAt,
            updatedAt: deps.now(),
          },
          { expectedVersion: current.version },
        );
      } catch (error) {
        if (!(PlugboardError.isInstance(error) && error.code === 'STORE_CONFLICT') || attempt >= 10) throw error;
        const latest = await deps.store.getConnection(current.id);
        if (!latest) throw error;
        current = latest;
      }
    }
  }

  async function getActive(connectionId: string): Promise<ConnectionRecord> {
    const current = await deps.store.getConnection(connectionId);
    if (!current) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${connectionId}.`);
    if (current.status !== 'ACTIVE') {
      const reason = current.statusReason ? ` (${current.statusReason.code}: ${current.statusReason.message})` : '';
      throw new PlugboardError(
        current.statusReason?.code === 'NEEDS_REAUTH' ? 'NEEDS_REAUTH' : 'CONNECTION_NOT_ACTIVE',
        `Connection ${connectionId} is ${current.status}${reason}.`,
        {
          details: { status: current.status, statusReason: current.statusReason },
        },
      );
    }
    return current;
  }

  async function obtainWithRetries(
    connection: ConnectionRecord,
  ): Promise<{ credentials: Record<string, string>; expiresAt: string | undefined }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await obtain(connection);
      } catch (error) {
        const kind = classify(error, reauthErrorsOf(connection));
        if (kind === 'reauth') {
          const expired = await markNeedsReauth(connection, error);
          const refused = new PlugboardError(
            'NEEDS_REAUTH',
            `Connection ${connection.id} must be connected again: ${PlugboardError.isInstance(error) ? error.message : 'the credentials were refused.'}`,
            {
              status: PlugboardError.isInstance(error) ? error.status : undefined,
              details: {
                connectionId: connection.id,
                cause: PlugboardError.isInstance(error) ? error.toJSON() : undefined,
              },
            },
          );
          emitRefreshFailed(expired ?? connection, refused);
          if (expired)
            deps.emit({
              type: 'connection.status_changed',
              connection: showConnection(expired),
              previousStatus: 'ACTIVE',
            });
          throw refused;
        }
        if (kind === 'fatal') {
          emitRefreshFailed(connection, error);
          throw error;
        }
        if (attempt >= transientRetries) {
          const failed = new PlugboardError(
            'REFRESH_FAILED',
            `Refreshing connection ${connection.id} failed; it stays ACTIVE and the next call tries again.`,
            {
              retryable: true,
              details: { cause: PlugboardError.isInstance(error) ? error.toJSON() : { message: 'unexpected error' } },
            },
          );
          emitRefreshFailed(connection, failed);
          throw failed;
        }
        await abortableDelay(retryBaseMs * 2 ** attempt);
      }
    }
  }

  function reauthErrorsOf(connection: ConnectionRecord): readonly string[] {
    const strategy = strategyFor(connection.authMode);
    if (!strategy.reauthErrors) return ['invalid_grant'];
    return strategy.reauthErrors(schemeOf(deps.getApp(connection.app), connection.authMode));
  }

  function emitRefreshFailed(connection: ConnectionRecord, error: unknown): void {
    // Messages of PlugboardErrors are redacted where they are made; anything else is not ours to repeat.
    const described = PlugboardError.isInstance(error)
      ? { code: error.code, message: error.message }
      : { code: 'REFRESH_FAILED', message: 'The refresh failed with an unexpected error.' };
    deps.emit({ type: 'token.refresh_failed', connection: showConnection(connection), error: described });
  }

  /** Marks the connection EXPIRED; returns the stored record, or undefined when someone else wrote first. */
  async function markNeedsReauth(connection: ConnectionRecord, error: unknown): Promise<ConnectionRecord | undefined> {
    const reason = PlugboardError.isInstance(error) ? error.message : 'The credentials were refused.';
    try {
      // Credentials are kept as they were: nothing is lost if the provider refused by mistake.
      return await deps.store.updateConnection(
        connection.id,
        { status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH', message: reason }, updatedAt: deps.now() },
        { expectedVersion: connection.version },
      );
    } catch (conflict) {
      if (!PlugboardError.isInstance(conflict) || conflict.code !== 'STORE_CONFLICT') throw conflict;
      return undefined;
    }
  }

  async function obtain(
    connection: ConnectionRecord,
  ): Promise<{ credentials: Record<string, string>; expiresAt: string | undefined }> {
    const connector = deps.getApp(connection.app);
    const scheme = findScheme(connector, connection.authMode);
    const integration = await deps.store.getIntegration(connection.integrationId);
    if (!integration)
      throw new PlugboardError(
        'INTEGRATION_NOT_FOUND',
        `Connection ${connection.id} refers to integration ${connection.integrationId}, which no longer exists.`,
      );
    const strategy = strategyFor(connection.authMode);
    if (!strategy.refresh)
      throw new PlugboardError(
        'UNSUPPORTED_AUTH_MODE',
        `Connection ${connection.id} (${connection.authMode}) has nothing to refresh.`,
      );
    const developerValues = deps.integrationValues(integration);
    const obtained = await strategy.refresh({
      connection,
      connector,
      scheme,
      developerValues,
      hostValues: toTemplateValues({ ...developerValues, ...connection.credentials }),
      fetch: deps.fetch,
      http: deps.http,
    });
    return { credentials: obtained.credentials, expiresAt: obtained.expiresAt };
  }

  return { refresh, isRefreshable, expiresSoon };
}

export type TokenRefresher = ReturnType<typeof createTokenRefresher>;

/**
 * `reauth`: the grant is gone (invalid_grant or the scheme's `reauthErrors`, a refused login), only the user can fix it.
 * `transient`: 5xx, timeouts and network errors, worth another try. `fatal`: the rest
 * (a wrong client secret is the developer's to fix, and retrying will not help).
 */
function classify(error: unknown, reauthErrors: readonly string[]): 'reauth' | 'transient' | 'fatal' {
  if (!PlugboardError.isInstance(error)) return 'fatal';
  if (error.code === 'NEEDS_REAUTH') return 'reauth';
  const oauthError = (error.details as { error?: string } | undefined)?.error;
  if (error.code === 'OAUTH_ERROR' && oauthError !== undefined && reauthErrors.includes(oauthError)) return 'reauth';
  if (error.code === 'TIMEOUT' || error.code === 'NETWORK_ERROR') return 'transient';
  if (error.code === 'OAUTH_ERROR' || error.code === 'UPSTREAM_ERROR') {
    return error.status !== undefined && (error.status >= 500 || error.status === 429 || error.status === 408)
      ? 'transient'
      : 'fatal';
  }
  return 'fatal';
}
