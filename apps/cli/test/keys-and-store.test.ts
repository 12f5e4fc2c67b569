// keys show|generate|rotate and store path|export|import, on real store directories.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from './fake-servers.js';
import {
  acmeConfig,
  assertBuilt,
  cleanupsAfterEach,
  parseJson as json,
  runCli,
  temporaryDirectory,
} from './run-cli.js';

beforeAll(assertBuilt);

const cleanups = cleanupsAfterEach();

async function fakeServer(): Promise<FakeServer> {
  const fake = await startFakeServer();
  cleanups.push(() => fake.close());
  return fake;
}

/** Every file under `dir`, concatenated: to prove a secret is not stored in clear. */
async function everything(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) text += (await readFile(join(entry.parentPath, entry.name))).toString('latin1');
  }
  return text;
}

describe('keys', () => {
  it('generate prints a new key; show prints its id and source, never the key', async () => {
    const generated = await runCli(['keys', 'generate']);
    expect(generated.code).toBe(0);
    const key = generated.stdout.trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const keyId = /key id (\S+);/.exec(generated.stderr)?.[1];

    const home = await temporaryDirectory(cleanups);
    const shown = await runCli(['keys', 'show', '--json'], { PLUGBOARD_HOME: home, PLUGBOARD_SECRET_KEY: key });
    expect(json(shown.stdout)).toEqual({ keyId, source: 'PLUGBOARD_SECRET_KEY', previousKeyIds: [] });
    expect(shown.stdout + shown.stderr).not.toContain(key);
    expect((await runCli(['keys', 'show'], { PLUGBOARD_HOME: home })).stdout).toMatch(
      /^no key yet: .*secret\.key is created on first use/,
    );
  });

  it('rotate re-encrypts every secret with a new key file key; the connection still works and the old key is gone', async () => {
    const fake = await fakeServer();
    const home = await temporaryDirectory(cleanups);
    const env = { PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, ...fake.env };
    expect((await runCli(['connect', 'acme', '--set', 'api_key=key-before-rotation'], env)).code).toBe(0);
    expect(await everything(home)).not.toContain('key-before-rotation');
    const before = json<{ keyId: string; source: string }>((await runCli(['keys', 'show', '--json'], env)).stdout);
    expect(before.source).toBe(join(home, 'secret.key'));
    expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);

    const rotated = await runCli(['keys', 'rotate'], env);
    expect(rotated.stderr).toContain('re-encrypted');
    expect(rotated.code).toBe(0);
    const after = json<{ keyId: string; previousKeyIds: string[] }>(
      (await runCli(['keys', 'show', '--json'], env)).stdout,
    );
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.previousKeyIds).toEqual([]);
    expect(rotated.stdout).toMatch(new RegExp(`^rotated to key ${after.keyId}: [1-9]\\d* secrets re-encrypted`));

    const run = await runCli(['run', 'ACME_GET_THING', 'thing_id=1'], env);
    expect(json<{ apiKey: string }>(run.stdout).apiKey).toBe('key-before-rotation');
  });

  it('a store opened with the wrong key: exit 4 and the key hint', async () => {
    const fake = await fakeServer();
    const home = await temporaryDirectory(cleanups);
    const env = { PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, ...fake.env };
    await runCli(['connect', 'acme', '--set', 'api_key=key-1'], env);
    const wrongKey = (await runCli(['keys', 'generate'])).stdout.trim();
    const { code, stdout, stderr } = await runCli(['run', 'ACME_GET_THING', 'thing_id=1'], {
      ...env,
      PLUGBOARD_SECRET_KEY: wrongKey,
    });
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: .+\nhint: set PLUGBOARD_SECRET_KEY to the key this store was written with/);
    expect(fake.requests).toEqual([]);
  });
});

describe('store', () => {
  it('path prints the store directory', async () => {
    const home = await temporaryDirectory(cleanups);
    const { code, stdout } = await runCli(['store', 'path'], { PLUGBOARD_HOME: home });
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(home);
    const other = await temporaryDirectory(cleanups);
    expect(
      json<{ dir: string }>(
        (await runCli(['--store-dir', other, 'store', 'path', '--json'], { PLUGBOARD_HOME: home })).stdout,
      ).dir,
    ).toBe(other);
  });

  it('export then import into another store directory: the connection works there; a second import conflicts unless --skip-existing', async () => {
    const fake = await fakeServer();
    const source = await temporaryDirectory(cleanups);
    const target = await temporaryDirectory(cleanups);
    const common = { PLUGBOARD_CONFIG: acmeConfig, ...fake.env };
    await runCli(
      [
        'integrations',
        'create',
        'acme',
        '--auth-mode',
        'OAUTH2',
        '--set',
        'client_id=cid',
        '--set',
        'client_secret=client-secret-x',
      ],
      { ...common, PLUGBOARD_HOME: source },
    );
    await runCli(['connect', 'acme', '--entity', 'moving', '--set', 'api_key=key-that-moves'], {
      ...common,
      PLUGBOARD_HOME: source,
    });

    const dump = join(source, 'dump.json');
    const exported = await runCli(['store', 'export', dump], { ...common, PLUGBOARD_HOME: source });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^exported 2 integrations and 1 connections to /);
    expect((await stat(dump)).mode & 0o777).toBe(0o600);
    const text = await readFile(dump, 'utf8');
    expect(text).not.toMatch(/key-that-moves|client-secret-x/);

    // The target has its own key: the dump opens with the source's key file.
    const withoutKey = await runCli(['store', 'import', dump], { ...common, PLUGBOARD_HOME: target });
    expect(withoutKey.code).toBe(4);
    const imported = await runCli(['store', 'import', dump, '--dump-key-file', join(source, 'secret.key')], {
      ...common,
      PLUGBOARD_HOME: target,
    });
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 2 integrations and 1 connections\n' });
    const run = await runCli(['run', 'ACME_GET_THING', 'thing_id=3', '--entity', 'moving'], {
      ...common,
      PLUGBOARD_HOME: target,
    });
    expect(json<{ apiKey: string }>(run.stdout).apiKey).toBe('key-that-moves');
    expect(await everything(target)).not.toContain('key-that-moves');

    const again = await runCli(['store', 'import', dump, '--dump-key-file', join(source, 'secret.key')], {
      ...common,
      PLUGBOARD_HOME: target,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: The target store already has 3 of the dump's records/);
    const skipped = await runCli(
      ['store', 'import', dump, '--dump-key-file', join(source, 'secret.key'), '--skip-existing'],
      { ...common, PLUGBOARD_HOME: target },
    );
    expect(skipped).toMatchObject({
      code: 0,
      stdout: 'imported 0 integrations and 0 connections (skipped 2 and 1 already there)\n',
    });
  });
});
