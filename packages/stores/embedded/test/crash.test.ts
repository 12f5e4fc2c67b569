import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedStore } from '../src/index.js';
import { decodeLines } from '../src/log-file.js';
import { tempDir, testKeyring } from './helpers.js';
import { runWorker } from './processes.js';

describe('a writer killed with SIGKILL', () => {
  it('loses no acknowledged write, and the store opens with no garbage (five kills at random moments, through compactions)', async () => {
    const dir = join(await tempDir(), 'store');
    const { key, keyring } = await testKeyring();
    const setup = await embeddedStore({ dir, keyring });
    await setup.createConnection({
      id: 'hot',
      integrationId: 'int-1',
      app: 'acme',
      authMode: 'API_KEY',
      entityId: 'default',
      status: 'ACTIVE',
      credentials: { api_key: 'hot' },
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    await setup.close();
    const acknowledged: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const killAfter = 10 + Math.floor(Math.random() * 120);
      let seen = 0;
      const result = await runWorker(['churn', dir, `r${round}`], { PLUGBOARD_SECRET_KEY: key }, (_line, child) => {
        seen += 1;
        if (seen === killAfter) child.kill('SIGKILL');
      });
      expect(result.signal).toBe('SIGKILL');
      acknowledged.push(...result.lines);

      const store = await embeddedStore({ dir, keyring });
      const ids = new Set((await store.listConnections()).map((record) => record.id));
      for (const id of acknowledged) expect(ids.has(id), id).toBe(true);
      const hot = await store.getConnection('hot');
      expect(hot?.credentials['api_key']).toMatch(/^hot-\d+$/);
      // Every complete line is intact; at most a torn last line, which the next write cuts off.
      const before = decodeLines(await readFile(store.path));
      expect(before.damaged).toBe(0);
      // No half-written compaction is left beside the log.
      expect((await readdir(dir)).filter((name) => name.startsWith('store.jsonl.'))).toEqual([]);
      await store.updateConnection('hot', { status: 'ACTIVE' });
      const after = await readFile(store.path);
      const decoded = decodeLines(after);
      expect([decoded.damaged, decoded.consumed]).toEqual([0, after.length]);
      await store.close();
    }
    // Generous: each acknowledged step is two fsyncs, slow on a busy disk.
  }, 120_000);
});
