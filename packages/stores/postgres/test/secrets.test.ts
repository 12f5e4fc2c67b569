import { memoryStore, type ConnectionRecord, type IntegrationRecord, type PendingAuthRecord } from '@plugboard/core';
import { createKeyring, createSecretCipher, exportStore, generateSecretKey, importStore } from '@plugboard/store-kit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresStore } from '../src/index.js';
import { databaseUrl, freshSchema, freshStore, openStore, testKeyring, withClient } from './database.js';

const stamp = '2026-03-01T10:00:00.000Z';
const integration: IntegrationRecord = {
  id: 'int-1',
  app: 'acme',
  authMode: 'OAUTH2',
  name: 'acme OAUTH2',
  authConfig: { client_id: 'client-1', client_secret: 'client-secret-plaintext' },
  usesDefaultOAuthApp: false,
  createdAt: stamp,
  updatedAt: stamp,
};
const connection: ConnectionRecord = {
  id: 'conn-1',
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'OAUTH2',
  entityId: 'user-1',
  status: 'ACTIVE',
  credentials: { access_token: 'access-token-plaintext', refresh_token: 'refresh-token-plaintext' },
  expiresAt: '2026-03-01T11:00:00.000Z',
  version: 1,
  createdAt: stamp,
  updatedAt: stamp,
};
const pending: PendingAuthRecord = {
  state: 'state-1',
  connectionId: 'conn-1',
  integrationId: 'int-1',
  redirectUri: 'https://app.example/callback',
  codeVerifier: 'verifier-plaintext',
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
};

async function dumpTables(schema: string): Promise<string> {
  return withClient(async (client) => {
    const tables = ['integrations', 'connections', 'pending_auth'];
    const rows: unknown[] = [];
    for (const table of tables) rows.push((await client.query(`SELECT * FROM "${schema}".${table}`)).rows);
    return JSON.stringify(rows);
  });
}

describe('secrets at rest', () => {
  it('stores only sealed secrets; ids, app, entity, status, version and times stay queryable', async () => {
    const store = await freshStore();
    await store.saveIntegration(integration);
    await store.createConnection(connection);
    await store.savePendingAuth(pending);
    const raw = await dumpTables(store.schema);
    for (const secret of [
      'client-secret-plaintext',
      'access-token-plaintext',
      'refresh-token-plaintext',
      'verifier-plaintext',
    ])
      expect(raw).not.toContain(secret);

    const row = await withClient(
      async (client) =>
        (
          await client.query(
            `SELECT * FROM "${store.schema}".connections WHERE entity_id = 'user-1' AND status = 'ACTIVE' AND expires_at < now() + interval '100 years'`,
          )
        ).rows[0],
    );
    expect(row).toMatchObject({ id: 'conn-1', integration_id: 'int-1', app: 'acme', auth_mode: 'OAUTH2', version: 1 });
    expect(row.credentials).toMatch(/^pb1\.[A-Za-z0-9_-]{12}\./);
    expect(row.expires_at).toEqual(new Date(connection.expiresAt as string));
    expect(await store.getConnection('conn-1')).toEqual(connection);
    expect(await store.takePendingAuth('state-1')).toEqual(pending);
  });

  it('refuses to open secrets with a wrong key: SECRET_KEY_INVALID naming the key ids, never the values', async () => {
    const store = await freshStore();
    await store.createConnection(connection);
    const stranger = await openStore({ schema: store.schema, keyring: await createKeyring(generateSecretKey()) });
    const error = await stranger.getConnection('conn-1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SECRET_KEY_INVALID' });
    expect(JSON.stringify(error)).not.toContain('plaintext');
    // Rows another key sealed do not open either when the id was swapped (the context is authenticated).
    await withClient((client) =>
      client.query(`UPDATE "${store.schema}".connections SET id = 'conn-2' WHERE id = 'conn-1'`),
    );
    await expect(store.getConnection('conn-2')).rejects.toMatchObject({ code: 'SECRET_KEY_INVALID' });
  });

  it('rotateSecrets re-seals every stale secret with the current key, once, and the old key can then go', async () => {
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const schema = freshSchema();
    const before = await openStore({ schema, keyring: await createKeyring(oldKey) });
    await before.migrate();
    await before.saveIntegration(integration);
    await before.createConnection(connection);
    await before.createConnection({ ...connection, id: 'conn-2', entityId: 'user-2' });
    await before.savePendingAuth(pending);

    const during = await openStore({ schema, keyring: await createKeyring(newKey, [oldKey]) });
    // Both keys open everything while the rotation runs; new writes use the new key.
    expect(await during.getConnection('conn-1')).toEqual(connection);
    await during.updateConnection('conn-2', { status: 'INACTIVE' });
    expect(await during.rotateSecrets()).toEqual({ resealed: 4 });
    expect(await during.rotateSecrets()).toEqual({ resealed: 0 });

    const newKeyId = createSecretCipher(await createKeyring(newKey)).currentKeyId;
    const raw = JSON.parse(await dumpTables(schema)) as Array<Array<Record<string, unknown>>>;
    const sealed = [
      ...(raw[0] ?? []).map((row) => row['auth_config']),
      ...(raw[1] ?? []).map((row) => row['credentials']),
      ...(raw[2] ?? []).map((row) => row['secrets']),
    ];
    expect(sealed).toHaveLength(4);
    for (const value of sealed) expect(String(value).startsWith(`pb1.${newKeyId}.`)).toBe(true);

    const after = await openStore({ schema, keyring: await createKeyring(newKey) });
    expect(await after.getIntegration('int-1')).toEqual(integration);
    expect(await after.getConnection('conn-1')).toEqual(connection);
    // Re-sealing is not an update: versions are untouched.
    expect((await after.getConnection('conn-2'))?.version).toBe(2);
    expect(await after.takePendingAuth('state-1')).toEqual(pending);
    await expect(before.getConnection('conn-1')).rejects.toMatchObject({ code: 'SECRET_KEY_INVALID' });
  });
});

