import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { createSecretCipher, type Keyring } from '@plugboard/store-kit';
import { generateWebhookSecret } from '@plugboard/webhooks';
import { randomId } from '../control/api-keys.js';
import {
  type AttemptOutcome,
  attemptDelivery,
  type DeliveryContext,
  resendDelivery,
  type SigningEndpoint,
  withOutcome,
} from './attempt-delivery.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookOutbox } from './webhook-outbox.js';

interface StoredEndpoint extends WebhookEndpoint {
  /** The secret, sealed with the server's key. */
  sealedSecret: string;
  /** After a rotation, the secret it replaced, which keeps signing until `previousSecretExpiresAt`. */
  previousSealedSecret?: string;
  previousSecretExpiresAt?: string;
}

interface OutboxFile {
  format: 'plugboard-webhooks';
  version: 1;
  endpoints: StoredEndpoint[];
  deliveries: WebhookDelivery[];
}

// Finished deliveries stay in the log this long, then leave the file on its next write.
const FINISHED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
// Attempts made at once; the rest wait for the next turn.
const CONCURRENT_ATTEMPTS = 16;

const secretContext = (endpointId: string) => `webhook-endpoint:${endpointId}:secret`;

/**
 * The embedded server's outbox: `<dir>/webhooks.json`, written whole and atomically (temporary
 * file, fsync, rename) before any attempt, and an in-process timer that wakes when the next
 * delivery is due. Pending deliveries survive a restart and are resumed by `start()`. For one
 * server process, as the embedded store is; several instances run on PostgreSQL.
 */
