import type { Connection, ToolsetEvent } from '@plugboard/core';
import type { ConnectionEventData, WebhookConnection, WebhookPayload } from './webhook-events.js';

/**
 * The webhook payloads a toolset event becomes, often none:
 * - `connection.created` -> `connection.created`, and also `connection.active` when the connection
 *   is born `ACTIVE` (API keys, tokens, Basic: the toolset emits no status change for those);
 * - `connection.status_changed` to `ACTIVE` -> `connection.active`; to `EXPIRED` with
 *   `statusReason.code` `NEEDS_REAUTH` -> `connection.needs_reauth`; to any other `EXPIRED` ->
 *   `connection.expired`; to `FAILED` or `INACTIVE` -> nothing;
 * - `token.refresh_failed` -> `connection.refresh_failed`;
 * - `connection.deleted` -> `connection.deleted`;
 * - `action.executed` with `successful: false` -> `action.failed`.
 *
 * The connection is copied field by field, so nothing but its identity and status reaches a payload.
 */
export function webhookPayloadsOf(event: ToolsetEvent): WebhookPayload[] {
  const timestamp = event.at;
  switch (event.type) {
    case 'connection.created': {
      const data: ConnectionEventData = { connection: webhookConnectionOf(event.connection) };
      const created: WebhookPayload = { type: 'connection.created', timestamp, data };
      return event.connection.status === 'ACTIVE'
        ? [created, { type: 'connection.active', timestamp, data: { connection: data.connection } }]
        : [created];
    }
    case 'connection.status_changed': {
      const data: ConnectionEventData = {
        connection: webhookConnectionOf(event.connection),
        previousStatus: event.previousStatus,
      };
      if (event.connection.status === 'ACTIVE') return [{ type: 'connection.active', timestamp, data }];
      if (event.connection.status === 'EXPIRED') {
        const needsReauth = event.connection.statusReason?.code === 'NEEDS_REAUTH';
        return [{ type: needsReauth ? 'connection.needs_reauth' : 'connection.expired', timestamp, data }];
      }
      return [];
    }
    case 'token.refresh_failed':
      return [
        {
          type: 'connection.refresh_failed',
          timestamp,
          data: {
            connection: webhookConnectionOf(event.connection),
            error: { code: event.error.code, message: event.error.message },
          },
        },
      ];
    case 'connection.deleted':
      return [{ type: 'connection.deleted', timestamp, data: { connection: webhookConnectionOf(event.connection) } }];
    case 'action.executed': {
      if (event.successful) return [];
      const data: Extract<WebhookPayload, { type: 'action.failed' }>['data'] = {
        app: event.app,
        action: event.action,
        durationMs: event.durationMs,
      };
      if (event.entityId !== undefined) data.entityId = event.entityId;
      if (event.connectionId !== undefined) data.connectionId = event.connectionId;
      if (event.httpStatus !== undefined) data.httpStatus = event.httpStatus;
      if (event.errorCode !== undefined) data.errorCode = event.errorCode;
      return [{ type: 'action.failed', timestamp, data }];
    }
    default:
      return [];
  }
}

/** A connection reduced to the fields webhooks carry (an allow-list: new record fields stay out until added here). */
export function webhookConnectionOf(connection: Connection): WebhookConnection {
  const shown: WebhookConnection = {
    id: connection.id,
    integrationId: connection.integrationId,
    app: connection.app,
    authMode: connection.authMode,
    entityId: connection.entityId,
    status: connection.status,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
  if (connection.statusReason !== undefined) {
    shown.statusReason = { code: connection.statusReason.code, message: connection.statusReason.message };
  }
  if (connection.expiresAt !== undefined) shown.expiresAt = connection.expiresAt;
  return shown;
}
