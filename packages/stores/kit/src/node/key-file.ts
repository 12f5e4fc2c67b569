import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { createKeyring, generateSecretKey, type Keyring } from '../keyring.js';

/** Where a keyring came from; `plugboard keys` shows it. */
export interface LoadedKeyring {
  keyring: Keyring;
  source: 'env' | 'file';
  /** The key file, when the keys came from one. */
  keyFile?: string;
  /** The key file was created by this call. */
  created: boolean;
}

export interface LoadKeyringOptions {
  /** The key file to read, or create when missing; usually `<store dir>/secret.key`. */
  keyFile: string;
  /** Defaults to `process.env`: `PLUGBOARD_SECRET_KEY` and `PLUGBOARD_PREVIOUS_SECRET_KEYS`. */
  env?: Record<string, string | undefined>;
  /** Create the key file when it does not exist (default `true`). */
  create?: boolean;
}

interface KeyFileContents {
  format: 'plugboard-keys';
  version: 1;
  current: string;
  previous: string[];
}

/**
 * The keys a store opens and seals secrets with.
 *
 * `PLUGBOARD_SECRET_KEY` wins when set (previous keys, for a rotation, in
 * `PLUGBOARD_PREVIOUS_SECRET_KEYS`, comma-separated). Otherwise the key file: read when it
 * exists, created with a fresh random key (mode 0600) when it does not. Two processes creating it
 * at once end up with the same key: the file appears whole or not at all, and the loser reads it.
 */
export async function loadKeyring(options: LoadKeyringOptions): Promise<LoadedKeyring> {
  const env = options.env ?? process.env;
  const fromEnv = env.PLUGBOARD_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const previous = (env.PLUGBOARD_PREVIOUS_SECRET_KEYS ?? '').split(/[\s,]+/).filter((text) => text !== '');
    return { keyring: await createKeyring(fromEnv, previous), source: 'env', created: false };
  }
  const existing = await readKeyFile(options.keyFile);
  if (existing !== undefined) {
    return {
      keyring: await createKeyring(existing.current, existing.previous),
      source: 'file',
      keyFile: options.keyFile,
      created: false,
    };
  }
  if (options.create === false) {
    throw new PlugboardError(
      'SECRET_KEY_INVALID',
      `No secret key: PLUGBOARD_SECRET_KEY is not set and ${options.keyFile} does not exist.`,
    );
  }
  const contents: KeyFileContents = {
    format: 'plugboard-keys',
    version: 1,
    current: generateSecretKey(),
    previous: [],
  };
  const created = await createKeyFileOnce(options.keyFile, contents);
  const winner = created ? contents : await readKeyFile(options.keyFile);
  if (winner === undefined)
    throw new PlugboardError('STORE_ERROR', `The key file ${options.keyFile} vanished while it was being created.`);
  return {
    keyring: await createKeyring(winner.current, winner.previous),
    source: 'file',
    keyFile: options.keyFile,
    created,
  };
}

/**
 * Starts a rotation of a key file: a new current key, the old ones kept as previous, written
 * atomically. When a rotation is already unfinished (previous keys present) it is resumed
 * instead: no second new key, so an interrupted `plugboard keys rotate` can simply run again.
 */
export async function beginKeyFileRotation(keyFile: string): Promise<Keyring> {
  const existing = await readKeyFile(keyFile);
  if (existing === undefined)
    throw new PlugboardError('SECRET_KEY_INVALID', `There is no key file at ${keyFile} to rotate.`);
  if (existing.previous.length > 0) return createKeyring(existing.current, existing.previous);
  const next: KeyFileContents = { ...existing, current: generateSecretKey(), previous: [existing.current] };
  await writeKeyFileAtomically(keyFile, next);
  return createKeyring(next.current, next.previous);
}

/** Ends a rotation: drops the previous keys. Call it only after every secret was re-sealed. */
export async function finishKeyFileRotation(keyFile: string): Promise<void> {
  const existing = await readKeyFile(keyFile);
  if (existing === undefined) throw new PlugboardError('SECRET_KEY_INVALID', `There is no key file at ${keyFile}.`);
  if (existing.previous.length === 0) return;
  await writeKeyFileAtomically(keyFile, { ...existing, previous: [] });
}

async function readKeyFile(keyFile: string): Promise<KeyFileContents | undefined> {
  let text: string;
  try {
    if (process.platform !== 'win32') {
      const mode = (await stat(keyFile)).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new PlugboardError(
          'SECRET_KEY_INVALID',
          `The key file ${keyFile} can be read by other users (mode ${mode.toString(8)}); run \`chmod 600 ${keyFile}\` first.`,
        );
      }
    }
    text = await readFile(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (PlugboardError.isInstance(error)) throw error;
    throw new PlugboardError('STORE_ERROR', `Cannot read the key file ${keyFile}: ${(error as Error).message}`);
  }
  let parsed: Partial<KeyFileContents>;
  try {
    parsed = JSON.parse(text) as Partial<KeyFileContents>;
  } catch {
    throw new PlugboardError('SECRET_KEY_INVALID', `The key file ${keyFile} is not valid JSON.`);
  }
  if (parsed.format !== 'plugboard-keys' || typeof parsed.current !== 'string' || !Array.isArray(parsed.previous)) {
    throw new PlugboardError('SECRET_KEY_INVALID', `The key file ${keyFile} is not a Plugboard key file.`);
  }
  return {
    format: 'plugboard-keys',
    version: 1,
    current: parsed.current,
    previous: parsed.previous.filter((key): key is string => typeof key === 'string'),
  };
}

// Written to a private temporary file, flushed, then linked into place: `link` fails when the
// target exists, so of two racing creators exactly one wins, and nobody ever sees half a file.
async function createKeyFileOnce(keyFile: string, contents: KeyFileContents): Promise<boolean> {
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const temporary = await writePrivateTemporary(keyFile, contents);
  try {
    await link(temporary, keyFile);
    await syncDirectory(dirname(keyFile));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PlugboardError('STORE_ERROR', `Cannot create the key file ${keyFile}: ${(error as Error).message}`);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function writeKeyFileAtomically(keyFile: string, contents: KeyFileContents): Promise<void> {
  const temporary = await writePrivateTemporary(keyFile, contents);
  try {
    await rename(temporary, keyFile);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new PlugboardError('STORE_ERROR', `Cannot write the key file ${keyFile}: ${(error as Error).message}`);
  }
  await syncDirectory(dirname(keyFile));
}

async function writePrivateTemporary(keyFile: string, contents: KeyFileContents): Promise<string> {
  const temporary = join(dirname(keyFile), `.${randomBytes(6).toString('hex')}.key.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(contents, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}

async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
