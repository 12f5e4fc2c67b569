// store export from the embedded store, then store import --store-url into a real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { embeddedStore } from '@plugboard/store-embedded';
import { createKeyring, createSecretCipher, generateSecretKey } from '@plugboard/store-kit';
import { postgresStore } from '@plugboard/store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgresServer, type PostgresServer } from '@plugboard/fakes/postgres';
import { acmeConfig, assertBuilt, cleanupsAfterEach, runCli, temporaryDirectory } from './run-cli.js';

const cleanups = cleanupsAfterEach();

let server: PostgresServer | undefined;
const databases: string[] = [];

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A new database on the server, dropped after the file: the CLI always imports into the schema
 * "plugboard", so each test needs a database of its own (with DATABASE_URL, a user with CREATEDB).
 */
async function freshDatabase(): Promise<string> {
  const name = `pb_cli_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = new URL(server?.url ?? '');
  await query(url.href, `CREATE DATABASE ${name}`);
  databases.push(name);
  url.pathname = `/${name}`;
  return url.href;
}

beforeAll(async () => {
  assertBuilt();
  // DATABASE_URL when set (CI with its own server), else a throwaway one.
  const given = process.env['DATABASE_URL'];
  server = given ? { url: given, stop: async () => undefined } : await startPostgresServer();
}, 60_000);

afterAll(async () => {
  for (const name of databases) await query(server?.url ?? '', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await server?.stop();
}, 60_000);

/** The sealed columns of every record the CLI imported, and all of their rows as one string. */
async function rowsOf(url: string): Promise<{ sealed: string[]; everything: string }> {
  const sealed = await query(
    url,
    'SELECT auth_config AS sealed FROM plugboard.integrations UNION ALL SELECT credentials FROM plugboard.connections',
  );
  const integrations = await query(url, 'SELECT * FROM plugboard.integrations');
  const connections = await query(url, 'SELECT * FROM plugboard.connections');
  return {
    sealed: sealed.rows.map((row: { sealed: string }) => row.sealed),
    everything: JSON.stringify([integrations.rows, connections.rows]),
  };
}

const CLIENT_SECRET = 'client-secret-bound-for-postgres';
const API_KEY = 'api-key-bound-for-postgres';
// Creating integrations and API-key connections calls no API; the acme config only needs a URL.
const NO_API = 'http://127.0.0.1:9';

describe('store import --store-url', () => {
  it('moves an embedded store into PostgreSQL: the same records, opened with the same PLUGBOARD_SECRET_KEY, sealed in every row', async () => {
    const databaseUrl = await freshDatabase();
    const home = await temporaryDirectory(cleanups);
    const key = generateSecretKey();
    const env = { PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, FAKE_URL: NO_API, PLUGBOARD_SECRET_KEY: key };
    expect(
      (
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
            `client_secret=${CLIENT_SECRET}`,
          ],
          env,
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['connect', 'acme', '--entity', 'moving', '--set', `api_key=${API_KEY}`], env)).code).toBe(0);
    const dump = join(home, 'dump.json');
    expect((await runCli(['store', 'export', dump], env)).code).toBe(0);
    expect(await readFile(dump, 'utf8')).not.toMatch(new RegExp(`${CLIENT_SECRET}|${API_KEY}`));

    const imported = await runCli(['store', 'import', dump, '--store-url', databaseUrl], env);
    expect(imported).toEqual({ code: 0, stdout: 'imported 2 integrations and 1 connections\n', stderr: '' });

    // What the application will do: open the database with the same key.
    const keyring = await createKeyring(key);
    const postgres = await postgresStore({ connectionString: databaseUrl }, { keyring });
    cleanups.push(() => postgres.close());
    const embedded = await embeddedStore({ dir: home, keyring });
    cleanups.push(() => embedded.close());
    const connections = await postgres.listConnections();
    expect(connections).toEqual(await embedded.listConnections());
    expect(connections).toMatchObject([
      { app: 'acme', authMode: 'API_KEY', entityId: 'moving', status: 'ACTIVE', credentials: { api_key: API_KEY } },
    ]);
    const integrations = await postgres.listIntegrations();
    expect(integrations).toEqual(await embedded.listIntegrations());
    expect(integrations.find((record) => record.authMode === 'OAUTH2')?.authConfig).toMatchObject({
      client_id: 'cid',
      client_secret: CLIENT_SECRET,
    });

    const rows = await rowsOf(databaseUrl);
    expect(rows.sealed).toHaveLength(3);
    const keyId = createSecretCipher(keyring).currentKeyId;
    for (const sealed of rows.sealed) expect(sealed).toMatch(new RegExp(`^pb1\\.${keyId}\\.`));
    for (const secret of [CLIENT_SECRET, API_KEY]) expect(rows.everything).not.toContain(secret);

    // Again: the records are there, so nothing is written unless told to skip them.
    const again = await runCli(['store', 'import', dump, '--store-url', databaseUrl], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: The target store already has 3 of the dump's records [^\n]+\nhint: add --skip-existing [^\n]+\n$/,
    );
    const skipped = await runCli(['store', 'import', dump, '--store-url', databaseUrl, '--skip-existing'], env);
    expect(skipped).toMatchObject({
      code: 0,
      stdout: 'imported 0 integrations and 0 connections (skipped 2 and 1 already there)\n',
    });
  });

  it('from a store keyed by its secret.key: asks for PLUGBOARD_SECRET_KEY, then seals with it what --dump-key-file opens', async () => {
    const databaseUrl = await freshDatabase();
    const home = await temporaryDirectory(cleanups);
    const env = { PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, FAKE_URL: NO_API };
    expect((await runCli(['connect', 'acme', '--set', `api_key=${API_KEY}`], env)).code).toBe(0);
    const dump = join(home, 'dump.json');
    expect((await runCli(['store', 'export', dump], env)).code).toBe(0);

    const withoutKey = await runCli(['store', 'import', dump, '--store-url', databaseUrl], env);
    expect(withoutKey.code).toBe(2);
    expect(withoutKey.stderr).toMatch(
      /^error: importing into Postgres needs PLUGBOARD_SECRET_KEY[^\n]*\nhint: [^\n]*--dump-key-file[^\n]*\n$/,
    );

    const key = generateSecretKey();
    const imported = await runCli(
      ['store', 'import', dump, '--store-url', databaseUrl, '--dump-key-file', join(home, 'secret.key')],
      { ...env, PLUGBOARD_SECRET_KEY: key },
    );
    expect(imported).toEqual({ code: 0, stdout: 'imported 1 integrations and 1 connections\n', stderr: '' });
    const keyring = await createKeyring(key);
    const postgres = await postgresStore({ connectionString: databaseUrl }, { keyring });
    cleanups.push(() => postgres.close());
    expect(await postgres.listConnections()).toMatchObject([{ credentials: { api_key: API_KEY } }]);
    const rows = await rowsOf(databaseUrl);
    for (const sealed of rows.sealed)
      expect(sealed.startsWith(`pb1.${createSecretCipher(keyring).currentKeyId}.`)).toBe(true);
  });

  it('an unreachable or wrong --store-url: an error line and a hint, a non-zero exit, no secret printed', async () => {
    const home = await temporaryDirectory(cleanups);
    const key = generateSecretKey();
    const env = { PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, FAKE_URL: NO_API, PLUGBOARD_SECRET_KEY: key };
    expect((await runCli(['connect', 'acme', '--set', `api_key=${API_KEY}`], env)).code).toBe(0);
    const dump = join(home, 'dump.json');
    expect((await runCli(['store', 'export', dump], env)).code).toBe(0);
    const password = 'db-password-never-printed';
    const port = await freePort();

    const unreachable = await runCli(
      ['store', 'import', dump, '--store-url', `postgres://plugboard:${password}@127.0.0.1:${port}/app`],
      env,
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr).toMatch(
      new RegExp(
        `^error: PostgreSQL store: [^\\n]*unreachable[^\\n]*\\nhint: check that PostgreSQL is running at 127\\.0\\.0\\.1:${port} [^\\n]+\\n$`,
      ),
    );

    const notPostgres = await runCli(
      ['store', 'import', dump, '--store-url', `mysql://plugboard:${password}@127.0.0.1:${port}/app`],
      env,
    );
    expect(notPostgres).toMatchObject({ code: 2, stdout: '' });
    expect(notPostgres.stderr).toMatch(
      /^error: --store-url is not a PostgreSQL URL\nhint: give one like postgres:\/\/user:password@host:5432\/database\n$/,
    );

    for (const output of [unreachable, notPostgres]) {
      for (const secret of [password, key, API_KEY]) expect(output.stdout + output.stderr).not.toContain(secret);
    }
  });
});
