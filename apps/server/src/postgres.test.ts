import pg from 'pg';
import { generateSecretKey } from '@plugboard/store-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from './config.js';
import { createPlugboardServer } from './plugboard-server.js';
import { startPostgresServer, type PostgresServer } from '@plugboard/fakes/postgres';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';

let database: PostgresServer;
let harness: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  database = await startPostgresServer();
  env = { DATABASE_URL: database.url, PLUGBOARD_SECRET_KEY: generateSecretKey() };
  harness = await startTestServer({ env });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await database?.stop();
});

describe('on PostgreSQL', () => {
  it('keeps each project in a schema of its own, secrets sealed, keys hashed, and a second instance sees it all', async () => {
    const [owner, other] = harness.projects;
    const integration = await harness.call('/v1/integrations', {
      key: owner.key,
      body: { app: 'github', authMode: 'BEARER_TOKEN' },
    });
    expect(integration.status).toBe(201);
    const connection = await harness.call('/v1/connections', {
      key: owner.key,
      body: { integrationId: integration.json.id, entityId: 'pg-user', connectedAccountParams: { token: PAT } },
    });
    expect(connection.json.status).toBe('ACTIVE');
    const executed = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: owner.key,
      body: { input: { owner: 'octocat', repo: 'Hello-World', pull_number: 11 }, entityId: 'pg-user' },
    });
    expect(executed.json).toMatchObject({ successful: true, data: { number: 11 } });
    expect((await harness.call(`/v1/connections/${connection.json.id}`, { key: other.key })).status).toBe(404);
    expect((await harness.call('/readyz')).json).toEqual({ status: 'ready' });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const schemas = await client.query<{ schema_name: string }>(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'plugboard%' ORDER BY 1",
      );
      expect(schemas.rows.map((row) => row.schema_name)).toEqual(
        expect.arrayContaining(['plugboard_server', `plugboard_${owner.id}`, `plugboard_${other.id}`]),
      );
      const stored = await client.query(`SELECT credentials FROM "plugboard_${owner.id}".connections`);
      expect(stored.rows).toHaveLength(1);
      expect(JSON.stringify(stored.rows)).not.toContain(PAT);
      const otherRows = await client.query(`SELECT id FROM "plugboard_${other.id}".connections`);
      expect(otherRows.rows).toEqual([]);
      const keys = await client.query('SELECT secret_hash FROM plugboard_server.api_keys');
      expect(JSON.stringify(keys.rows)).not.toContain(owner.key.slice(21));
    } finally {
      await client.end();
    }

    // Another instance on the same database: the same keys, the same connection.
    const second = await createPlugboardServer({
      config: loadServerConfig({ ...env, PORT: '0' }),
      toolset: { http: { retries: 0 } },
      logger: () => undefined,
      env,
    });
    try {
      const seen = await second.fetch(
        new Request(`http://second.test/v1/connections/${connection.json.id}`, {
          headers: { authorization: `Bearer ${owner.key}` },
        }),
      );
      expect(seen.status).toBe(200);
      expect(await seen.json()).toMatchObject({ id: connection.json.id, status: 'ACTIVE', entityId: 'pg-user' });
    } finally {
      await second.close();
    }
  });
});
