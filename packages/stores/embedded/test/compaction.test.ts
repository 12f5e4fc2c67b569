import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';

describe('compaction', () => {
  it('rewrites a log that grew past twice its live size, and another instance keeps reading and writing across the swap', async () => {
    const dir = join(await tempDir(), 'store');
    const { keyring } = await testKeyring();
    const writer = await embeddedStore({ dir, keyring });
    const reader = await embeddedStore({ dir, keyring });
    await writer.createConnection({
      id: 'hot',
      integrationId: 'int-1',
      app: 'acme',
      authMode: 'API_KEY',
      entityId: 'default',
      status: 'ACTIVE',
      credentials: { api_key: 'k' },
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const padding = 'p'.repeat(4000);
    let largest = 0;
    for (let index = 0; index < 400; index += 1) {
      await writer.updateConnection('hot', { credentials: { api_key: `k-${index}`, padding } });
      largest = Math.max(largest, (await stat(writer.path)).size);
      if (index % 50 === 0) expect((await reader.getConnection('hot'))?.credentials['api_key']).toBe(`k-${index}`);
    }
    // 400 updates of ~5.5 kB each were written, but the file never held more than a few hundred kB.
    expect(largest).toBeLessThan(1024 * 1024);
    expect((await reader.getConnection('hot'))?.version).toBe(401);
    await reader.updateConnection('hot', { status: 'EXPIRED' }, { expectedVersion: 401 });
    expect((await writer.getConnection('hot'))?.status).toBe('EXPIRED');
    await expect(writer.updateConnection('hot', { status: 'ACTIVE' }, { expectedVersion: 401 })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
  });
});
