import type { Logger } from '../http/request-log.js';
import { nextAttemptAt, type WebhookRetryPolicy } from './retry-schedule.js';
import { sendWebhook } from './send-webhook.js';
import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus } from './webhook-outbox.js';

/** What a delivery's outbox and its scheduler need to attempt deliveries. */
export interface DeliveryContext {
  policy: WebhookRetryPolicy;
  fetch: typeof globalThis.fetch;
  logger: Logger;
}

/** Where an attempt goes and the secrets that sign it (the current one first). */
export interface SigningEndpoint {
  url: string;
  secrets: readonly string[];
}

/** A delivery after one more attempt: what the outbox writes back. */
export interface AttemptOutcome {
  attempt: WebhookAttempt;
  status: WebhookDeliveryStatus;
  nextAttemptAt?: string | undefined;
  finishedAt?: string | undefined;
}

/** One attempt at the delivery, signed now with the endpoint's secrets. */
function send(delivery: WebhookDelivery, endpoint: SigningEndpoint, context: DeliveryContext) {
  return sendWebhook({
    url: endpoint.url,
    secrets: endpoint.secrets,
    id: delivery.id,
    body: delivery.body,
    timeoutMs: context.policy.timeoutMs,
    fetch: context.fetch,
  });
}

/** The log line of an attempt: ids, status and timing only (no URL, body or secret). */
function logAttempt(
  context: DeliveryContext,
  delivery: WebhookDelivery,
  attempt: WebhookAttempt,
  line: { time: string; level: 'info' | 'warn' | 'error'; message: string; nextAttemptAt?: string | undefined },
) {
  context.logger({
    time: line.time,
    level: line.level,
    message: line.message,
    projectId: delivery.projectId,
    ...(attempt.responseStatus === undefined ? {} : { status: attempt.responseStatus }),
    durationMs: attempt.durationMs,
    ...(attempt.error === undefined ? {} : { code: attempt.error }),
    webhook: {
      id: delivery.id,
      endpointId: delivery.endpointId,
      event: delivery.eventType,
      attempt: delivery.attempts.length + 1,
      ...(line.nextAttemptAt === undefined ? {} : { nextAttemptAt: line.nextAttemptAt }),
    },
  });
}

/**
 * Makes the next attempt of a pending delivery and decides what follows: delivered, another try
 * after the backoff, or failed when the next try would fall past the retry window. Logs one line
 * per attempt.
 */
export async function attemptDelivery(
  delivery: WebhookDelivery,
  endpoint: SigningEndpoint,
  context: DeliveryContext,
): Promise<AttemptOutcome> {
  const { delivered, attempt } = await send(delivery, endpoint, context);
  const now = new Date();
  let outcome: AttemptOutcome;
  if (delivered) {
    outcome = { attempt, status: 'delivered', finishedAt: now.toISOString() };
  } else {
    const next = nextAttemptAt(context.policy, delivery.attempts.length + 1, new Date(delivery.createdAt), now);
    outcome = next
      ? { attempt, status: 'pending', nextAttemptAt: next.toISOString() }
      : { attempt, status: 'failed', finishedAt: now.toISOString() };
  }
  logAttempt(context, delivery, attempt, {
    time: now.toISOString(),
    level: outcome.status === 'failed' ? 'error' : delivered ? 'info' : 'warn',
    message:
      outcome.status === 'delivered'
        ? 'webhook delivered'
        : outcome.status === 'failed'
          ? 'webhook delivery failed for good'
          : 'webhook delivery failed; will retry',
    nextAttemptAt: outcome.nextAttemptAt,
  });
  return outcome;
}

/**
 * One more attempt, asked for by hand, of a finished delivery: same `webhook-id`, fresh signature.
 * A 2xx makes it `delivered`; otherwise it keeps its status (a failed one stays failed, and nothing
 * is scheduled: the retry window belongs to the automatic attempts). Logged like any attempt.
 */
export async function resendDelivery(
  delivery: WebhookDelivery,
  endpoint: SigningEndpoint,
  context: DeliveryContext,
): Promise<AttemptOutcome> {
  const { delivered, attempt } = await send(delivery, endpoint, context);
  const now = new Date().toISOString();
  logAttempt(context, delivery, attempt, {
    time: now,
    level: delivered ? 'info' : 'warn',
    message: delivered ? 'webhook re-sent and delivered' : 'webhook re-sent and refused',
  });
  return delivered
    ? { attempt, status: 'delivered', finishedAt: now }
    : { attempt, status: delivery.status, finishedAt: delivery.finishedAt ?? now };
}

/** The delivery with an outcome applied. */
export function withOutcome(delivery: WebhookDelivery, outcome: AttemptOutcome): WebhookDelivery {
  const updated: WebhookDelivery = {
    ...delivery,
    attempts: [...delivery.attempts, outcome.attempt],
    status: outcome.status,
  };
  delete updated.nextAttemptAt;
  if (outcome.nextAttemptAt !== undefined) updated.nextAttemptAt = outcome.nextAttemptAt;
  if (outcome.finishedAt !== undefined) updated.finishedAt = outcome.finishedAt;
  return updated;
}
