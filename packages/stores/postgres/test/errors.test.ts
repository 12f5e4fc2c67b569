import { createToolset } from '@plugboard/core';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/index.js';
import { acmeApiKeyConnector, startAcmeApi } from './acme-connector.js';
import { freshSchema, freshStore, openStore, testKeyring, withClient } from './database.js';
import { startTcpProxy } from './tcp-proxy.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('errors', () => {
  it('reports an unreachable database as a retryable STORE_ERROR from executeAction, never with the password', async () => {
    const store = await postgresStore(
      { connectionString: `postgres://plugboard:s3cret-db-password@127.0.0.1:${await closedPort()}/app` },
      { keyring: await testKeyring, connectTimeoutMs: 2_000 },
    );
    cleanups.push(() => store.close());
    const toolset = createToolset({ connectors: [acmeApiKeyConnector('http://127.0.0.1:9')], store });
    const result = await toolset.executeAction('ACME_WHOAMI', {}, { entityId: 'user-1' });
    expect(result.successful).toBe(false);
    expect(result.error).toMatchObject({ code: 'STORE_ERROR', retryable: true });
    expect(result.error?.message).toContain('unreachable');
    expect(JSON.stringify(result)).not.toContain('s3cret-db-password');
    await expect(toolset.createIntegration({ app: 'acme', authMode: 'API_KEY', authConfig: {} })).rejects.toMatchObject(
      { code: 'STORE_ERROR', retryable: true },
    );
    await expect(store.acquireLock('refresh:x', 1_000)).rejects.toMatchObject({ code: 'STORE_ERROR', retryable: true });
  });

  it('recovers when the database comes back: the pool and the lock session reconnect', async () => {
    const proxy = await startTcpProxy((await import('./database.js')).databaseUrl());
    cleanups.push(() => proxy.close());
    const api = await startAcmeApi();
    cleanups.push(() => api.close());
    const store = await openStore({ schema: freshSchema(), connectTimeoutMs: 2_000 });
    // openStore points at the database directly; this one goes through the proxy.
    const proxied = await postgresStore(
      { connectionString: proxy.url },
      { keyring: await testKeyring, schema: store.schema, connectTimeoutMs: 2_000 },
    );
    cleanups.push(() => proxied.close());
    await proxied.migrate();
    const toolset = createToolset({ connectors: [acmeApiKeyConnector(api.url)], store: proxied });
    const integration = await toolset.createIntegration({ app: 'acme', authMode: 'API_KEY', authConfig: {} });
    await toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'user-1',
      connectedAccountParams: { api_key: 'k-1' },
    });
    const held = await proxied.acquireLock('held-before-the-cut', 60_000);
    expect(held).toBeDefined();
    expect((await toolset.executeAction('ACME_WHOAMI', {}, { entityId: 'user-1' })).successful).toBe(true);

    await proxy.cut();
    const during = await toolset.executeAction('ACME_WHOAMI', {}, { entityId: 'user-1' });
    expect(during.error).toMatchObject({ code: 'STORE_ERROR', retryable: true });
    await expect(proxied.acquireLock('another', 1_000)).rejects.toMatchObject({ code: 'STORE_ERROR' });

    await proxy.restore();
    expect((await toolset.executeAction('ACME_WHOAMI', {}, { entityId: 'user-1' })).successful).toBe(true);
    // The session that held the lock died with the cut, and the server released the lock with it.
    const again = await proxied.acquireLock('held-before-the-cut', 60_000);
    expect(again).toBeDefined();
    await again?.release();
    await held?.release(); // a stale holder's release is a no-op
    expect(await store.acquireLock('held-before-the-cut', 1_000)).toBeDefined();
  });

  it('cancels a statement past statementTimeoutMs as a retryable STORE_ERROR, and a cancelled write leaves nothing half-written', async () => {
    const store = await freshStore({ statementTimeoutMs: 300 });
    const stamp = new Date().toISOString();
    await store.saveIntegration({
      id: 'int-1',
      app: 'acme',
      authMode: 'API_KEY',
      name: 'acme',
      authConfig: {},
      usesDefaultOAuthApp: false,
      createdAt: stamp,
      updatedAt: stamp,
    });
    for (const id of ['conn-1', 'conn-2']) {
      await store.createConnection({
        id,
        integrationId: 'int-1',
        app: 'acme',
        authMode: 'API_KEY',
        entityId: 'user-1',
        status: 'ACTIVE',
        credentials: { api_key: 'k-1' },
        version: 1,
        createdAt: stamp,
        updatedAt: stamp,
      });
    }
    await withClient(async (blocker) => {
      // Another session holds the integration row: deleting the integration waits on it, after
      // the connections were already deleted in the same transaction.
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM "${store.schema}".integrations WHERE id = 'int-1' FOR UPDATE`);
      await expect(store.deleteIntegration('int-1')).rejects.toMatchObject({
        code: 'STORE_ERROR',
        retryable: true,
        details: { sqlState: '57014' },
      });
      await blocker.query('ROLLBACK');
    });
    expect(await store.getIntegration('int-1')).toBeDefined();
    expect((await store.listConnections({ integrationId: 'int-1' })).map((record) => record.id).sort()).toEqual([
      'conn-1',
      'conn-2',
    ]);
    expect(await store.deleteIntegration('int-1')).toBe(true);
    expect(await store.listConnections()).toEqual([]);
  });

  it('keeps to the pool size: with max 1 busy, the next caller gets a retryable STORE_ERROR after connectTimeoutMs', async () => {
    const store = await freshStore({ max: 1, connectTimeoutMs: 200, statementTimeoutMs: 10_000 });
    const stamp = new Date().toISOString();
    await store.saveIntegration({
      id: 'int-1',
      app: 'acme',
      authMode: 'API_KEY',
      name: 'acme',
      authConfig: {},
      usesDefaultOAuthApp: false,
      createdAt: stamp,
      updatedAt: stamp,
    });
    await withClient(async (blocker) => {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM "${store.schema}".integrations WHERE id = 'int-1' FOR UPDATE`);
      // Takes the pool's only connection and waits on the row.
      const deleting = store.deleteIntegration('int-1');
      await expect(store.getIntegration('int-1')).rejects.toMatchObject({
        code: 'STORE_ERROR',
        retryable: true,
        message: expect.stringContaining('timeout'),
      });
      await blocker.query('ROLLBACK');
      expect(await deleting).toBe(true);
    });
    expect(await store.getIntegration('int-1')).toBeUndefined();
  });

  it('says to run migrate() when the schema does not exist yet', async () => {
    const store = await openStore({ schema: freshSchema() });
    await expect(store.listIntegrations()).rejects.toMatchObject({
      code: 'STORE_ERROR',
      retryable: false,
      message: expect.stringContaining('store.migrate()'),
    });
    expect(await store.migrate()).toEqual({ applied: [1], version: 1 });
    expect(await store.migrate()).toEqual({ applied: [], version: 1 });
    expect(await store.listIntegrations()).toEqual([]);
  });

  it('refuses a bad schema name and a missing secret key before connecting', async () => {
    await expect(
      postgresStore(
        { connectionString: 'postgres://127.0.0.1/app' },
        { keyring: await testKeyring, schema: 'x"; DROP TABLE y; --' },
      ),
    ).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
    await expect(postgresStore({ connectionString: 'postgres://127.0.0.1/app' }, { env: {} })).rejects.toMatchObject({
      code: 'SECRET_KEY_INVALID',
      message: expect.stringContaining('PLUGBOARD_SECRET_KEY'),
    });
  });
});

describe('privileges', () => {
  it('migrates as a role that may not create schemas, into a schema an administrator made for it', async () => {
    const { freshSchema: newSchema, withClient: admin, databaseUrl } = await import('./database.js');
    const schema = newSchema();
    const role = `pb_role_${schema.slice(-8)}`;
    const password = crypto.randomUUID();
    await admin(async (client) => {
      // A new role has no CREATE privilege on the database.
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await client.query(`CREATE SCHEMA "${schema}" AUTHORIZATION ${role}`);
    });
    const url = new URL(databaseUrl());
    url.username = role;
    url.password = password;
    const store = await postgresStore({ connectionString: url.toString() }, { keyring: await testKeyring, schema });
    try {
      expect(await store.migrate()).toEqual({ applied: [1], version: 1 });
      expect(await store.listIntegrations()).toEqual([]);
    } finally {
      await store.close();
      await admin(async (client) => {
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
        await client.query(`DROP ROLE ${role}`);
      });
    }
  });
});
