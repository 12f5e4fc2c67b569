import type { ConnectionRecord, IntegrationRecord } from '@plugboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startFakeProvider, type FakeProvider } from './fake-provider.js';
import { freshSchema, freshStore, withClient } from './database.js';
import { killWorkers, startWorker, type Worker } from './workers.js';

let provider: FakeProvider | undefined;
afterEach(async () => {
  killWorkers();
  await provider?.close();
  provider = undefined;
});

const now = () => new Date().toISOString();

/** A store with an OAuth 2.0 integration and a connection whose access token has expired. */
async function expiredConnection() {
  provider = await startFakeProvider();
  const schema = freshSchema();
  const store = await freshStore({ schema });
  const integration: IntegrationRecord = {
    id: 'int-acme',
    app: 'acme',
    authMode: 'OAUTH2',
    name: 'acme OAUTH2',
    authConfig: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    usesDefaultOAuthApp: false,
    createdAt: now(),
    updatedAt: now(),
  };
  await store.saveIntegration(integration);
  const tokens = provider.seedTokens();
  const connection: ConnectionRecord = {
    id: 'conn-acme',
    integrationId: integration.id,
    app: 'acme',
    authMode: 'OAUTH2',
    entityId: 'user-1',
    status: 'ACTIVE',
    credentials: { access_token: 'expired-access-token', refresh_token: tokens.refresh_token, token_type: 'Bearer' },
    expiresAt: new Date(Date.now() - 60_000).toISOString(),
    version: 1,
    createdAt: now(),
    updatedAt: now(),
  };
  await store.createConnection(connection);
  return { store, schema, provider, integration, connection };
}

async function allReady(workers: Worker[]) {
  await Promise.all(workers.map((worker) => worker.next('ready')));
}

describe('several processes sharing one PostgreSQL store', () => {
  it('migrate() run by several processes at once applies each migration exactly once', async () => {
    const schema = freshSchema();
    const workers = Array.from({ length: 5 }, () => startWorker({ mode: 'migrate', schema }));
    await allReady(workers);
    for (const worker of workers) worker.send('go');
    const results = await Promise.all(workers.map((worker) => worker.next('migrated')));
    expect(results.every((result) => result['version'] === 1)).toBe(true);
    expect(results.map((result) => (result['applied'] as number[]).length).sort()).toEqual([0, 0, 0, 0, 1]);
    const rows = await withClient(
      async (client) => (await client.query(`SELECT version FROM "${schema}".plugboard_migrations`)).rows,
    );
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('a refresh storm (4 processes x 10 concurrent calls on one expired token) sends exactly one token request and keeps the rotated refresh token', async () => {
    const { store, schema, provider, connection } = await expiredConnection();
    // Slow enough that every call of every process arrives while the one refresh is in flight.
    provider.slowRefreshes(300);
    const workers = Array.from({ length: 4 }, () =>
      startWorker({ mode: 'execute', schema, providerOrigin: provider.origin, connectionId: connection.id, calls: 10 }),
    );
    await allReady(workers);
    for (const worker of workers) worker.send('go');
    const outcomes = await Promise.all(workers.map((worker) => worker.next('results')));
    const results = outcomes.flatMap(
      (outcome) => outcome['results'] as Array<{ successful: boolean; code: string | null }>,
    );

    expect(results).toHaveLength(40);
    expect(results.filter((result) => !result.successful)).toEqual([]);
    expect(provider.tokenRequests).toEqual([{ grantType: 'refresh_token', outcome: 'issued' }]);
    const stored = await store.getConnection(connection.id);
    // The rotated refresh token is the one stored, and the provider still honours it.
    expect(stored?.credentials['refresh_token']).toBe(provider.validRefreshToken);
    expect(provider.isAccessTokenValid(stored?.credentials['access_token'])).toBe(true);
    expect(stored).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect(Date.parse(stored?.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('a callback completed by another process activates the connection the first process waits for', async () => {
    const { schema, provider, integration } = await expiredConnection();
    const redirectUri = 'https://app.example/oauth/callback';
    const initiator = startWorker({
      mode: 'initiate',
      schema,
      providerOrigin: provider.origin,
      integrationId: integration.id,
      entityId: 'user-2',
      redirectUri,
    });
    const handler = startWorker({ mode: 'callback', schema, providerOrigin: provider.origin });
    const initiated = await initiator.next('initiated');
    await handler.next('ready');

    // The browser: the provider's authorization page redirects back with a code and the state.
    const authorization = await fetch(initiated['redirectUrl'] as string, { redirect: 'manual' });
    const callbackUrl = authorization.headers.get('location') as string;
    expect(callbackUrl.startsWith(redirectUri)).toBe(true);
    handler.send(callbackUrl);

    const handled = await handler.next('handled');
    const active = await initiator.next('active');
    expect(handled['status']).toBe(200);
    expect(handled['pid']).not.toBe(active['pid']);
    expect(active['connection']).toMatchObject({ id: initiated['connectionId'], status: 'ACTIVE', entityId: 'user-2' });
    expect(provider.tokenRequests).toEqual([{ grantType: 'authorization_code', outcome: 'issued' }]);

    // The state was used: a replay in the same process is refused.
    const replayer = startWorker({ mode: 'callback', schema, providerOrigin: provider.origin });
    await replayer.next('ready');
    replayer.send(callbackUrl);
    expect((await replayer.next('handled'))['status']).toBe(400);
  });

  it('a process killed (SIGKILL) in the middle of a refresh leaves nothing lost or stuck', async () => {
    const { store, schema, provider, connection } = await expiredConnection();
    const refreshTokenBefore = (await store.getConnection(connection.id))?.credentials['refresh_token'];
    provider.holdRefreshes(true);
    const doomed = startWorker({
      mode: 'execute',
      schema,
      providerOrigin: provider.origin,
      connectionId: connection.id,
      calls: 3,
    });
    await doomed.next('ready');
    doomed.send('go');
    await provider.waitForTokenRequests(1);
    // It holds the refresh lock while its token request hangs.
    expect(await store.acquireLock(`refresh:${connection.id}`, 10_000)).toBeUndefined();
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    // Nothing was half-written: the record is as it was.
    expect(await store.getConnection(connection.id)).toMatchObject({
      version: 1,
      status: 'ACTIVE',
      credentials: { refresh_token: refreshTokenBefore },
    });

    // The lock died with the process's database session: the next process refreshes at once
    // (well within the test timeout, against a lease of 100 s by default).
    provider.holdRefreshes(false);
    const survivor = startWorker({
      mode: 'execute',
      schema,
      providerOrigin: provider.origin,
      connectionId: connection.id,
      calls: 5,
    });
    await survivor.next('ready');
    survivor.send('go');
    const results = (await survivor.next('results'))['results'] as Array<{ successful: boolean }>;
    expect(results.every((result) => result.successful)).toBe(true);
    expect(provider.tokenRequests).toEqual([
      { grantType: 'refresh_token', outcome: 'held' },
      { grantType: 'refresh_token', outcome: 'issued' },
    ]);
    const stored = await store.getConnection(connection.id);
    expect(stored?.credentials['refresh_token']).toBe(provider.validRefreshToken);
    expect(stored?.version).toBe(2);

    // And this process's connection to the database is still usable, the lock free.
    const lock = await store.acquireLock(`refresh:${connection.id}`, 10_000);
    expect(lock).toBeDefined();
    await lock?.release();
  });
});
