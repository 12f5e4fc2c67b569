import { open, readFile, rename } from 'node:fs/promises';
import { PlugboardError } from '@plugboard/core';
import { Command } from 'commander';
import { createKeyring, createSecretCipher, exportStore, importStore, type Keyring } from '@plugboard/store-kit';
import { loadKeyring } from '@plugboard/store-kit/node';
import { CliError } from '../cli-error.js';
import { globalsOf } from '../context.js';
import { EXIT_SECRET_KEY, EXIT_USAGE_ERROR } from '../exit-codes.js';
import { print, printJson } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';
import { keyFileOf, openStore, storeDirectory } from '../store.js';

/** `plugboard store path|export|import`. */
export function createStoreCommand(): Command {
  const store = new Command('store').description(
    'where the embedded store lives; export it to a file and import it elsewhere',
  );

  store
    .command('path')
    .description('print the store directory, its database file and key file')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const opened = await withErrorContext({}, () => openStore(globalsOf(command)));
      await opened.close();
      const info = {
        dir: opened.dir,
        database: opened.path,
        keyFile: keyFileOf(opened.dir),
        keySource: opened.keySource,
      };
      if (options.json) return printJson(info);
      print(info.dir);
      print(`database: ${info.database}`);
      print(`key:      ${info.keySource}`);
    });

  store
    .command('export')
    .description(
      'write every integration and connection to a JSON file (mode 0600), secrets still encrypted with the store key',
    )
    .argument('<file>', 'the dump file to write')
    .action(async (file: string, _options: unknown, command: Command) => {
      const globals = globalsOf(command);
      await withErrorContext({}, async () => {
        const { keyring } = await loadKeyring({ keyFile: keyFileOf(storeDirectory(globals)) });
        const opened = await openStore(globals, { keyring });
        try {
          const dump = await exportStore(opened.store, createSecretCipher(keyring));
          await writePrivateFile(file, `${JSON.stringify(dump, null, 2)}\n`);
          print(
            `exported ${dump.integrations.length} integrations and ${dump.connections.length} connections to ${file} (secrets sealed with key ${dump.keyId})`,
          );
        } finally {
          await opened.close();
        }
      });
    });

  store
    .command('import')
    .description('import a dump into the embedded store, or into Postgres with --store-url')
    .argument('<file>', 'a dump written by plugboard store export')
    .option('--skip-existing', 'keep records the store already has instead of failing')
    .option(
      '--dump-key-file <file>',
      "the key file of the store the dump came from, when this store's key is another one",
    )
    .option(
      '--store-url <url>',
      'import into this Postgres database (needs @plugboard/store-postgres installed) instead of the embedded store',
    )
    .addHelpText(
      'after',
      '\nExample (a copy of one store directory in another):\n  plugboard store export dump.json\n  plugboard --store-dir ./other store import dump.json --dump-key-file ~/.plugboard/secret.key',
    )
    .action(
      async (
        file: string,
        options: { skipExisting?: boolean; dumpKeyFile?: string; storeUrl?: string },
        command: Command,
      ) => {
        const globals = globalsOf(command);
        const where = options.storeUrl !== undefined ? postgresHost(options.storeUrl) : undefined;
        let dump: unknown;
        try {
          dump = JSON.parse(await readFile(file, 'utf8')) as unknown;
        } catch (error) {
          throw new CliError(`cannot read the dump ${file}: ${(error as Error).message}`, {
            hint: 'give the file plugboard store export wrote',
            exitCode: EXIT_USAGE_ERROR,
          });
        }
        await withErrorContext({}, async () => {
          const extraKeys = options.dumpKeyFile !== undefined ? await keysOf(options.dumpKeyFile) : [];
          const target = options.storeUrl !== undefined ? await openPostgres(options.storeUrl) : undefined;
          const { keyring } = target
            ? { keyring: target.keyring }
            : await loadKeyring({ keyFile: keyFileOf(storeDirectory(globals)) });
          const opened = target ?? (await openStore(globals, { keyring }));
          try {
            const opening: Keyring = { current: keyring.current, previous: [...keyring.previous, ...extraKeys] };
            const summary = await importStore(opened.store, dump, createSecretCipher(opening), {
              onExisting: options.skipExisting ? 'skip' : 'fail',
            }).catch((error: unknown) => {
              if (!PlugboardError.isInstance(error, 'SECRET_KEY_INVALID')) throw error;
              const keyId = (dump as { keyId?: unknown }).keyId;
              throw new CliError(
                `the dump's secrets are sealed with key ${String(keyId)}, which this store does not have`,
                {
                  hint: 'pass --dump-key-file with the secret.key of the store it came from (or put that key in PLUGBOARD_PREVIOUS_SECRET_KEYS)',
                  exitCode: EXIT_SECRET_KEY,
                  cause: error,
                },
              );
            });
            print(
              `imported ${summary.integrations.created} integrations and ${summary.connections.created} connections` +
                (summary.integrations.skipped + summary.connections.skipped > 0
                  ? ` (skipped ${summary.integrations.skipped} and ${summary.connections.skipped} already there)`
                  : ''),
            );
          } finally {
            await opened.close();
          }
        }).catch((error: unknown) => {
          throw withImportHint(error, where);
        });
      },
    );

  return store;
}

