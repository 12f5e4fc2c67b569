import { createKeyring, generateSecretKey, type Keyring } from '@plugboard/store-kit';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { postgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/index.js';

export const databaseUrl = (): string => inject('databaseUrl');

/** The key of this test file's stores, and of the worker processes it starts. */
export const testSecretKey = generateSecretKey();
export const testKeyring: Promise<Keyring> = createKeyring(testSecretKey);

const schemas = new Set<string>();
const stores = new Set<PostgresStore>();

/** A new schema name; dropped after the file's tests. */
export function freshSchema(): string {
  const name = `pb_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  schemas.add(name);
  return name;
}

/** A migrated store in a schema of its own, closed and dropped after the file's tests. */
export async function freshStore(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = await openStore({ schema: freshSchema(), ...options });
  await store.migrate();
  return store;
}

/** A store on the test database, closed after the file's tests (not migrated). */
export async function openStore(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = await postgresStore(
    { connectionString: databaseUrl() },
    { keyring: await testKeyring, max: 4, ...options },
  );
  stores.add(store);
  if (options.schema !== undefined) schemas.add(options.schema);
  return store;
}

/** One plain connection to the test database, for looking at what the store wrote. */
export async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(databaseUrl());
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all([...stores].map((store) => store.close()));
  stores.clear();
  if (schemas.size === 0) return;
  await withClient(async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  schemas.clear();
});
