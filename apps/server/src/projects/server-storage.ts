import { join } from 'node:path';
import type { Store } from '@plugboard/core';
import { embeddedStore } from '@plugboard/store-embedded';
import type { Keyring } from '@plugboard/store-kit';
import { loadKeyring } from '@plugboard/store-kit/node';
import type { ControlStore } from '../control/control-store.js';
import { fileControlStore } from '../control/file-control-store.js';
import { postgresControlStore } from '../control/postgres-control-store.js';

/** A project's store, with what closing the server needs of it. */
export type ProjectStore = Store & { close?: () => Promise<void> };

/** Where everything the server keeps lives: projects and keys, and one store per project. */
export interface ServerStorage {
  kind: 'embedded' | 'postgres';
  control: ControlStore;
  /** Opens (creating when missing) the store of one project: a directory or a PostgreSQL schema of its own. */
  openProjectStore(projectId: string): Promise<ProjectStore>;
  close(): Promise<void>;
}

/**
 * The embedded layout: `<dir>/server.json` for projects and keys, `<dir>/projects/<project id>/`
 * for each project's embedded store, every secret sealed with one key (`PLUGBOARD_SECRET_KEY`, or
 * `<dir>/secret.key`, created on first start).
 */
export async function embeddedStorage(
  dir: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ServerStorage> {
  const control = await fileControlStore(dir);
  const { keyring } = await loadKeyring({ keyFile: join(dir, 'secret.key'), env });
  return {
    kind: 'embedded',
    control,
    openProjectStore: (projectId) => embeddedStore({ dir: join(dir, 'projects', projectId), keyring }),
    close: () => control.close(),
  };
}

/**
 * The PostgreSQL layout: the `plugboard_server` schema for projects and keys, and a schema per
 * project (`plugboard_<project id>`) migrated when the project is first used. One pool serves all.
 */
export async function postgresStorage(
  connectionString: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ServerStorage> {
  const [{ default: pg }, { postgresStore }, { createKeyring }] = await Promise.all([
    import('pg'),
    import('@plugboard/store-postgres'),
    import('@plugboard/store-kit'),
  ]);
  const secretKey = env['PLUGBOARD_SECRET_KEY'] ?? '';
  const previous = (env['PLUGBOARD_PREVIOUS_SECRET_KEYS'] ?? '').split(/[\s,]+/).filter((key) => key !== '');
  const keyring: Keyring = await createKeyring(secretKey, previous);
  const pool = new pg.Pool({ connectionString, max: 20, application_name: 'plugboard-server' });
  // A broken idle connection (a database restart) is dropped by the pool; unhandled, it would end the process.
  pool.on('error', () => undefined);
  const control = await postgresControlStore(pool);
  return {
    kind: 'postgres',
    control,
    async openProjectStore(projectId) {
      const store = await postgresStore({ pool }, { schema: `plugboard_${projectId}`, keyring });
      await store.migrate();
      return store;
    },
    async close() {
      await control.close();
      await pool.end();
    },
  };
}
