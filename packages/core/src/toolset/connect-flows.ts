import { AUTH_STRATEGIES, strategyFor } from '../auth/strategies.js';
import { reconnectUserValues } from '../auth/connection-record.js';
import type { CallbackContext, FlowDeps } from '../auth/strategy.js';
import { PlugboardError } from '../errors.js';
import type { ConnectionRecord } from '../store/store.js';
import { findScheme } from './catalogue.js';
import { showConnection } from './connection.js';
import { toTemplateValues } from './field-values.js';

export type { FlowDeps, FlowResult, FlowStart } from '../auth/strategy.js';

/** What a callback carries: the URL the provider redirected to, or its parameters. */
export type CallbackInput =
  | { url: string | URL }
  | { state: string; code?: string; error?: string; errorDescription?: string }
  | { oauthToken: string; oauthVerifier: string };

function callbackParams(input: CallbackInput): URLSearchParams {
  if ('url' in input) {
    let url: URL;
    try {
      url = new URL(String(input.url));
    } catch {
      throw new PlugboardError('OAUTH_CALLBACK_ERROR', 'The callback URL is not an absolute URL.');
    }
    return url.searchParams;
  }
  const params = new URLSearchParams();
  if ('oauthToken' in input) {
    params.set('oauth_token', input.oauthToken);
    params.set('oauth_verifier', input.oauthVerifier);
    return params;
  }
  params.set('state', input.state);
  if (input.code !== undefined) params.set('code', input.code);
  if (input.error !== undefined) params.set('error', input.error);
  if (input.errorDescription !== undefined) params.set('error_description', input.errorDescription);
  return params;
}

/** Whether a connection may be re-connected in place: its credentials stopped working or its flow failed. */
export function isReconnectable(connection: ConnectionRecord): boolean {
  return connection.status === 'EXPIRED' || connection.status === 'FAILED';
}

/**
 * Finishes an OAuth 2.0 (code) or OAuth 1.0a (verifier) authorization. The pending state is taken
 * from the store in one step, so a replayed, unknown or expired state fails without touching any
 * connection; a provider error marks the connection `FAILED` with the provider's reason. The mode
 * that started the flow finishes it; the status it stores is announced here.
 *
 * A re-connect (its pending state says so) completes an `EXPIRED` or `FAILED` connection in place:
 * on success it becomes `ACTIVE` with the new tokens and the user's new field values (the old
 * tokens are dropped); on a provider error or a refused exchange it keeps its status, because the
 * old credentials were already unusable and a `FAILED` would hide that the user must re-connect.
 */
export async function completeAuthorization(deps: FlowDeps, input: CallbackInput): Promise<ConnectionRecord> {
  const params = callbackParams(input);
  let state: string | undefined;
  for (const strategy of Object.values(AUTH_STRATEGIES)) {
    state ??= strategy.callbackState?.(params);
  }
  if (!state)
    throw new PlugboardError('OAUTH_STATE_INVALID', 'The callback has no state (nor an OAuth 1.0a oauth_token).');
  const pending = await deps.store.takePendingAuth(state);
  if (!pending)
    throw new PlugboardError(
      'OAUTH_STATE_INVALID',
      'The authorization state is unknown, expired or already used; start the connection again.',
    );
  const connection = await deps.store.getConnection(pending.connectionId);
  if (!connection)
    throw new PlugboardError(
      'CONNECTION_NOT_FOUND',
      `The connection ${pending.connectionId} of this authorization no longer exists.`,
    );
  const reconnectValues = reconnectUserValues(pending.data);
  const waiting = reconnectValues === undefined ? connection.status === 'INITIATED' : isReconnectable(connection);
  if (!waiting) {
    throw new PlugboardError(
      'OAUTH_STATE_INVALID',
      `Connection ${connection.id} is ${connection.status}, not waiting for an authorization.`,
    );
  }
  const userValues = reconnectValues ?? connection.credentials;
  const integration = await deps.store.getIntegration(connection.integrationId);
  if (!integration)
    throw new PlugboardError(
      'INTEGRATION_NOT_FOUND',
      `Connection ${connection.id} refers to integration ${connection.integrationId}, which no longer exists.`,
    );
  const connector = deps.getApp(connection.app);
  const strategy = strategyFor(connection.authMode);
  if (!strategy.complete)
    throw new PlugboardError(
      'OAUTH_STATE_INVALID',
      `Connection ${connection.id} (${connection.authMode}) is not completed by a callback.`,
    );
  const developerValues = deps.integrationValues(integration);

  // Every status this callback stores is announced after the write, from the status it checked above.
  const changed = (record: ConnectionRecord): ConnectionRecord => {
    deps.emit({
      type: 'connection.status_changed',
      connection: showConnection(record),
      previousStatus: connection.status,
    });
    return record;
  };
  const markFailed = async (code: string, message: string) => {
    if (reconnectValues !== undefined) {
      // The status stays; a new version tells a `waitUntilActive` of this re-connect that it ended.
      const statusReason = connection.status === 'FAILED' ? { code, message } : connection.statusReason;
      await deps.store.updateConnection(
        connection.id,
        { statusReason, updatedAt: deps.now() },
        { expectedVersion: connection.version },
      );
      return;
    }
    changed(
      await deps.store.updateConnection(
        connection.id,
        { status: 'FAILED', statusReason: { code, message }, updatedAt: deps.now() },
        { expectedVersion: connection.version },
      ),
    );
  };
  const callback: CallbackContext = {
    deps,
    params,
    pending,
    connection,
    connector,
    scheme: findScheme(connector, connection.authMode),
    developerValues,
    userValues: { ...userValues },
    hostValues: toTemplateValues({ ...developerValues, ...userValues }),
    async fail(code, message) {
      await markFailed(code, message);
      throw new PlugboardError(
        'OAUTH_CALLBACK_ERROR',
        `The authorization of connection ${connection.id} failed: ${message}`,
        { details: { connectionId: connection.id, reason: code } },
      );
    },
    async exchange(run) {
      try {
        return await run();
      } catch (error) {
        const reason = PlugboardError.isInstance(error)
          ? ((error.details as { error?: string } | undefined)?.error ?? error.code)
          : 'exchange_failed';
        await markFailed(reason, PlugboardError.isInstance(error) ? error.message : 'The token exchange failed.');
        throw error;
      }
    },
    async activate(obtained) {
      return changed(
        await deps.store.updateConnection(
          connection.id,
          {
            status: 'ACTIVE',
            statusReason: undefined,
            credentials: { ...userValues, ...obtained.credentials },
            ...('expiresAt' in obtained || reconnectValues !== undefined ? { expiresAt: obtained.expiresAt } : {}),
            updatedAt: deps.now(),
          },
          { expectedVersion: connection.version },
        ),
      );
    },
  };
  return strategy.complete(callback);
}
