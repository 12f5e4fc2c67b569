import { verifyWebhook } from '@plugboard/webhooks';
import { freePort, startPostgresServer, type PostgresServer } from '@plugboard/fakes/postgres';
import { generateSecretKey } from '@plugboard/store-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';
import { connectionPayload, eventually, startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';
import { loadServerConfig } from './config.js';
import type { LogLine } from './http/request-log.js';
import { createPlugboardServer, type PlugboardServer } from './plugboard-server.js';

let database: PostgresServer;
let first: TestServer;
let second: PlugboardServer;
const secondLogs: LogLine[] = [];
let receiver: WebhookReceiver;
let env: Record<string, string>;
const webhooks = { retry: { initialDelayMs: 200 }, pollingIntervalSeconds: 0.5 };

beforeAll(async () => {
  database = await startPostgresServer();
  env = { DATABASE_URL: database.url, PLUGBOARD_SECRET_KEY: generateSecretKey() };
  first = await startTestServer({ env, webhooks });
  second = await createPlugboardServer({
    config: loadServerConfig({ ...env, PORT: '0' }),
    toolset: { http: { retries: 0 } },
    logger: (line) => secondLogs.push(line),
    env,
    webhooks,
  });
  // A receiver that refuses each message the first time (503) and takes it the second: every event is retried.
  const seen = new Set<string>();
  receiver = await startWebhookReceiver({
    answer: (message) => {
      if (!message.payload) return 400;
      if (seen.has(message.id)) return 204;
      seen.add(message.id);
      return 503;
    },
  });
}, 120_000);
afterAll(async () => {
  await second?.close();
  await first?.close();
  await receiver?.close();
  await database?.stop();
});

async function callSecond(path: string, key: string, body?: unknown) {
  const response = await second.fetch(
    new Request(`http://second.test${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field with expect.
  return { status: response.status, json: (await response.json()) as any };
}

describe('webhooks on PostgreSQL with two server instances', () => {
  it('delivers every event, retried through pg-boss, duplicates only with the same webhook-id', async () => {
    const { key, id: projectId } = first.projects[0];
    const endpoint = await first.call('/v1/webhook-endpoints', { key, body: { url: receiver.url } });
    expect(endpoint.status).toBe(201);
    receiver.secret = endpoint.json.secret;
    const integration = await first.call('/v1/integrations', {
      key,
      body: { app: 'github', authMode: 'BEARER_TOKEN' },
    });

    // Connections made through both instances: each change is emitted once, by the instance that made it.
    const connectionIds: string[] = [];
    for (let index = 0; index < 6; index++) {
      const body = {
        integrationId: integration.json.id,
        entityId: `pg-user-${index}`,
        connectedAccountParams: { token: PAT },
      };
      const made =
        index % 2 === 0
          ? await first.call('/v1/connections', { key, body })
          : await callSecond('/v1/connections', key, body);
      expect(made.status).toBe(201);
      connectionIds.push(made.json.id);
    }

    const expected = connectionIds.flatMap((id) => [`connection.created ${id}`, `connection.active ${id}`]).sort();
    const accepted = await eventually(async () => {
      const taken = receiver.received.filter(
        (message) => message.payload && receiver.received.filter((other) => other.id === message.id).length >= 2,
      );
      const events = new Map(taken.map((message) => [message.id, message]));
      return events.size >= expected.length ? [...events.values()] : undefined;
    }, 30_000);
    expect(
      accepted
        .map(
          (message) =>
            `${message.payload?.type} ${(message.payload?.data as { connection: { id: string } } | undefined)?.connection.id}`,
        )
        .sort(),
    ).toEqual(expected);
    // Every message verified; each id received twice (refused, then taken), a third time only as at-least-once allows.
    expect(receiver.received.every((message) => message.refusedWith === undefined)).toBe(true);
    const byId = new Map<string, number>();
    for (const message of receiver.received) byId.set(message.id, (byId.get(message.id) ?? 0) + 1);
    expect(byId.size).toBe(expected.length);
    for (const count of byId.values()) expect(count).toBeGreaterThanOrEqual(2);

    // The delivery log, read through the other instance: delivered on the second attempt, after a 503.
    const log = await eventually(async () => {
      const answer = await callSecond(`/v1/webhook-endpoints/${endpoint.json.endpoint.id}/deliveries`, key);
      return answer.json.items.length === expected.length &&
        answer.json.items.every((item: { status: string }) => item.status === 'delivered')
        ? answer.json.items
        : undefined;
    });
    for (const item of log) {
      expect(item.attempts.map((attempt: { responseStatus: number }) => attempt.responseStatus)).toEqual([503, 204]);
      expect(item.nextAttemptAt).toBeNull();
    }

    // The outbox rows and their jobs live in the database; pg-boss ran every attempt as a job.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query(
        'SELECT status, count(*)::int AS count FROM plugboard_server.webhook_deliveries WHERE project_id = $1 GROUP BY status',
        [projectId],
      );
      expect(rows.rows).toEqual([{ status: 'delivered', count: expected.length }]);
      const jobs = await client.query(
        `SELECT count(*)::int AS count FROM (SELECT id FROM plugboard_jobs.job WHERE name = 'plugboard-webhook-delivery'
           UNION ALL SELECT id FROM plugboard_jobs.archive WHERE name = 'plugboard-webhook-delivery') AS all_jobs`,
      );
      expect(jobs.rows[0].count).toBeGreaterThanOrEqual(expected.length * 2);
      const sealed = await client.query('SELECT secret_sealed FROM plugboard_server.webhook_endpoints');
      expect(JSON.stringify(sealed.rows)).not.toContain(endpoint.json.secret.slice(6));
    } finally {
      await client.end();
    }

    const deliveredBy = (lines: LogLine[]) => lines.filter((line) => line.message === 'webhook delivered').length;
    expect(deliveredBy(first.logs) + deliveredBy(secondLogs)).toBeGreaterThanOrEqual(expected.length);
    console.info(
      `delivered by the first instance: ${deliveredBy(first.logs)}, by the second: ${deliveredBy(secondLogs)}`,
    );
    const everything = JSON.stringify([receiver.received, first.logs, secondLogs]);
    expect(everything).not.toContain(PAT);
    expect(everything).not.toContain(endpoint.json.secret.slice(6));
  }, 60_000);

  it('retries a receiver that is down and delivers the event once it is up', async () => {
    const { key, id: projectId } = first.projects[1];
    const port = await freePort();
    const endpoint = await first.call('/v1/webhook-endpoints', {
      key,
      body: { url: `http://127.0.0.1:${port}/hooks`, events: ['connection.deleted'] },
    });
    const payload = connectionPayload('connection.deleted', { id: 'conn_gone', entityId: 'user-down' });
    const [delivery] = await second.webhooks.publish(projectId, payload);
    const refused = await eventually(async () => {
      const answer = await callSecond(`/v1/webhook-endpoints/${endpoint.json.endpoint.id}/deliveries`, key);
      const [item] = answer.json.items;
      return item && item.attemptCount >= 2 ? item : undefined;
    });
    expect(refused).toMatchObject({ id: delivery?.id, status: 'pending', lastResponseStatus: null });
    expect(refused.attempts[0].error).toBe('ECONNREFUSED');
    expect(Date.parse(refused.nextAttemptAt)).toBeGreaterThan(Date.parse(refused.attempts[1].at));

    const back = await startWebhookReceiver({ port, secret: endpoint.json.secret });
    try {
      const [message] = await back.waitFor(1, 20_000);
      expect(message?.id).toBe(delivery?.id);
      expect(message?.payload).toEqual(payload);
      const delivered = await eventually(async () => {
        const answer = await first.call(`/v1/webhook-endpoints/${endpoint.json.endpoint.id}/deliveries`, { key });
        return answer.json.items[0]?.status === 'delivered' ? answer.json.items[0] : undefined;
      });
      expect(delivered.lastResponseStatus).toBe(204);
      expect(back.received).toHaveLength(1);
    } finally {
      await back.close();
    }
  }, 60_000);

  it('sweeps deliveries finished more than 7 days ago, and gives a job back to a pending delivery that lost its own', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // Two deliveries of the first test's endpoint (whose receiver still answers).
      const listed = await client.query(
        `SELECT id FROM plugboard_server.webhook_deliveries WHERE project_id = $1 ORDER BY id LIMIT 2`,
        [first.projects[0].id],
      );
      const [old, recent] = listed.rows.map((row) => row.id as string);
      await client.query(
        "UPDATE plugboard_server.webhook_deliveries SET finished_at = now() - interval '8 days' WHERE id = $1",
        [old],
      );
      // A delivery left pending with no job to run it, its next attempt long due (as after pg-boss gave up).
      await client.query(
        `UPDATE plugboard_server.webhook_deliveries
            SET status = 'pending', attempts = '[]'::jsonb, finished_at = NULL, next_attempt_at = now() - interval '1 hour'
          WHERE id = $1`,
        [recent],
      );
      const before = receiver.received.filter((message) => message.id === recent).length;
      const third = await createPlugboardServer({
        config: loadServerConfig({ ...env, PORT: '0' }),
        logger: () => undefined,
        env,
        webhooks,
      });
      try {
        await eventually(async () => {
          const { rows } = await client.query('SELECT status FROM plugboard_server.webhook_deliveries WHERE id = $1', [
            recent,
          ]);
          return rows[0]?.status === 'delivered' ? true : undefined;
        }, 20_000);
      } finally {
        await third.close();
      }
      expect(receiver.received.filter((message) => message.id === recent).length).toBeGreaterThan(before);
      const after = await client.query('SELECT id FROM plugboard_server.webhook_deliveries');
      const ids = after.rows.map((row) => row.id as string);
      expect(ids).not.toContain(old);
      expect(ids).toContain(recent);
    } finally {
      await client.end();
    }
  });
});

