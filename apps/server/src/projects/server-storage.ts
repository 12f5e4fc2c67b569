import { join } from 'node:path';
import type { Store } from '@plugboard/core';
import { embeddedStore } from '@plugboard/store-embedded';
import type { Keyring } from '@plugboard/store-kit';
import { loadKeyring } from '@plugboard/store-kit/node';
import type { ControlStore } from '../control/control-store.js';
import { fileControlStore } from '../control/file-control-store.js';
import { postgresControlStore } from '../control/postgres-control-store.js';
import type { DeliveryContext } from '../webhooks/attempt-delivery.js';
import { fileWebhookOutbox } from '../webhooks/file-webhook-outbox.js';
import type { WebhookOutbox } from '../webhooks/webhook-outbox.js';

/** A project's store, with what closing the server needs of it. */
export type ProjectStore = Store & { close?: () => Promise<void> };

/** Where everything the server keeps lives: projects and keys, and one store per project. */
export interface ServerStorage {
  kind: 'embedded' | 'postgres';
  control: ControlStore;
  /** Opens (creating when missing) the store of one project: a directory or a PostgreSQL schema of its own. */
  openProjectStore(projectId: string): Promise<ProjectStore>;
  /**
   * Opens the webhook outbox: a file beside the projects (attempts on an in-process timer), or
   * tables and pg-boss jobs in the database. Not started: `start()` begins delivering.
   */
  openWebhookOutbox(context: DeliveryContext, options?: WebhookQueueOptions): Promise<WebhookOutbox>;
  close(): Promise<void>;
}

/** How the PostgreSQL job queue polls; the embedded outbox wakes exactly when a delivery is due. */
export interface WebhookQueueOptions {
  /** How often an idle pg-boss worker asks for due jobs (at least 0.5). @default 2 */
  pollingIntervalSeconds?: number;
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
    openWebhookOutbox: (context) => fileWebhookOutbox({ dir, keyring, context }),
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
    async openWebhookOutbox(context, options = {}) {
      const { postgresWebhookOutbox } = await import('../webhooks/postgres-webhook-outbox.js');
      return postgresWebhookOutbox({ pool, keyring, context, ...options });
    },
    async close() {
      await control.close();
      await pool.end();
    },
  };
}
