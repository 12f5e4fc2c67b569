import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/server-harness.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';

let harness: TestServer;
let receiver: WebhookReceiver;
let ownerKey: string;
let otherKey: string;

beforeAll(async () => {
  harness = await startTestServer({ webhooks: { retry: { initialDelayMs: 100 } } });
  receiver = await startWebhookReceiver();
  ownerKey = harness.projects[0].key;
  otherKey = harness.projects[1].key;
});
afterAll(async () => {
  await harness.close();
  await receiver.close();
});

describe('webhook endpoints', () => {
  it('are created with a secret shown once, every connection event by default and action.failed only when asked', async () => {
    const created = await harness.call('/v1/webhook-endpoints', {
      key: ownerKey,
      body: { url: `${receiver.url}/hooks`, description: 'my app' },
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.json.endpoint).toMatchObject({
      url: `${receiver.url}/hooks`,
      description: 'my app',
      events: [
        'connection.created',
        'connection.active',
        'connection.expired',
        'connection.needs_reauth',
        'connection.refresh_failed',
        'connection.deleted',
      ],
    });
    const id = created.json.endpoint.id;
    const optIn = await harness.call('/v1/webhook-endpoints', {
      key: ownerKey,
      body: { url: receiver.url, events: ['action.failed', 'connection.active'] },
    });
    expect(optIn.json.endpoint.events).toEqual(['action.failed', 'connection.active']);

    const listed = await harness.call('/v1/webhook-endpoints', { key: ownerKey });
    expect(listed.json.items.map((item: { id: string }) => item.id)).toEqual([id, optIn.json.endpoint.id]);
    const one = await harness.call(`/v1/webhook-endpoints/${id}`, { key: ownerKey });
    expect(one.json).toEqual(created.json.endpoint);
    for (const text of [listed.text, one.text]) {
      expect(text).not.toContain(created.json.secret);
      expect(text).not.toContain(optIn.json.secret);
      expect(text).not.toContain('secret');
    }

    expect(
      (await harness.call(`/v1/webhook-endpoints/${optIn.json.endpoint.id}`, { key: ownerKey, method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect((await harness.call(`/v1/webhook-endpoints/${optIn.json.endpoint.id}`, { key: ownerKey })).status).toBe(404);
  });

  it('refuse URLs that are not http(s), unknown events and execute-only keys', async () => {
    for (const body of [
      { url: 'ftp://example.com/hooks' },
      { url: 'not a url' },
      { url: receiver.url, events: ['connection.updated'] },
      { url: receiver.url, events: [] },
    ]) {
      const refused = await harness.call('/v1/webhook-endpoints', { key: ownerKey, body });
      expect(refused.status).toBe(400);
      expect(refused.json.code).toBe('INVALID_PARAMS');
    }
    const executeKey = await harness.call('/v1/api-keys', { key: ownerKey, body: { name: 'ci', scope: 'execute' } });
    const forbidden = await harness.call('/v1/webhook-endpoints', { key: executeKey.json.key });
    expect(forbidden.status).toBe(403);
  });

  it('keep a delivery log: attempts, status, response code, next retry', async () => {
    const created = await harness.call('/v1/webhook-endpoints', {
      key: ownerKey,
      body: { url: receiver.url, events: ['connection.deleted'] },
    });
    receiver.secret = created.json.secret;
    const before = receiver.received.length;
    const payload = {
      type: 'connection.deleted' as const,
      timestamp: new Date().toISOString(),
      data: {
        connection: {
          id: 'conn_logged',
          integrationId: 'int_1',
          app: 'github',
          authMode: 'BEARER_TOKEN' as const,
          entityId: 'user-7',
          status: 'ACTIVE' as const,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      },
    };
    // The first test's endpoint wants every connection event too: two deliveries, one per endpoint.
    const deliveries = await harness.server.webhooks.publish(harness.projects[0].id, payload);
    expect(deliveries).toHaveLength(2);
    const delivery = deliveries.find((item) => item.endpointId === created.json.endpoint.id);
    await receiver.waitFor(before + 2);
    const log = await eventually(async () => {
      const answer = await harness.call(`/v1/webhook-endpoints/${created.json.endpoint.id}/deliveries`, {
        key: ownerKey,
      });
      return answer.json.items[0]?.status === 'delivered' ? answer : undefined;
    });
    expect(log.json.items).toHaveLength(1);
    expect(log.json.items[0]).toMatchObject({
      id: delivery?.id,
      eventType: 'connection.deleted',
      status: 'delivered',
      attemptCount: 1,
      lastResponseStatus: 204,
      nextAttemptAt: null,
      payload,
    });
    expect(log.json.items[0].attempts).toEqual([
      { at: expect.any(String), durationMs: expect.any(Number), responseStatus: 204, error: null },
    ]);
    const message = receiver.received.find((item) => item.id === delivery?.id);
    expect(message?.payload).toEqual(payload);
  });

  it("answer 404 for another project's endpoint ids and list nothing of it", async () => {
    const created = await harness.call('/v1/webhook-endpoints', { key: ownerKey, body: { url: receiver.url } });
    const id = created.json.endpoint.id;
    for (const [method, path] of [
      ['GET', `/v1/webhook-endpoints/${id}`],
      ['GET', `/v1/webhook-endpoints/${id}/deliveries`],
      ['DELETE', `/v1/webhook-endpoints/${id}`],
    ] as const) {
      const answer = await harness.call(path, { key: otherKey, method });
      expect({ route: `${method} ${path}`, status: answer.status }).toEqual({
        route: `${method} ${path}`,
        status: 404,
      });
      expect(answer.text).not.toContain(receiver.url);
    }
    expect((await harness.call('/v1/webhook-endpoints', { key: otherKey })).json.items).toEqual([]);
    expect((await harness.call(`/v1/webhook-endpoints/${id}`, { key: ownerKey })).status).toBe(200);
  });

  it('are described in the OpenAPI document', async () => {
    const document = (await harness.call('/openapi.json')).json;
    expect(Object.keys(document.paths['/v1/webhook-endpoints'])).toEqual(['post', 'get']);
    expect(Object.keys(document.paths['/v1/webhook-endpoints/{id}'])).toEqual(['get', 'delete']);
    expect(Object.keys(document.paths['/v1/webhook-endpoints/{id}/deliveries'])).toEqual(['get']);
    expect(document.components.schemas.WebhookDelivery.properties).toHaveProperty('nextAttemptAt');
    expect(document.components.schemas.WebhookEventType.enum).toContain('action.failed');
  });
});
