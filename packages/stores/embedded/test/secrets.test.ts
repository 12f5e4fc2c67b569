import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '@plugboard/core';
import { createKeyring, createSecretCipher, generateSecretKey } from '@plugboard/store-kit';
import { beginKeyFileRotation, finishKeyFileRotation, loadKeyring } from '@plugboard/store-kit/node';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';
import { runWorker } from './processes.js';

const connection = (id: string, token: string): ConnectionRecord => ({
  id,
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'OAUTH2',
  entityId: 'default',
  status: 'ACTIVE',
  credentials: { access_token: token },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const keyIdsIn = (text: string) => new Set([...text.matchAll(/pb1\.([^.]+)\./g)].map((match) => match[1]));

describe('secrets at rest', () => {
  it('writes no plaintext secret to the file', async () => {
    const dir = join(await tempDir(), 'store');
    const store = await embeddedStore({ dir, keyring: (await testKeyring()).keyring });
    await store.saveIntegration({
      id: 'int-1',
      app: 'acme',
      authMode: 'OAUTH2',
      name: 'acme',
      authConfig: { client_secret: 'cs-PLAINTEXT-1' },
      usesDefaultOAuthApp: false,
      createdAt: 'x',
      updatedAt: 'x',
    });
    await store.createConnection(connection('conn-1', 'tok-PLAINTEXT-2'));
    await store.savePendingAuth({
      state: 's',
      connectionId: 'conn-1',
      integrationId: 'int-1',
      codeVerifier: 'ver-PLAINTEXT-3',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const text = await readFile(store.path, 'utf8');
    expect(text).not.toMatch(/PLAINTEXT/);
    expect((await store.getConnection('conn-1'))?.credentials['access_token']).toBe('tok-PLAINTEXT-2');
  });

  it('refuses to open with the wrong key: SECRET_KEY_INVALID naming the key ids, no garbage', async () => {
    const dir = join(await tempDir(), 'store');
    const store = await embeddedStore({ dir, keyring: (await testKeyring()).keyring });
    await store.createConnection(connection('conn-1', 'tok-1'));
    await store.close();
    const wrong = (await testKeyring()).keyring;
    const error = await embeddedStore({ dir, keyring: wrong }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SECRET_KEY_INVALID' });
    expect((error as Error).message).toContain(wrong.current.id);
    expect((error as Error).message).toContain('not among the configured keys');
    expect((error as Error).message).not.toContain('tok-1');
  });

  it('creates the directory 0700, the data file and key file 0600', async () => {
    const dir = join(await tempDir(), 'nested', 'store');
    const store = await embeddedStore({ dir, env: {} });
    await store.createConnection(connection('conn-1', 'tok-1'));
    expect(store.keySource).toBe('file');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    // Still 0600 after a compaction rewrote the file.
    await store.rotateSecrets();
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('takes keys from PLUGBOARD_SECRET_KEY before the key file', async () => {
    const dir = join(await tempDir(), 'store');
    const key = generateSecretKey();
    const store = await embeddedStore({ dir, env: { PLUGBOARD_SECRET_KEY: key } });
    expect(store.keySource).toBe('env');
    await store.createConnection(connection('conn-1', 'tok-1'));
    const id = createSecretCipher(await createKeyring(key)).currentKeyId;
    expect(keyIdsIn(await readFile(store.path, 'utf8'))).toEqual(new Set([id]));
  });

  it('rotateSecrets re-seals everything: afterwards the file names only the new key, and it opens without the old one', async () => {
    const dir = join(await tempDir(), 'store');
    const store = await embeddedStore({ dir, env: {} });
    for (let index = 0; index < 450; index += 1)
      await store.createConnection(connection(`conn-${index}`, `tok-${index}`));
    await store.close();
    const keyFile = join(dir, 'secret.key');
    const oldId = (await loadKeyring({ keyFile, env: {} })).keyring.current.id;
    const rotated = await beginKeyFileRotation(keyFile);
    const reopened = await embeddedStore({ dir, env: {} });
    expect(await reopened.rotateSecrets()).toEqual({ resealed: 450 });
    expect(await reopened.rotateSecrets()).toEqual({ resealed: 0 });
    await reopened.close();
    await finishKeyFileRotation(keyFile);
    const text = await readFile(join(dir, 'store.jsonl'), 'utf8');
    expect(keyIdsIn(text)).toEqual(new Set([rotated.current.id]));
    expect(text).not.toContain(oldId);
    const after = await embeddedStore({ dir, env: {} });
    expect((await after.getConnection('conn-449'))?.credentials['access_token']).toBe('tok-449');
  }, 60_000);

  it('an interrupted rotation leaves everything readable, and running it again completes it', async () => {
    const dir = join(await tempDir(), 'store');
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const store = await embeddedStore({ dir, env: { PLUGBOARD_SECRET_KEY: oldKey } });
    for (let index = 0; index < 1500; index += 1)
      await store.createConnection(connection(`conn-${index}`, `tok-${index}`));
    await store.close();
    const env = { PLUGBOARD_SECRET_KEY: newKey, PLUGBOARD_PREVIOUS_SECRET_KEYS: oldKey };
    // Killed at a random moment of the rotation (or, rarely, after it finished: also fine).
    const killed = await runWorker(['rotate', dir], env, (line, child) => {
      if (line === 'started') setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
    });
    expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);
    const both = await embeddedStore({ dir, env });
    for (const index of [0, 700, 1499])
      expect((await both.getConnection(`conn-${index}`))?.credentials['access_token']).toBe(`tok-${index}`);
    const { resealed } = await both.rotateSecrets();
    expect(resealed).toBeLessThanOrEqual(1500);
    await both.close();
    const newId = createSecretCipher(await createKeyring(newKey)).currentKeyId;
    expect(keyIdsIn(await readFile(join(dir, 'store.jsonl'), 'utf8'))).toEqual(new Set([newId]));
    const onlyNew = await embeddedStore({ dir, env: { PLUGBOARD_SECRET_KEY: newKey } });
    expect((await onlyNew.listConnections()).length).toBe(1500);
  }, 120_000);

  it('reports a file that is not a store instead of reading garbage', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'store.jsonl'), 'hello\n');
    await expect(embeddedStore({ dir, keyring: (await testKeyring()).keyring })).rejects.toMatchObject({
      code: 'STORE_ERROR',
    });
  });
});