export async function fileWebhookOutbox(params: {
  dir: string;
  keyring: Keyring;
  context: DeliveryContext;
}): Promise<WebhookOutbox> {
  const path = join(params.dir, 'webhooks.json');
  await mkdir(params.dir, { recursive: true, mode: 0o700 });
  const cipher = createSecretCipher(params.keyring);
  let data = await load(path);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const inFlight = new Map<string, Promise<void>>();
  // Deliveries whose last attempt could not be recorded (a full disk): not tried again before this time,
  // so a broken disk does not turn into a stream of repeated POSTs.
  const deferredUntil = new Map<string, number>();
  const dueAt = (delivery: WebhookDelivery) =>
    Math.max(Date.parse(delivery.nextAttemptAt ?? delivery.createdAt), deferredUntil.get(delivery.id) ?? 0);

  // Changes asked for while the file is being written are applied together in the next write:
  // one fsync for a burst of events or attempt results, instead of one each.
  let queued: Array<{ change: (file: OutboxFile) => unknown; settle: (error: unknown, value?: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        const next = structuredClone(data);
        const results = batch.map(({ change }) => change(next));
        const cutoff = Date.now() - FINISHED_RETENTION_MS;
        next.deliveries = next.deliveries.filter(
          (delivery) => delivery.finishedAt === undefined || Date.parse(delivery.finishedAt) >= cutoff,
        );
        await save(path, next);
        data = next;
        for (const [index, item] of batch.entries()) item.settle(undefined, results[index]);
      } catch (error) {
        for (const item of batch) item.settle(outboxError(path, error));
      }
    }
    flushing = undefined;
  };
  const write = <T>(change: (file: OutboxFile) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queued.push({
        change,
        settle: (error, value) => (error === undefined ? resolve(value as T) : reject(error)),
      });
      flushing ??= flush();
    });

  const schedule = () => {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const due = data.deliveries
      .filter((delivery) => delivery.status === 'pending' && !inFlight.has(delivery.id))
      .map(dueAt);
    if (due.length === 0) return;
    // setTimeout's longest wait is about 24.8 days; a minute is plenty and keeps the clock honest.
    const wait = Math.min(Math.max(0, Math.min(...due) - Date.now()), 60_000);
    timer = setTimeout(tick, wait);
    timer.unref?.();
  };

  const tick = () => {
    timer = undefined;
    const now = Date.now();
    const due = data.deliveries
      .filter((delivery) => delivery.status === 'pending' && !inFlight.has(delivery.id) && dueAt(delivery) <= now)
      .slice(0, Math.max(0, CONCURRENT_ATTEMPTS - inFlight.size));
    for (const delivery of due) {
      const work = attemptOne(delivery).finally(() => {
        inFlight.delete(delivery.id);
        schedule();
      });
      inFlight.set(delivery.id, work);
    }
    schedule();
  };

  /** The endpoint's URL and its signing secrets: the current one, then the previous one while it is honoured. */
  const signingEndpoint = async (endpoint: StoredEndpoint): Promise<SigningEndpoint> => {
    const secrets = [await cipher.open(endpoint.sealedSecret, secretContext(endpoint.id))];
    if (endpoint.previousSealedSecret && Date.parse(endpoint.previousSecretExpiresAt ?? '') > Date.now())
      secrets.push(await cipher.open(endpoint.previousSealedSecret, secretContext(endpoint.id)));
    return { url: endpoint.url, secrets };
  };

  const recordOutcome = (deliveryId: string, outcome: AttemptOutcome) =>
    write((file) => {
      const index = file.deliveries.findIndex((candidate) => candidate.id === deliveryId);
      const current = file.deliveries[index];
      // Deleted with its endpoint meanwhile: nothing to record.
      if (current === undefined) return undefined;
      file.deliveries[index] = withOutcome(current, outcome);
      return structuredClone(file.deliveries[index]);
    });

  const attemptOne = async (delivery: WebhookDelivery): Promise<void> => {
    const endpoint = data.endpoints.find((candidate) => candidate.id === delivery.endpointId);
    if (!endpoint) return;
    try {
      const outcome = await attemptDelivery(delivery, await signingEndpoint(endpoint), params.context);
      await recordOutcome(delivery.id, outcome);
      deferredUntil.delete(delivery.id);
    } catch (error) {
      deferredUntil.set(delivery.id, Date.now() + params.context.policy.initialDelayMs);
      // The file could not be written (disk full): the attempt is made again on the next turn.
      params.context.logger({
        time: new Date().toISOString(),
        level: 'error',
        message: 'webhook outbox could not record an attempt',
        projectId: delivery.projectId,
        code: PlugboardError.isInstance(error) ? error.code : 'STORE_ERROR',
      });
    }
  };

  const publicEndpoint = ({
    sealedSecret: _sealed,
    previousSealedSecret: _previous,
    previousSecretExpiresAt: _until,
    ...endpoint
  }: StoredEndpoint): WebhookEndpoint => structuredClone(endpoint);
  const findEndpoint = (projectId: string, id: string) =>
    data.endpoints.find((endpoint) => endpoint.id === id && endpoint.projectId === projectId);

  return {
    async createEndpoint(input) {
      const secret = generateWebhookSecret();
      const endpoint: WebhookEndpoint = {
        id: randomId('whe_'),
        projectId: input.projectId,
        url: input.url,
        events: [...input.events],
        createdAt: new Date().toISOString(),
      };
      if (input.description !== undefined) endpoint.description = input.description;
      const sealedSecret = await cipher.seal(secret, secretContext(endpoint.id));
      await write((file) => {
        file.endpoints.push({ ...endpoint, sealedSecret });
      });
      return { endpoint, secret };
    },
    async listEndpoints(projectId) {
      return data.endpoints.filter((endpoint) => endpoint.projectId === projectId).map(publicEndpoint);
    },
    async getEndpoint(projectId, id) {
      const found = findEndpoint(projectId, id);
      return found && publicEndpoint(found);
    },
    async rotateSecret(projectId, id, keepPreviousForMs) {
      if (!findEndpoint(projectId, id)) return undefined;
      const secret = generateWebhookSecret();
      const sealedSecret = await cipher.seal(secret, secretContext(id));
      const previousSecretExpiresAt = new Date(Date.now() + keepPreviousForMs).toISOString();
      const rotated = await write((file) => {
        const endpoint = file.endpoints.find((candidate) => candidate.id === id && candidate.projectId === projectId);
        if (!endpoint) return undefined;
        endpoint.previousSealedSecret = endpoint.sealedSecret;
        endpoint.previousSecretExpiresAt = previousSecretExpiresAt;
        endpoint.sealedSecret = sealedSecret;
        return publicEndpoint(endpoint);
      });
      return rotated && { endpoint: rotated, secret, previousSecretExpiresAt };
    },
    async resendDelivery(projectId, endpointId, deliveryId) {
      const endpoint = findEndpoint(projectId, endpointId);
      const delivery = data.deliveries.find(
        (candidate) => candidate.id === deliveryId && candidate.endpointId === endpointId,
      );
      if (!endpoint || !delivery) return undefined;
      if (delivery.status === 'pending') return structuredClone(delivery);
      const outcome = await resendDelivery(delivery, await signingEndpoint(endpoint), params.context);
      return recordOutcome(delivery.id, outcome);
    },
    deleteEndpoint(projectId, id) {
      return write((file) => {
        const before = file.endpoints.length;
        file.endpoints = file.endpoints.filter((endpoint) => !(endpoint.id === id && endpoint.projectId === projectId));
        if (file.endpoints.length === before) return false;
        file.deliveries = file.deliveries.filter((delivery) => delivery.endpointId !== id);
        return true;
      });
    },
    async listDeliveries(projectId, endpointId, limit) {
      return structuredClone(
        data.deliveries
          .filter((delivery) => delivery.projectId === projectId && delivery.endpointId === endpointId)
          .reverse()
          .slice(0, limit),
      );
    },
    async publish(projectId, payload) {
      const subscribed = (endpoint: StoredEndpoint) =>
        endpoint.projectId === projectId && endpoint.events.includes(payload.type);
      // Most failed actions have no endpoint that opted in: no file write for those.
      if (!data.endpoints.some(subscribed)) return [];
      const body = JSON.stringify(payload);
      const now = new Date().toISOString();
      const created = await write((file) =>
        file.endpoints.filter(subscribed).map((endpoint) => {
          const delivery: WebhookDelivery = {
            id: randomId('msg_', 24),
            projectId,
            endpointId: endpoint.id,
            eventType: payload.type,
            body,
            status: 'pending',
            attempts: [],
            nextAttemptAt: now,
            createdAt: now,
          };
          file.deliveries.push(delivery);
          return structuredClone(delivery);
        }),
      );
      if (created.length > 0) schedule();
      return created;
    },
    async start() {
      running = true;
      schedule();
    },
    async close() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled(inFlight.values());
      await flushing;
    },
  };
}

async function load(path: string): Promise<OutboxFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { format: 'plugboard-webhooks', version: 1, endpoints: [], deliveries: [] };
    throw outboxError(path, error);
  }
  try {
    const parsed = JSON.parse(text) as OutboxFile;
    if (parsed.format !== 'plugboard-webhooks' || parsed.version !== 1)
      throw new Error('not a webhook outbox file of a version this server reads');
    return parsed;
  } catch (error) {
    throw outboxError(path, error);
  }
}

async function save(path: string, data: OutboxFile): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(data)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

function outboxError(path: string, error: unknown): PlugboardError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new PlugboardError('STORE_ERROR', `Cannot read the webhook outbox ${path} (${reason}).`);
}
