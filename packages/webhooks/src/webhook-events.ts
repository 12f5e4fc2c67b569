import type { AuthMode, ConnectionStatus } from '@plugboard/core';

/** Every event a webhook endpoint can receive. */
export const WEBHOOK_EVENT_TYPES = [
  'connection.created',
  'connection.active',
  'connection.expired',
  'connection.needs_reauth',
  'connection.refresh_failed',
  'connection.deleted',
  'action.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * What an endpoint receives when it names no events: every connection event. `action.failed` is
 * opt-in, as it can be frequent and says nothing about connections.
 */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(
  (type) => type !== 'action.failed',
);

/** A connection as webhooks carry it: its identity and status, never credentials. */
export interface WebhookConnection {
  id: string;
  integrationId: string;
  app: string;
  authMode: AuthMode;
  /** The developer's id for their end user. */
  entityId: string;
  status: ConnectionStatus;
  /** Why the connection is `FAILED`, `EXPIRED` (`NEEDS_REAUTH`) or `INACTIVE`. */
  statusReason?: { code: string; message: string };
  /** When the access token expires, when known. */
  expiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** The data of every `connection.*` event. */
export interface ConnectionEventData {
  connection: WebhookConnection;
  /** The status before the change, for `connection.active`, `connection.expired` and `connection.needs_reauth` after a transition. */
  previousStatus?: ConnectionStatus;
}

/** `connection.refresh_failed`: the refresh was refused or failed; the error's code and message, never a token. */
export interface RefreshFailedEventData extends ConnectionEventData {
  error: { code: string; message: string };
}

/** `action.failed`: which action failed for whom, and how; never its input or output. */
export interface ActionFailedEventData {
  app: string;
  action: string;
  entityId?: string;
  connectionId?: string;
  /** The upstream HTTP status when there was a response. */
  httpStatus?: number;
  /** The Plugboard error code. */
  errorCode?: string;
  durationMs: number;
}

interface PayloadOf<Type extends WebhookEventType, Data> {
  type: Type;
  /** ISO time the change happened (not when it was delivered). */
  timestamp: string;
  data: Data;
}

/**
 * The JSON body of a webhook, in the Standard Webhooks shape `{ type, timestamp, data }`. The
 * `webhook-id` header identifies the event: a retried delivery carries the same id.
 */
export type WebhookPayload =
  | PayloadOf<'connection.created', ConnectionEventData>
  | PayloadOf<'connection.active', ConnectionEventData>
  | PayloadOf<'connection.expired', ConnectionEventData>
  | PayloadOf<'connection.needs_reauth', ConnectionEventData>
  | PayloadOf<'connection.refresh_failed', RefreshFailedEventData>
  | PayloadOf<'connection.deleted', ConnectionEventData>
  | PayloadOf<'action.failed', ActionFailedEventData>;

/** The payload of one event type. */
export type WebhookPayloadOf<Type extends WebhookEventType> = Extract<WebhookPayload, { type: Type }>;

/** Whether a string names a webhook event. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