describe('rotating and re-sending on PostgreSQL', () => {
  it('a secret rotated on one instance signs twice on the other; a delivered message is re-sent with its id', async () => {
    const { key, id: projectId } = first.projects[0];
    const plain = await startWebhookReceiver();
    try {
      const created = await first.call('/v1/webhook-endpoints', {
        key,
        body: { url: plain.url, events: ['connection.deleted'] },
      });
      const id = created.json.endpoint.id;
      const rotated = await first.call(`/v1/webhook-endpoints/${id}/rotate-secret?keepPreviousForSeconds=3600`, {
        key,
        method: 'POST',
      });
      expect(rotated.status).toBe(200);
      expect(Date.parse(rotated.json.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
      plain.secret = created.json.secret;
      const payload = connectionPayload('connection.deleted', { id: 'conn_pg_rotate', entityId: 'pg-rotate' });
      const [delivery] = (await second.webhooks.publish(projectId, payload)).filter((item) => item.endpointId === id);
      const message = await eventually(async () => plain.received.find((item) => item.id === delivery?.id));
      expect(message.payload).toEqual(payload);
      expect(message.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      expect(verifyWebhook(rotated.json.secret, message.headers, message.body)).toEqual(payload);

      await eventually(async () => {
        const answer = await callSecond(`/v1/webhook-endpoints/${id}/deliveries`, key);
        return answer.json.items[0]?.status === 'delivered' ? true : undefined;
      });
      const resent = await second.fetch(
        new Request(`http://second.test/v1/webhook-endpoints/${id}/deliveries/${delivery?.id}/resend`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
        }),
      );
      expect(resent.status).toBe(200);
      expect(await resent.json()).toMatchObject({ id: delivery?.id, status: 'delivered', attemptCount: 2 });
      expect(plain.received.filter((item) => item.id === delivery?.id)).toHaveLength(2);
      const sealed = new pg.Client({ connectionString: database.url });
      await sealed.connect();
      try {
        const { rows } = await sealed.query(
          'SELECT secret_sealed, previous_secret_sealed FROM plugboard_server.webhook_endpoints WHERE id = $1',
          [id],
        );
        expect(rows[0].previous_secret_sealed).toEqual(expect.any(String));
        expect(JSON.stringify(rows)).not.toContain(rotated.json.secret.slice(6));
        expect(JSON.stringify(rows)).not.toContain(created.json.secret.slice(6));
      } finally {
        await sealed.end();
      }
    } finally {
      await plain.close();
    }
  }, 60_000);
});

describe('server instances starting at once on a fresh database', () => {
  it('all start: the job queue schema is installed by one while the others wait', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const instances: PlugboardServer[] = [];
    try {
      await admin.query('CREATE DATABASE fresh_start');
      const freshEnv = { ...env, DATABASE_URL: database.url.replace(/\/postgres$/, '/fresh_start') };
      // Four at once, each with its own pool, as four processes would be (CI saw two race and one fail).
      const started = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          createPlugboardServer({
            config: loadServerConfig({ ...freshEnv, PORT: '0' }),
            logger: () => undefined,
            env: freshEnv,
            webhooks,
          }),
        ),
      );
      for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
      expect(started.filter((result) => result.status === 'rejected').map((result) => String(result.reason))).toEqual(
        [],
      );
      const fresh = new pg.Client({ connectionString: freshEnv.DATABASE_URL });
      await fresh.connect();
      try {
        const { rows } = await fresh.query('SELECT version FROM plugboard_jobs.version');
        expect(rows).toHaveLength(1);
      } finally {
        await fresh.end();
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await admin.end();
    }
  }, 60_000);
});