/** Every key of a key file (current and previous), to open a dump sealed elsewhere. */
async function keysOf(keyFile: string): Promise<Keyring['previous'][number][]> {
  const { keyring } = await loadKeyring({ keyFile, env: {}, create: false });
  return [keyring.current, ...keyring.previous];
}

/**
 * Where --store-url points (host and port, never the user or password), or a usage error that
 * does not repeat the URL either: anything but postgres:// would otherwise reach the driver and
 * fail later with a confusing message.
 */
function postgresHost(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new CliError('--store-url is not a PostgreSQL URL', {
      hint: 'give one like postgres://user:password@host:5432/database',
      exitCode: EXIT_USAGE_ERROR,
    });
  }
  return url.host || url.searchParams.get('host') || 'the default host';
}

/** Store errors get hints about the target the import was writing to, not the local store directory. */
function withImportHint(error: unknown, host: string | undefined): unknown {
  if (!(error instanceof CliError) || !PlugboardError.isInstance(error.cause)) return error;
  if (PlugboardError.isInstance(error.cause, 'STORE_CONFLICT')) {
    return new CliError(error.message, {
      hint: 'add --skip-existing to keep the records the store already has and import the rest',
      exitCode: error.exitCode,
      cause: error.cause,
    });
  }
  if (host !== undefined && PlugboardError.isInstance(error.cause, 'STORE_ERROR')) {
    return new CliError(error.message, {
      hint: `check that PostgreSQL is running at ${host} and that the user, password and database in --store-url are right`,
      exitCode: error.exitCode,
      cause: error.cause,
    });
  }
  return error;
}

/** A Postgres store from @plugboard/store-postgres, loaded only when asked for. */
async function openPostgres(
  url: string,
): Promise<{ store: import('@plugboard/core').Store; keyring: Keyring; close(): Promise<void> }> {
  const name = '@plugboard/store-postgres';
  let module: Record<string, unknown>;
  try {
    module = (await import(name)) as Record<string, unknown>;
  } catch {
    throw new CliError(`--store-url needs ${name}, which is not installed`, {
      hint: `install it next to the CLI: pnpm add ${name}`,
      exitCode: EXIT_USAGE_ERROR,
    });
  }
  const factory = module['postgresStore'];
  if (typeof factory !== 'function')
    throw new CliError(`${name} has no postgresStore export`, { hint: `update ${name}` });
  const { keyring } = await loadKeyringFromEnvOnly();
  type PostgresStore = import('@plugboard/core').Store & { migrate(): Promise<unknown>; close(): Promise<void> };
  const store = await (
    factory as (connection: { connectionString: string }, options: { keyring: Keyring }) => Promise<PostgresStore>
  )({ connectionString: url }, { keyring });
  try {
    await store.migrate(); // the schema may not exist yet on a fresh database
  } catch (error) {
    await store.close();
    throw error;
  }
  return { store, keyring, close: () => store.close() };
}

async function loadKeyringFromEnvOnly(): Promise<{ keyring: Keyring }> {
  const current = process.env['PLUGBOARD_SECRET_KEY'];
  if (!current?.trim()) {
    throw new CliError('importing into Postgres needs PLUGBOARD_SECRET_KEY, the key the Postgres store encrypts with', {
      hint: "set it to the key your application will run the Postgres store with (plugboard keys generate makes one); a dump sealed with the store directory's secret.key then opens with --dump-key-file <that file>",
      exitCode: EXIT_USAGE_ERROR,
    });
  }
  const previous = (process.env['PLUGBOARD_PREVIOUS_SECRET_KEYS'] ?? '').split(/[\s,]+/).filter((text) => text !== '');
  return { keyring: await createKeyring(current, previous) };
}

/** Writes a file only its owner can read, atomically: a temporary file renamed into place. */
async function writePrivateFile(path: string, contents: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
