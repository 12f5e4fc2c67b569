import type { ConnectionRecord, IntegrationRecord } from '@plugboard/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresStore } from '../src/index.js';
import { databaseUrl, freshSchema, testKeyring } from './database.js';

const stamp = '2026-03-01T10:00:00.000Z';
const integration: IntegrationRecord = {
  id: 'int-1',
  app: 'acme',
  authMode: 'BEARER_TOKEN',
  name: 'acme',
  authConfig: {},
  usesDefaultOAuthApp: false,
  createdAt: stamp,
  updatedAt: stamp,
};
const connection: ConnectionRecord = {
  id: 'conn-1',
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'BEARER_TOKEN',
  entityId: 'user-1',
  status: 'ACTIVE',
  credentials: { token: 'token-plaintext' },
  version: 1,
  createdAt: stamp,
  updatedAt: stamp,
};

/** The execution path's reads, then the statements the pool's one database session has prepared. */
async function preparedAfterReads(preparedStatements: boolean | undefined) {
  // One connection, so the reads and the look at pg_prepared_statements share a session.
  const pool = new pg.Pool({ connectionString: databaseUrl(), max: 1 });
  const schema = freshSchema();
  try {
    const store = await postgresStore(
      { pool },
      { keyring: await testKeyring, schema, ...(preparedStatements === undefined ? {} : { preparedStatements }) },
    );
    await store.migrate();
    await store.saveIntegration(integration);
    await store.createConnection(connection);
    for (let round = 0; round < 3; round++) {
      expect(await store.listConnections({ app: 'acme', entityId: 'user-1', status: 'ACTIVE' })).toEqual([connection]);
      expect(await store.getIntegration('int-1')).toEqual(integration);
      expect(await store.getConnection('conn-1')).toEqual(connection);
    }
    expect(await store.getConnection('conn-2')).toBeUndefined();
    await store.close();
    const { rows } = await pool.query(
      "SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'plugboard\\_%' ORDER BY statement",
    );
    return rows as Array<{ name: string; statement: string }>;
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

describe('prepared statements', () => {
  it('prepares the execution path reads once per session and reuses them', async () => {
    const prepared = await preparedAfterReads(undefined);
    // Three texts, each prepared once however often it ran; the schema is part of each.
    expect(prepared).toHaveLength(3);
    expect(prepared.map((row) => row.statement).join('\n')).toMatch(/FROM "[^"]+"\.connections WHERE id = \$1/);
    expect(prepared.map((row) => row.statement).join('\n')).toMatch(/FROM "[^"]+"\.integrations WHERE id = \$1/);
    expect(new Set(prepared.map((row) => row.name)).size).toBe(3);
  });

  it('sends plain statements with preparedStatements: false', async () => {
    expect(await preparedAfterReads(false)).toEqual([]);
  });
});
