import type { ToolsetEvent } from '@plugboard/core';
import { webhookPayloadsOf } from '@plugboard/webhooks';
import type { Logger } from '../http/request-log.js';
import type { WebhookOutbox } from './webhook-outbox.js';

/** Turns a project's toolset events into outbox deliveries. */
export interface WebhookPublisher {
  /** Queues the event's webhooks; resolves once they are in the outbox. Never rejects: failures are logged. */
  publish(projectId: string, event: ToolsetEvent): Promise<void>;
  /** Resolves when every event heard so far is in the outbox. */
  settled(): Promise<void>;
}

export function createWebhookPublisher(outbox: WebhookOutbox, logger: Logger): WebhookPublisher {
  // Per project, events reach the outbox in the order they were emitted (created before active),
  // though listeners are called without being awaited.
  const chains = new Map<string, Promise<void>>();
  return {
    publish(projectId, event) {
      const payloads = webhookPayloadsOf(event);
      if (payloads.length === 0) return chains.get(projectId) ?? Promise.resolve();
      const next = (chains.get(projectId) ?? Promise.resolve()).then(async () => {
        for (const payload of payloads) {
          try {
            await outbox.publish(projectId, payload);
          } catch (error) {
            logger({
              time: new Date().toISOString(),
              level: 'error',
              message: `webhook event ${payload.type} could not be written to the outbox`,
              projectId,
              code: (error as { code?: string }).code ?? 'STORE_ERROR',
            });
          }
        }
      });
      chains.set(projectId, next);
      void next.then(() => {
        if (chains.get(projectId) === next) chains.delete(projectId);
      });
      return next;
    },
    async settled() {
      await Promise.all(chains.values());
    },
  };
}
