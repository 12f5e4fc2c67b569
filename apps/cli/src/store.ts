import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { memoryStore, type Store } from '@plugboard/core';
import type { Keyring } from '@plugboard/store-kit';
import type { GlobalOptions } from './config.js';
import { nonEmpty } from './config.js';

/** The store a command works on (the embedded store in the store directory), and how to let go of it. */
export interface OpenedStore {
  store: Store;
  /** The store directory. */
  dir: string;
  /** The database file inside it. */
  path: string;
  /** Where the secret key came from: `PLUGBOARD_SECRET_KEY` or the key file. */
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

export async function openStore(globals: GlobalOptions, _options: { keyring?: Keyring } = {}): Promise<OpenedStore> {
  // Placeholder until @plugboard/store-embedded lands.
  const dir = storeDirectory(globals);
  return { store: memoryStore(), dir, path: join(dir, 'store'), keySource: 'memory', rotateSecrets: async () => ({ resealed: 0 }), close: async () => {} };
}
