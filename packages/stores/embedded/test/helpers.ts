import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createKeyring, generateSecretKey, type Keyring } from '@plugboard/store-kit';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory under the system temp dir, removed after the file's tests. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plugboard-embedded-'));
  made.push(dir);
  return dir;
}

export async function testKeyring(): Promise<{ key: string; keyring: Keyring }> {
  const key = generateSecretKey();
  return { key, keyring: await createKeyring(key) };
}
