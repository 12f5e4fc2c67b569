import type { WebhookEventType, WebhookPayload } from '@plugboard/webhooks';

/** An endpoint a project registered: where its webhooks go and which events it wants. Its secret is kept apart. */
export interface WebhookEndpoint {
  id: string;
  projectId: string;
  url: string;
  description?: string | undefined;
  /** The events delivered to it; `action.failed` only when named. */
  events: WebhookEventType[];
  createdAt: string;
}

/** One try at delivering a message. */
export interface WebhookAttempt {
  /** When the attempt started. */
  at: string;
  durationMs: number;
  /** The receiver's HTTP status; absent when no response came. */
  responseStatus?: number | undefined;
  /** Why the attempt failed without a response (`ECONNREFUSED`, `TIMEOUT`), or a refused status. */
  error?: string | undefined;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One event for one endpoint: the outbox row. Written before the first attempt; its `id` is the
 * `webhook-id` of every attempt, so a receiver recognises a retried or duplicated delivery.
 */
export interface WebhookDelivery {
  id: string;
  projectId: string;
  endpointId: string;
  eventType: WebhookEventType;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  /** When the next attempt is due, while `pending`. */
  nextAttemptAt?: string | undefined;
  createdAt: string;
  /** When it was delivered or given up on. */
  finishedAt?: string | undefined;
}

/**
 * The webhook outbox of a server: endpoints per project, and deliveries written durably before
 * they are attempted, then attempted at least once until delivered or the retry window ends.
 * The embedded store keeps it in a file and retries on an in-process timer; PostgreSQL keeps it in
 * tables and runs the attempts as pg-boss jobs, shared by every server instance.
 */
export interface WebhookOutbox {
  /** Registers an endpoint; the secret is returned this once and stored sealed. */
  createEndpoint(input: {
    projectId: string;
    url: string;
    description?: string | undefined;
    events: WebhookEventType[];
  }): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  /** Oldest first. */
  listEndpoints(projectId: string): Promise<WebhookEndpoint[]>;
  getEndpoint(projectId: string, id: string): Promise<WebhookEndpoint | undefined>;
  /** Removes the endpoint and its deliveries; `false` when the project has no such endpoint. */
  deleteEndpoint(projectId: string, id: string): Promise<boolean>;
  /** Newest first, at most `limit`. */
  listDeliveries(projectId: string, endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Gives the endpoint a new secret, returned this once. Until `previousSecretExpiresAt` every
   * message is signed with both (two signatures in `webhook-signature`), so a receiver can switch
   * to the new secret without refusing a message. `undefined` when the project has no such endpoint.
   */
  rotateSecret(
    projectId: string,
    id: string,
    keepPreviousForMs: number,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string; previousSecretExpiresAt: string } | undefined>;
  /**
   * One more attempt, now, of a `failed` or `delivered` delivery, with its `webhook-id` (see
   * `resendDelivery` in attempt-delivery.ts), and the delivery after it. A `pending` one is on its
   * retry schedule already: it is returned as it is, with no attempt. `undefined` when the
   * endpoint has no such delivery.
   */
  resendDelivery(projectId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** Writes a delivery for each endpoint of the project subscribed to the event, then has them attempted. */
  publish(projectId: string, payload: WebhookPayload): Promise<WebhookDelivery[]>;
  /** Starts attempting deliveries (pending ones from before a restart included). */
  start(): Promise<void>;
  /** Stops attempting and waits for attempts under way. */
  close(): Promise<void>;
}
