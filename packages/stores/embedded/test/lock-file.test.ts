import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';

const connection = {
  id: 'conn-1',
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'API_KEY' as const,
  entityId: 'default',
  status: 'ACTIVE' as const,
  credentials: { api_key: 'k' },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the writer lock file', () => {
  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = join(await tempDir(), 'store');
    const { keyring } = await testKeyring();
    const store = await embeddedStore({ dir, keyring, lockTimeoutMs: 5_000 });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(join(dir, 'store.lock'), `${gone.stdout}\n${hostname()}\nabc\n`);
    await store.createConnection(connection);
    expect((await store.getConnection('conn-1'))?.credentials).toEqual({ api_key: 'k' });
  });

  it('waits for a live holder, then fails with a retryable STORE_ERROR rather than writing beside it', async () => {
    const dir = join(await tempDir(), 'store');
    const { keyring } = await testKeyring();
    const store = await embeddedStore({ dir, keyring, lockTimeoutMs: 200 });
    await writeFile(join(dir, 'store.lock'), `${process.ppid}\n${hostname()}\nabc\n`);
    await expect(store.createConnection(connection)).rejects.toMatchObject({ code: 'STORE_ERROR', retryable: true });
    // Reads need no lock.
    expect(await store.getConnection('conn-1')).toBeUndefined();
  });
});
