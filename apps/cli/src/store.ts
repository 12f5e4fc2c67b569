import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Store } from '@plugboard/core';
import type { Keyring } from '@plugboard/store-kit';
import type { GlobalOptions } from './config.js';
import { nonEmpty } from './config.js';

/** The store a command works on (the embedded store in the store directory), and how to let go of it. */
export interface OpenedStore {
  store: Store;
  /** The store directory. */
  dir: string;
  /** The data file inside it. */
  path: string;
  /** Where the secret key comes from: `PLUGBOARD_SECRET_KEY` or the key file. */
  keySource: string;
  /** Re-seals every secret not sealed with the current key. */
  rotateSecrets(): Promise<{ resealed: number }>;
  close(): Promise<void>;
}

/** `--store-dir`, else `PLUGBOARD_HOME`, else `~/.plugboard`. */
export function storeDirectory(globals: GlobalOptions): string {
  return resolve(globals.storeDir ?? nonEmpty(process.env['PLUGBOARD_HOME']) ?? join(homedir(), '.plugboard'));
}

/** The key file beside the store. */
export function keyFileOf(dir: string): string {
  return join(dir, 'secret.key');
}

/**
 * Opens the embedded store in the store directory, with `keyring` when a command brings its own
 * (rotation, export, import), else with `PLUGBOARD_SECRET_KEY` or the key file.
 */
export async function openStore(globals: GlobalOptions, options: { keyring?: Keyring } = {}): Promise<OpenedStore> {
  const dir = storeDirectory(globals);
  // Imported here: the catalogue commands and --help never pay for opening a store.
  const { embeddedStore } = await import('@plugboard/store-embedded');
  const store = await embeddedStore({ dir, ...(options.keyring !== undefined ? { keyring: options.keyring } : {}) });
  return {
    store,
    dir,
    path: store.path,
    keySource: nonEmpty(process.env['PLUGBOARD_SECRET_KEY']) !== undefined ? 'PLUGBOARD_SECRET_KEY' : keyFileOf(dir),
    rotateSecrets: () => store.rotateSecrets(),
    close: () => store.close(),
  };
}
