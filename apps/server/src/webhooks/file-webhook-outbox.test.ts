import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@plugboard/fakes/postgres';
import { createKeyring, generateSecretKey, type Keyring } from '@plugboard/store-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectionPayload,
  eventually,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../test/webhook-receiver.js';
import type { LogLine } from '../http/request-log.js';
import type { DeliveryContext } from './attempt-delivery.js';
import { fileWebhookOutbox } from './file-webhook-outbox.js';
import type { WebhookOutbox } from './webhook-outbox.js';

const payload = connectionPayload('connection.active', { id: 'conn_1', entityId: 'user-42' });

let dir: string;
let keyring: Keyring;
let logs: LogLine[];
const open: WebhookOutbox[] = [];
const receivers: WebhookReceiver[] = [];

function context(policy: Partial<DeliveryContext['policy']> = {}): DeliveryContext {
  return {
    policy: { initialDelayMs: 100, retryForMs: 60_000, timeoutMs: 2_000, ...policy },
    fetch: globalThis.fetch,
    logger: (line) => logs.push(line),
  };
}

async function outbox(policy: Partial<DeliveryContext['policy']> = {}): Promise<WebhookOutbox> {
  const created = await fileWebhookOutbox({ dir, keyring, context: context(policy) });
  open.push(created);
  await created.start();
  return created;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugboard-webhooks-'));
  keyring = await createKeyring(generateSecretKey());
  logs = [];
});
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
  for (const receiver of receivers.splice(0)) await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded outbox', () => {
  it('retries a receiver that is down and delivers once it is up, with the same webhook-id', async () => {
    const port = await freePort();
    const webhooks = await outbox();
    const { endpoint, secret } = await webhooks.createEndpoint({
      projectId: 'proj_1',
      url: `http://127.0.0.1:${port}/hooks`,
      events: ['connection.active'],
    });
    const [delivery] = await webhooks.publish('proj_1', payload);
    if (!delivery) throw new Error('expected a delivery');

    // Written before any attempt: the file holds the delivery, pending.
    const file = JSON.parse(await readFile(join(dir, 'webhooks.json'), 'utf8'));
    expect(file.deliveries.map((item: { id: string }) => item.id)).toContain(delivery.id);

    const refused = await eventually(async () => {
      const [logged] = await webhooks.listDeliveries('proj_1', endpoint.id, 10);
      return logged && logged.attempts.length >= 2 ? logged : undefined;
    });
    expect(refused.status).toBe('pending');
    expect(refused.attempts[0]).toMatchObject({ error: 'ECONNREFUSED' });
    expect(refused.attempts[0]?.responseStatus).toBeUndefined();
    expect(Date.parse(refused.nextAttemptAt as string)).toBeGreaterThan(Date.parse(refused.attempts[1]?.at as string));

    const receiver = await startWebhookReceiver({ port, secret });
    receivers.push(receiver);
    const [received] = await receiver.waitFor(1);
    expect(received?.id).toBe(delivery.id);
    expect(received?.payload).toEqual(payload);
    const delivered = await eventually(async () => {
      const [logged] = await webhooks.listDeliveries('proj_1', endpoint.id, 10);
      return logged?.status === 'delivered' ? logged : undefined;
    });
    expect(delivered.attempts.at(-1)).toMatchObject({ responseStatus: 204 });
    expect(delivered.nextAttemptAt).toBeUndefined();
    // Delivered is final: no more attempts.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received).toHaveLength(1);
  });

  it('backs off exponentially and marks the delivery failed when the retry window ends', async () => {
    const receiver = await startWebhookReceiver({ answer: () => 503 });
    receivers.push(receiver);
    const webhooks = await outbox({ initialDelayMs: 50, retryForMs: 1_500 });
    const { endpoint, secret } = await webhooks.createEndpoint({
      projectId: 'proj_1',
      url: receiver.url,
      events: ['connection.active'],
    });
    receiver.secret = secret;
    await webhooks.publish('proj_1', payload);
    const failed = await eventually(async () => {
      const [logged] = await webhooks.listDeliveries('proj_1', endpoint.id, 10);
      return logged?.status === 'failed' ? logged : undefined;
    }, 10_000);
    // 50-100 ms, 100-200, 200-400, 400-800, ...: 4 to 6 attempts fit in 1.5 s.
    expect(failed.attempts.length).toBeGreaterThanOrEqual(4);
    expect(failed.attempts.length).toBeLessThanOrEqual(7);
    expect(failed.attempts.every((attempt) => attempt.responseStatus === 503 && attempt.error === 'HTTP_503')).toBe(
      true,
    );
    const gaps = failed.attempts.slice(1).map((attempt, index) => {
      const previous = failed.attempts[index] as { at: string; durationMs: number };
      return Date.parse(attempt.at) - Date.parse(previous.at) - previous.durationMs;
    });
    for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(50 * 2 ** index - 5);
    expect(failed.nextAttemptAt).toBeUndefined();
    expect(failed.finishedAt).toBeDefined();
    // Every attempt was the same message, verified by the receiver.
    expect(new Set(receiver.received.map((message) => message.id)).size).toBe(1);
    expect(receiver.received.every((message) => message.payload !== undefined)).toBe(true);
    expect(logs.some((line) => line.message === 'webhook delivery failed for good')).toBe(true);
  });

  it('keeps pending deliveries across a restart and delivers them when started again', async () => {
    const port = await freePort();
    const first = await outbox({ initialDelayMs: 60_000, retryForMs: 600_000 });
    const { endpoint, secret } = await first.createEndpoint({
      projectId: 'proj_1',
      url: `http://127.0.0.1:${port}`,
      events: ['connection.active'],
    });
    const [delivery] = await first.publish('proj_1', payload);
    await eventually(async () => {
      const [logged] = await first.listDeliveries('proj_1', endpoint.id, 1);
      return logged && logged.attempts.length === 1 ? logged : undefined;
    });
    await first.close();

    const receiver = await startWebhookReceiver({ port, secret });
    receivers.push(receiver);
    // The next attempt is a minute away: a restarted outbox keeps that schedule.
    const second = await outbox({ initialDelayMs: 60_000, retryForMs: 600_000 });
    const [pending] = await second.listDeliveries('proj_1', endpoint.id, 1);
    expect(pending).toMatchObject({ id: delivery?.id, status: 'pending' });
    expect(receiver.received).toHaveLength(0);
    await second.close();

    // Due now (as after a long stop): delivered at start.
    const text = await readFile(join(dir, 'webhooks.json'), 'utf8');
    await writeFile(
      join(dir, 'webhooks.json'),
      text.replace(pending?.nextAttemptAt as string, new Date(Date.now() - 1000).toISOString()),
    );
    const third = await outbox();
    const [received] = await receiver.waitFor(1);
    expect(received?.id).toBe(delivery?.id);
    expect(received?.payload).toEqual(payload);
    await eventually(async () => {
      const [logged] = await third.listDeliveries('proj_1', endpoint.id, 1);
      return logged?.status === 'delivered' ? logged : undefined;
    });
  });

  it('delivers only the events an endpoint asked for, keeps its secret sealed, and scopes everything to the project', async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const webhooks = await outbox();
    const all = await webhooks.createEndpoint({
      projectId: 'proj_1',
      url: receiver.url,
      events: ['connection.active'],
    });
    const other = await webhooks.createEndpoint({
      projectId: 'proj_1',
      url: receiver.url,
      events: ['action.failed'],
    });
    receiver.secret = all.secret;
    expect(all.secret).toMatch(/^whsec_/);
    expect(all.secret).not.toBe(other.secret);
    const deliveries = await webhooks.publish('proj_1', payload);
    expect(deliveries.map((delivery) => delivery.endpointId)).toEqual([all.endpoint.id]);
    expect(await webhooks.publish('proj_2', payload)).toEqual([]);
    await receiver.waitFor(1);

    const file = await readFile(join(dir, 'webhooks.json'), 'utf8');
    expect(file).not.toContain(all.secret.slice(6));
    expect(file).not.toContain(other.secret.slice(6));
    expect(JSON.stringify(logs)).not.toContain(all.secret.slice(6));
    expect(JSON.stringify(logs)).not.toContain(receiver.url);

    expect(await webhooks.getEndpoint('proj_2', all.endpoint.id)).toBeUndefined();
    expect(await webhooks.listDeliveries('proj_2', all.endpoint.id, 10)).toEqual([]);
    expect(await webhooks.deleteEndpoint('proj_2', all.endpoint.id)).toBe(false);
    expect(await webhooks.deleteEndpoint('proj_1', all.endpoint.id)).toBe(true);
    expect(await webhooks.listEndpoints('proj_1')).toEqual([other.endpoint]);
    expect(await webhooks.listDeliveries('proj_1', all.endpoint.id, 10)).toEqual([]);
  });
});
