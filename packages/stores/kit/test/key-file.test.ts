import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf } from '@plugboard/fakes';
import type { PlugboardError } from '@plugboard/core';
import { createSecretCipher, generateSecretKey, parseSecretKey } from '../src/index.js';
import { beginKeyFileRotation, finishKeyFileRotation, loadKeyring } from '../src/node/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugboard-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadKeyring', () => {
  it('creates a key file readable by its owner only, and reads the same key afterwards', async () => {
    const keyFile = join(dir, 'nested', 'secret.key');
    const first = await loadKeyring({ keyFile, env: {} });
    expect(first).toMatchObject({ source: 'file', keyFile, created: true });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    const second = await loadKeyring({ keyFile, env: {} });
    expect(second.created).toBe(false);
    expect(second.keyring.current.id).toBe(first.keyring.current.id);
    expect(await readdir(join(dir, 'nested'))).toEqual(['secret.key']);
  });

  it('gives every one of several racing processes the same key', async () => {
    const keyFile = join(dir, 'secret.key');
    // The built module: turbo builds the package before its tests run.
    const moduleUrl = new URL('../dist/node/index.js', import.meta.url).href;
    const script = `const { loadKeyring } = await import(${JSON.stringify(moduleUrl)}); const loaded = await loadKeyring({ keyFile: ${JSON.stringify(keyFile)}, env: {} }); console.log(loaded.keyring.current.id);`;
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`exit ${code}`))));
        }),
    );
    const ids = await Promise.all(runs);
    expect(new Set(ids).size).toBe(1);
    const inProcess = await Promise.all(Array.from({ length: 10 }, () => loadKeyring({ keyFile, env: {} })));
    expect(new Set(inProcess.map((loaded) => loaded.keyring.current.id))).toEqual(new Set(ids));
  });

  it('takes PLUGBOARD_SECRET_KEY and previous keys from the environment over any key file', async () => {
    const keyFile = join(dir, 'secret.key');
    await loadKeyring({ keyFile, env: {} });
    const current = generateSecretKey();
    const old = [generateSecretKey(), generateSecretKey()];
    const loaded = await loadKeyring({
      keyFile,
      env: { PLUGBOARD_SECRET_KEY: current, PLUGBOARD_PREVIOUS_SECRET_KEYS: ` ${old[0]}, ${old[1]} ` },
    });
    expect(loaded.source).toBe('env');
    expect(loaded.keyring.current.id).toBe((await parseSecretKey(current)).id);
    expect(loaded.keyring.previous.map((key) => key.id)).toEqual([
      (await parseSecretKey(old[0]!)).id,
      (await parseSecretKey(old[1]!)).id,
    ]);
    const bad = await errorOf<PlugboardError>(loadKeyring({ keyFile, env: { PLUGBOARD_SECRET_KEY: 'too-short' } }));
    expect(bad.code).toBe('SECRET_KEY_INVALID');
  });

  it('refuses a key file others can read, a damaged one, and a missing one when told not to create it', async () => {
    const keyFile = join(dir, 'secret.key');
    await loadKeyring({ keyFile, env: {} });
    await chmod(keyFile, 0o644);
    const open = await errorOf<PlugboardError>(loadKeyring({ keyFile, env: {} }));
    expect(open.code).toBe('SECRET_KEY_INVALID');
    expect(open.message).toContain('chmod 600');
    await chmod(keyFile, 0o600);
    await writeFile(keyFile, '{ not json', { mode: 0o600 });
    expect((await errorOf<PlugboardError>(loadKeyring({ keyFile, env: {} }))).message).toContain('not valid JSON');
    await writeFile(keyFile, JSON.stringify({ format: 'plugboard-keys', current: 'abc', previous: [] }), {
      mode: 0o600,
    });
    expect((await errorOf<PlugboardError>(loadKeyring({ keyFile, env: {} }))).code).toBe('SECRET_KEY_INVALID');
    const missing = await errorOf<PlugboardError>(
      loadKeyring({ keyFile: join(dir, 'none.key'), env: {}, create: false }),
    );
    expect(missing.message).toContain('PLUGBOARD_SECRET_KEY');
  });
});

describe('key file rotation', () => {
  it('keeps the old key until finished, resumes an unfinished rotation instead of starting another', async () => {
    const keyFile = join(dir, 'secret.key');
    const original = await loadKeyring({ keyFile, env: {} });
    const sealed = await createSecretCipher(original.keyring).seal('before', 'ctx');

    const rotating = await beginKeyFileRotation(keyFile);
    expect(rotating.current.id).not.toBe(original.keyring.current.id);
    expect(rotating.previous.map((key) => key.id)).toEqual([original.keyring.current.id]);
    // As if interrupted here: a new process loads both keys and still opens the old value.
    const reloaded = await loadKeyring({ keyFile, env: {} });
    expect(await createSecretCipher(reloaded.keyring).open(sealed, 'ctx')).toBe('before');
    const resumed = await beginKeyFileRotation(keyFile);
    expect(resumed.current.id).toBe(rotating.current.id);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

    await finishKeyFileRotation(keyFile);
    const finished = await loadKeyring({ keyFile, env: {} });
    expect(finished.keyring.current.id).toBe(rotating.current.id);
    expect(finished.keyring.previous).toEqual([]);
    expect((await errorOf<PlugboardError>(createSecretCipher(finished.keyring).open(sealed, 'ctx'))).code).toBe(
      'SECRET_KEY_INVALID',
    );
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toMatchObject({
      format: 'plugboard-keys',
      version: 1,
      previous: [],
    });
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
