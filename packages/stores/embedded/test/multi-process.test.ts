import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '@plugboard/core';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';
import { runWorker, summaryOf } from './processes.js';

const counter = (): ConnectionRecord => ({
  id: 'counter',
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'API_KEY',
  entityId: 'default',
  status: 'ACTIVE',
  credentials: { n: '0' },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

async function setUp() {
  const dir = join(await tempDir(), 'store');
  const { key, keyring } = await testKeyring();
  const store = await embeddedStore({ dir, keyring });
  return { dir, keyring, env: { PLUGBOARD_SECRET_KEY: key }, store };
}

describe('several processes on one store', { timeout: 60_000 }, () => {
  it('loses no write when two processes create connections at once, and a third sees them all', async () => {
    const { dir, env, store } = await setUp();
    const [a, b] = await Promise.all([
      runWorker(['create', dir, 'a', '150'], env),
      runWorker(['create', dir, 'b', '150'], env),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const ids = (await store.listConnections()).map((record) => record.id).sort();
    expect(ids).toEqual([...a.lines, ...b.lines].sort());
    expect(ids).toHaveLength(300);
  });

  it('checks compare-and-swap against the latest write of any process: conflicts are STORE_CONFLICT, no increment is lost', async () => {
    const { dir, env, store } = await setUp();
    await store.createConnection(counter());
    const results = await Promise.all([runWorker(['cas', dir, '60'], env), runWorker(['cas', dir, '60'], env)]);
    for (const result of results) expect([result.code, result.stderr]).toEqual([0, '']);
    const [first, second] = results.map(summaryOf);
    const final = await store.getConnection('counter');
    expect(final?.credentials['n']).toBe('120');
    expect(final?.version).toBe(121);
    expect((first?.['won'] ?? 0) + (second?.['won'] ?? 0)).toBe(120);
    // A lost race can only have been reported as STORE_CONFLICT: the worker exits non-zero on any other error.
  });

  it('gives a lock to one process at a time: increments made only under the lock are never lost', async () => {
    const { dir, env, store } = await setUp();
    await store.createConnection(counter());
    const results = await Promise.all([runWorker(['locked', dir, '40'], env), runWorker(['locked', dir, '40'], env)]);
    for (const result of results) expect([result.code, result.stderr]).toEqual([0, '']);
    expect((await store.getConnection('counter'))?.credentials['n']).toBe('80');
  });

  it('hands each pending authorization to exactly one of two processes', async () => {
    const { dir, env, store } = await setUp();
    for (let index = 0; index < 100; index += 1) {
      await store.savePendingAuth({
        state: `state-${index}`,
        connectionId: 'c',
        integrationId: 'i',
        codeVerifier: 'v',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      });
    }
    const [a, b] = await Promise.all([runWorker(['take', dir, '100'], env), runWorker(['take', dir, '100'], env)]);
    const taken = [...a.lines, ...b.lines].filter((line) => line.startsWith('state-'));
    expect(taken).toHaveLength(100);
    expect(new Set(taken).size).toBe(100);
    expect(await store.takePendingAuth('state-5')).toBeUndefined();
  });

  it('refuses a lock held by another store on the directory until it is released', async () => {
    const { dir, keyring, store } = await setUp();
    const lock = await store.acquireLock('refresh:conn-1', 60_000);
    const other = await embeddedStore({ dir, keyring });
    expect(await other.acquireLock('refresh:conn-1', 60_000)).toBeUndefined();
    await lock?.release();
    expect(await other.acquireLock('refresh:conn-1', 60_000)).toBeDefined();
  });
});