describe('moving stores', () => {
  it('exports a memory store and imports it into PostgreSQL with store-kit, and back', async () => {
    const memory = memoryStore();
    await memory.saveIntegration(integration);
    await memory.createConnection(connection);
    await memory.createConnection({
      ...connection,
      id: 'conn-2',
      entityId: 'user-2',
      statusReason: { code: 'DISABLED', message: 'Disabled.' },
      status: 'INACTIVE',
      expiresAt: undefined,
    });
    const cipher = createSecretCipher(await testKeyring);
    const dump = JSON.parse(JSON.stringify(await exportStore(memory, cipher))) as unknown;
    expect(JSON.stringify(dump)).not.toContain('plaintext');

    const store = await freshStore();
    expect(await importStore(store, dump, cipher)).toEqual({
      integrations: { created: 1, skipped: 0 },
      connections: { created: 2, skipped: 0 },
    });
    expect(await store.listIntegrations()).toEqual(await memory.listIntegrations());
    expect(await store.listConnections()).toEqual(await memory.listConnections());
    await expect(importStore(store, dump, cipher)).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(await importStore(store, dump, cipher, { onExisting: 'skip' })).toEqual({
      integrations: { created: 0, skipped: 1 },
      connections: { created: 0, skipped: 2 },
    });

    const back = memoryStore();
    await importStore(back, await exportStore(store, cipher), cipher);
    expect(await back.listConnections()).toEqual(await memory.listConnections());
  });

  it('works on a pool you pass in, and leaves it open on close()', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 3 });
    const schema = freshSchema();
    const store = await postgresStore({ pool }, { keyring: await testKeyring, schema });
    await store.migrate();
    await store.saveIntegration(integration);
    await store.createConnection(connection);
    const lock = await store.acquireLock('refresh:conn-1', 10_000);
    expect(lock).toBeDefined();
    expect(await store.acquireLock('refresh:conn-1', 10_000)).toBeUndefined();
    await lock?.release();
    expect(await store.getConnection('conn-1')).toEqual(connection);
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });
});
