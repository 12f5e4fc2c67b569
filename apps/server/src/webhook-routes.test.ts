import { PlugboardError } from '@plugboard/core';
import { verifyWebhook } from '@plugboard/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';
import { connectionPayload, eventually, startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';

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
    const payload = connectionPayload('connection.deleted', { id: 'conn_logged', entityId: 'user-7' });
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
    expect(Object.keys(document.paths['/v1/webhook-endpoints/{id}/rotate-secret'])).toEqual(['post']);
    expect(Object.keys(document.paths['/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/resend'])).toEqual(['post']);
    expect(document.components.schemas.WebhookDelivery.properties).toHaveProperty('nextAttemptAt');
    expect(document.components.schemas.WebhookEventType.enum).toContain('action.failed');
  });
});

describe('rotating a secret and re-sending a delivery', () => {
  it('signs with the new and the old secret until the old one expires; keepPreviousForSeconds=0 drops it at once', async () => {
    const created = await harness.call('/v1/webhook-endpoints', {
      key: ownerKey,
      body: { url: receiver.url, events: ['connection.deleted'] },
    });
    const id = created.json.endpoint.id;
    const oldSecret = created.json.secret;
    const rotated = await harness.call(`/v1/webhook-endpoints/${id}/rotate-secret`, { key: ownerKey, method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.json.endpoint).toEqual(created.json.endpoint);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(oldSecret);
    const keptFor = Date.parse(rotated.json.previousSecretExpiresAt) - Date.now();
    expect(keptFor).toBeGreaterThan(23 * 60 * 60 * 1000);
    expect(keptFor).toBeLessThanOrEqual(24 * 60 * 60 * 1000);

    // A receiver still on the old secret accepts the next message, and so does one already on the new.
    receiver.secret = oldSecret;
    const payload = connectionPayload('connection.deleted', { id: 'conn_rotating', entityId: 'user-rot' });
    const [delivery] = (await harness.server.webhooks.publish(harness.projects[0].id, payload)).filter(
      (item) => item.endpointId === id,
    );
    const message = await eventually(async () => receiver.received.find((item) => item.id === delivery?.id));
    expect(message.payload).toEqual(payload);
    expect(message.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyWebhook(rotated.json.secret, message.headers, message.body)).toEqual(payload);

    // Rotated again with no grace: only the newest secret signs.
    const again = await harness.call(`/v1/webhook-endpoints/${id}/rotate-secret?keepPreviousForSeconds=0`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(again.status).toBe(200);
    receiver.secret = again.json.secret;
    const next = connectionPayload('connection.deleted', { id: 'conn_rotated', entityId: 'user-rot' });
    const [second] = (await harness.server.webhooks.publish(harness.projects[0].id, next)).filter(
      (item) => item.endpointId === id,
    );
    const latest = await eventually(async () => receiver.received.find((item) => item.id === second?.id));
    expect(latest.payload).toEqual(next);
    expect(latest.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(() => verifyWebhook(rotated.json.secret, latest.headers, latest.body)).toThrow(PlugboardError);

    const refused = await harness.call(`/v1/webhook-endpoints/${id}/rotate-secret?keepPreviousForSeconds=-1`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(refused.status).toBe(400);
    const foreign = await harness.call(`/v1/webhook-endpoints/${id}/rotate-secret`, { key: otherKey, method: 'POST' });
    expect(foreign.status).toBe(404);
    // Nothing secret in what the server shows afterwards.
    const shown = (await harness.call(`/v1/webhook-endpoints/${id}`, { key: ownerKey })).text;
    for (const secret of [oldSecret, rotated.json.secret, again.json.secret]) expect(shown).not.toContain(secret);
    expect(JSON.stringify(harness.logs)).not.toContain(again.json.secret.slice(6));
  });

  it('re-sends a failed delivery with the same webhook-id once the receiver is back; a pending one is refused', async () => {
    // A receiver that is down (refuses everything) for a server whose retry window is short.
    const failing = await startTestServer({ webhooks: { retry: { initialDelayMs: 20, retryForMs: 200 } } });
    let up = false;
    const flaky = await startWebhookReceiver({ answer: (message) => (up && message.payload ? 204 : 503) });
    try {
      const { key, id: projectId } = failing.projects[0];
      const created = await failing.call('/v1/webhook-endpoints', {
        key,
        body: { url: flaky.url, events: ['connection.deleted'] },
      });
      flaky.secret = created.json.secret;
      const id = created.json.endpoint.id;
      const payload = connectionPayload('connection.deleted', { id: 'conn_resend', entityId: 'user-resend' });
      const [delivery] = await failing.server.webhooks.publish(projectId, payload);
      const failed = await eventually(async () => {
        const answer = await failing.call(`/v1/webhook-endpoints/${id}/deliveries`, { key });
        return answer.json.items[0]?.status === 'failed' ? answer.json.items[0] : undefined;
      });
      const attemptsBefore = failed.attemptCount;
      expect(failed.lastResponseStatus).toBe(503);

      // Still down: the re-send is recorded, and the delivery stays failed.
      const stillDown = await failing.call(`/v1/webhook-endpoints/${id}/deliveries/${delivery?.id}/resend`, {
        key,
        method: 'POST',
      });
      expect(stillDown.status).toBe(200);
      expect(stillDown.json).toMatchObject({ id: delivery?.id, status: 'failed', attemptCount: attemptsBefore + 1 });

      up = true;
      const resent = await failing.call(`/v1/webhook-endpoints/${id}/deliveries/${delivery?.id}/resend`, {
        key,
        method: 'POST',
      });
      expect(resent.status).toBe(200);
      expect(resent.json).toMatchObject({
        id: delivery?.id,
        status: 'delivered',
        attemptCount: attemptsBefore + 2,
        lastResponseStatus: 204,
      });
      const taken = flaky.received.filter((message) => message.id === delivery?.id);
      expect(taken.at(-1)?.payload).toEqual(payload);
      expect(new Set(taken.map((message) => message.id)).size).toBe(1);

      // A pending delivery (here on a server whose next retry is a minute away) is on its schedule already.
      const slow = await startTestServer({ webhooks: { retry: { initialDelayMs: 60_000 } } });
      try {
        const slowProject = slow.projects[0];
        const slowEndpoint = await slow.call('/v1/webhook-endpoints', {
          key: slowProject.key,
          body: { url: flaky.url, events: ['connection.deleted'] },
        });
        const [waiting] = await slow.server.webhooks.publish(
          slowProject.id,
          connectionPayload('connection.deleted', { id: 'conn_waiting', entityId: 'user-resend' }),
        );
        await eventually(async () => {
          const answer = await slow.call(`/v1/webhook-endpoints/${slowEndpoint.json.endpoint.id}/deliveries`, {
            key: slowProject.key,
          });
          return answer.json.items[0]?.attemptCount === 1 ? true : undefined;
        });
        const conflict = await slow.call(
          `/v1/webhook-endpoints/${slowEndpoint.json.endpoint.id}/deliveries/${waiting?.id}/resend`,
          { key: slowProject.key, method: 'POST' },
        );
        expect(conflict.status).toBe(409);
        expect(conflict.json).toMatchObject({ code: 'DELIVERY_PENDING' });
      } finally {
        await slow.close();
      }
      // Unknown ids and other projects' deliveries: 404.
      const unknown = await failing.call(`/v1/webhook-endpoints/${id}/deliveries/msg_nope/resend`, {
        key,
        method: 'POST',
      });
      expect(unknown.status).toBe(404);
      const foreign = await failing.call(`/v1/webhook-endpoints/${id}/deliveries/${delivery?.id}/resend`, {
        key: failing.projects[1].key,
        method: 'POST',
      });
      expect(foreign.status).toBe(404);
    } finally {
      await failing.close();
      await flaky.close();
    }
  });
});

describe('events end to end', () => {
  it('a connection made through the server with an API key reaches the receiver as connection.created and connection.active, signed', async () => {
    const receiverForEvents = await startWebhookReceiver();
    const optIn = await startWebhookReceiver();
    try {
      const endpoint = await harness.call('/v1/webhook-endpoints', {
        key: ownerKey,
        body: { url: receiverForEvents.url },
      });
      receiverForEvents.secret = endpoint.json.secret;
      const failures = await harness.call('/v1/webhook-endpoints', {
        key: ownerKey,
        body: { url: optIn.url, events: ['action.failed'] },
      });
      optIn.secret = failures.json.secret;
      // Another project's endpoint hears nothing of this project.
      const elsewhere = await startWebhookReceiver();
      await harness.call('/v1/webhook-endpoints', { key: otherKey, body: { url: elsewhere.url } });

      const integration = await harness.call('/v1/integrations', {
        key: ownerKey,
        body: { app: 'github', authMode: 'BEARER_TOKEN' },
      });
      const connection = await harness.call('/v1/connections', {
        key: ownerKey,
        body: { integrationId: integration.json.id, entityId: 'user-hooks', connectedAccountParams: { token: PAT } },
      });
      expect(connection.json.status).toBe('ACTIVE');

      const messages = await receiverForEvents.waitFor(2);
      expect(messages.map((message) => message.refusedWith)).toEqual([undefined, undefined]);
      // Deliveries are attempted side by side: their order of arrival is not promised.
      expect(messages.map((message) => message.payload?.type).sort()).toEqual([
        'connection.active',
        'connection.created',
      ]);
      expect(messages.find((message) => message.payload?.type === 'connection.active')?.payload).toMatchObject({
        type: 'connection.active',
        data: {
          connection: {
            id: connection.json.id,
            entityId: 'user-hooks',
            app: 'github',
            authMode: 'BEARER_TOKEN',
            status: 'ACTIVE',
          },
        },
      });
      expect(messages[0]?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

      // What the receiver got, tampered with or replayed later, is refused by verifyWebhook.
      const original = messages[0] as (typeof messages)[number];
      const refusal = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          return PlugboardError.isInstance(error) ? error.code : 'OTHER';
        }
        return 'ACCEPTED';
      };
      const secret = endpoint.json.secret;
      expect(refusal(() => verifyWebhook(secret, original.headers, original.body))).toBe('ACCEPTED');
      expect(
        refusal(() => verifyWebhook(secret, original.headers, original.body.replace('user-hooks', 'user-evil'))),
      ).toBe('WEBHOOK_VERIFICATION_FAILED');
      const signature = original.headers['webhook-signature'] as string;
      const tampered = `${signature.slice(0, -6)}${signature.slice(-6) === 'AAAAA=' ? 'BBBBB=' : 'AAAAA='}`;
      expect(
        refusal(() => verifyWebhook(secret, { ...original.headers, 'webhook-signature': tampered }, original.body)),
      ).toBe('WEBHOOK_VERIFICATION_FAILED');
      vi.useFakeTimers({ now: Date.now() + 6 * 60_000, toFake: ['Date'] });
      try {
        expect(refusal(() => verifyWebhook(secret, original.headers, original.body))).toBe(
          'WEBHOOK_VERIFICATION_FAILED',
        );
      } finally {
        vi.useRealTimers();
      }
      expect(new Set(messages.map((message) => message.id)).size).toBe(2);

      // A failed action: only the endpoint that opted in hears of it.
      const failed = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
        key: ownerKey,
        body: { input: { owner: 'octocat', repo: 'Hello-World', pull_number: 404 }, entityId: 'user-hooks' },
      });
      expect(failed.json.successful).toBe(false);
      const [actionFailed] = await optIn.waitFor(1);
      expect(actionFailed?.payload).toMatchObject({
        type: 'action.failed',
        data: {
          app: 'github',
          action: 'GITHUB_GET_A_PULL_REQUEST',
          entityId: 'user-hooks',
          connectionId: connection.json.id,
          httpStatus: 404,
          errorCode: 'UPSTREAM_ERROR',
        },
      });

      expect(
        (await harness.call(`/v1/connections/${connection.json.id}`, { key: ownerKey, method: 'DELETE' })).status,
      ).toBe(204);
      const [, , deleted] = await receiverForEvents.waitFor(3);
      expect(deleted?.payload).toMatchObject({
        type: 'connection.deleted',
        data: { connection: { id: connection.json.id } },
      });
      await harness.server.webhooksSettled();
      expect(receiverForEvents.received).toHaveLength(3);
      expect(optIn.received).toHaveLength(1);
      expect(elsewhere.received).toHaveLength(0);
      await elsewhere.close();

      // No secret in any payload or log line: not the token, not an endpoint secret.
      const everything = JSON.stringify([receiverForEvents.received, optIn.received, harness.logs]);
      expect(everything).not.toContain(PAT);
      expect(everything).not.toContain(endpoint.json.secret.slice(6));
      expect(everything).not.toContain(failures.json.secret.slice(6));
      expect(everything).not.toContain('credentials');
      expect(harness.logs.filter((line) => line.message === 'webhook delivered').length).toBeGreaterThanOrEqual(4);
    } finally {
      await receiverForEvents.close();
      await optIn.close();
    }
  });
});
