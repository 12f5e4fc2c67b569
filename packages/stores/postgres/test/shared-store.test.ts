import type { PendingAuthRecord } from '@plugboard/core';
import { describe, expect, it } from 'vitest';
import { freshStore, openStore } from './database.js';

// Two store instances on one schema: separate pools and lock sessions, which is what two
// processes look like to the database.
async function twoStores() {
  const first = await freshStore();
  const second = await openStore({ schema: first.schema });
  return [first, second] as const;
}

const stamp = '2026-01-01T00:00:00.000Z';

describe('two stores on one database', () => {
  it('hands a pending authorization to exactly one of many concurrent takers', async () => {
    const [first, second] = await twoStores();
    const pending: PendingAuthRecord = {
      state: 'shared-state',
      connectionId: 'c',
      integrationId: 'i',
      codeVerifier: 'v',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    await first.savePendingAuth(pending);
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).takePendingAuth('shared-state')),
    );
    expect(taken.filter((record) => record !== undefined)).toEqual([pending]);
  });

  it('lets exactly one compare-and-swap win across stores, and each sees the other’s writes', async () => {
    const [first, second] = await twoStores();
    await first.createConnection({
      id: 'conn-1',
      integrationId: 'int-1',
      app: 'acme',
      authMode: 'API_KEY',
      entityId: 'e',
      status: 'ACTIVE',
      credentials: { api_key: 'k-0' },
      version: 1,
      createdAt: stamp,
      updatedAt: stamp,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? first : second).updateConnection(
          'conn-1',
          { credentials: { api_key: `k-${index + 1}` } },
          { expectedVersion: 1 },
        ),
      ),
    );
    const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(
      attempts
        .filter((attempt) => attempt.status === 'rejected')
        .every((attempt) => (attempt.reason as { code?: string }).code === 'STORE_CONFLICT'),
    ).toBe(true);
    const winner = (winners[0] as PromiseFulfilledResult<{ credentials: Record<string, string> }>).value;
    expect(await second.getConnection('conn-1')).toMatchObject({ version: 2, credentials: winner.credentials });
    expect(await first.getConnection('conn-1')).toMatchObject({ version: 2, credentials: winner.credentials });
  });

  it('keeps a lock exclusive across stores until release, lease expiry or the holder closing', async () => {
    const [first, second] = await twoStores();
    const held = await first.acquireLock('refresh:conn-1', 60_000);
    expect(held).toBeDefined();
    expect(await second.acquireLock('refresh:conn-1', 60_000)).toBeUndefined();
    await held?.release();
    const taken = await second.acquireLock('refresh:conn-1', 60_000);
    expect(taken).toBeDefined();
    expect(await first.acquireLock('refresh:conn-1', 60_000)).toBeUndefined();
    await taken?.release();

    // A short lease: the holder lets go when it runs out, and its late release frees nothing.
    const short = await first.acquireLock('refresh:conn-2', 100);
    expect(short).toBeDefined();
    let next = await second.acquireLock('refresh:conn-2', 60_000);
    while (next === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      next = await second.acquireLock('refresh:conn-2', 60_000);
    }
    await short?.release();
    expect(await first.acquireLock('refresh:conn-2', 60_000)).toBeUndefined();

    // Closing the holding store ends its session, which releases its locks.
    await second.close();
    expect(await first.acquireLock('refresh:conn-2', 60_000)).toBeDefined();
  });
});
