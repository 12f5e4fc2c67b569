import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, newApiKey } from './api-keys.js';
import type { ControlStore } from './control-store.js';
import { fileControlStore } from './file-control-store.js';
import { createKeyVerifier } from './key-cache.js';

let dir: string;
let control: ControlStore;
let reads: number;
let counted: ControlStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugboard-key-cache-'));
  control = await fileControlStore(dir);
  // The store as the verifier sees it, counting the reads a key check makes.
  counted = {
    ...control,
    getApiKey: (id) => {
      reads++;
      return control.getApiKey(id);
    },
    getProject: (id) => {
      reads++;
      return control.getProject(id);
    },
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the key check cache', () => {
  it('reuses a check for the TTL, and a key revoked in the store (another instance) is refused once the TTL is over', async () => {
    const { key, keyRecord, project } = await createProject(control, { name: 'cache' });
    let now = 1_000_000;
    const keys = createKeyVerifier(counted, { ttlMs: 5_000, now: () => now });
    reads = 0;
    expect((await keys.verify(key))?.project.id).toBe(project.id);
    expect(reads).toBe(2);
    // Concurrent and later checks within the TTL read nothing.
    await Promise.all(Array.from({ length: 20 }, () => keys.verify(key)));
    now += 4_999;
    expect(await keys.verify(key)).toBeDefined();
    expect(reads).toBe(2);

    await control.updateApiKey(project.id, keyRecord.id, { revokedAt: new Date().toISOString() });
    // Still the cached answer: the documented bound, not beyond it.
    expect(await keys.verify(key)).toBeDefined();
    now += 1;
    expect(await keys.verify(key)).toBeUndefined();
    expect(reads).toBe(3);
  });

  it('refuses a key revoked through this process at once', async () => {
    const { key, keyRecord, project } = await createProject(control, { name: 'forget' });
    const now = 2_000_000;
    const keys = createKeyVerifier(counted, { ttlMs: 5_000, now: () => now });
    expect(await keys.verify(key)).toBeDefined();
    await control.updateApiKey(project.id, keyRecord.id, { revokedAt: new Date().toISOString() });
    keys.forget(keyRecord.id);
    expect(await keys.verify(key)).toBeUndefined();
  });

  it("checks a rotated key's grace period on every use, and caches wrong keys without keeping them", async () => {
    const { project } = await createProject(control, { name: 'grace' });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { key, record } = newApiKey({ projectId: project.id, name: 'old', scope: 'execute' });
    await control.saveApiKey({ ...record, expiresAt: new Date(now + 2_000).toISOString() });
    const keys = createKeyVerifier(counted, { ttlMs: 5_000, now: () => now });
    expect(await keys.verify(key)).toBeDefined();
    now += 2_000;
    expect(await keys.verify(key)).toBeUndefined();

    const wrong = `${key.slice(0, -4)}AAAA`;
    reads = 0;
    expect(await keys.verify(wrong)).toBeUndefined();
    expect(await keys.verify(wrong)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('checks the store on every request with a TTL of 0', async () => {
    const { key } = await createProject(control, { name: 'off' });
    const keys = createKeyVerifier(counted, { ttlMs: 0 });
    reads = 0;
    await keys.verify(key);
    await keys.verify(key);
    expect(reads).toBe(4);
  });
});
