// The HTTP API under load: executions through `@plugboard/server` (POST /v1/actions/{name}/execute
// with an entity id) against the fake upstream, from N concurrent clients, with the embedded store
// and with PostgreSQL, next to the library's direct `toolset.executeAction` in the same run. The
// server runs in a process of its own (as deployed), the clients in this one; a bounded soak at
// the highest concurrency samples the server's RSS.

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createToolset, memoryStore, type Store } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';
import { Pool } from 'undici';
import { percentile } from '../stats.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';

export interface LevelResult {
  concurrency: number;
  durationMs: number;
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time per execution of the process doing the work (the server's, read from /proc; the
   * library's, this process's), in milliseconds: less moved by other work on the machine than
   * throughput, since time spent waiting for a core is not counted.
   */
  cpuMsPerExecution: number;
  /**
   * For the server rows, the measuring tools' CPU per execution: the bench's clients (this
   * process) and the fake upstream, which share the two cores with the server and PostgreSQL.
   */
  clientCpuMsPerExecution?: number;
  upstreamCpuMsPerExecution?: number;
}

export interface SoakResult extends LevelResult {
  /**
   * The server process's resident set size, sampled every 250 ms. `middle` is halfway through: the
   * heap grows to its working size first, so "flat" is read as the second half growing little.
   */
  rssMiB: { start: number; middle: number; end: number; max: number };
}

export interface StoreLoadResult {
  store: 'embedded' | 'postgres';
  /** `toolset.executeAction` in this process on the same kind of store: what the HTTP API adds is measured against it. */
  library: LevelResult[];
  levels: LevelResult[];
  soak: SoakResult;
}

export interface ServerLoadResult {
  levels: number[];
  levelMs: number;
  soakMs: number;
  /** The library called in this process with a memory store: the floor. */
  direct: LevelResult[];
  stores: StoreLoadResult[];
  /** Why PostgreSQL was not measured, when it was not. */
  postgresSkipped?: string;
  loadAverage: { start: number[]; end: number[] };
}

export interface ServerLoadSettings {
  levels: number[];
  levelMs: number;
  soakMs: number;
  warmupMs: number;
}

const ACTION = 'GITHUB_GET_A_PULL_REQUEST';
const INPUT = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };
const ENTITY = 'bench-user';
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/** One operation: resolves when it succeeded, throws otherwise. */
type Operation = () => Promise<void>;

/** CPU time (user + system) of a process so far, in milliseconds. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses: utime and stime in clock ticks.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

// Linux's USER_HZ, the unit of /proc times, is 100 on every common platform.
const CLOCK_TICKS = 100;

/**
 * Runs `operation` from `concurrency` loops for `durationMs`; every latency and error is counted,
 * and the CPU time of `pid` (this process when undefined) is read before and after.
 */
async function drive(
  operation: Operation,
  concurrency: number,
  durationMs: number,
  pid?: number,
  upstreamPid?: number,
): Promise<LevelResult> {
  const cpuBefore = cpuMs(pid);
  const clientCpuBefore = cpuMs(undefined);
  const upstreamCpuBefore = upstreamPid === undefined ? 0 : cpuMs(upstreamPid);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      try {
        await operation();
        latencies.push(performance.now() - begun);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wallMs = performance.now() - started;
  const cpu = cpuMs(pid) - cpuBefore;
  const perExecution = (ms: number) => ms / Math.max(1, latencies.length);
  const tools =
    pid === undefined
      ? {}
      : {
          clientCpuMsPerExecution: perExecution(cpuMs(undefined) - clientCpuBefore),
          ...(upstreamPid === undefined
            ? {}
            : { upstreamCpuMsPerExecution: perExecution(cpuMs(upstreamPid) - upstreamCpuBefore) }),
        };
  return {
    concurrency,
    durationMs: Math.round(wallMs),
    requests: latencies.length,
    errors,
    perSecond: (latencies.length / wallMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMsPerExecution: perExecution(cpu),
    ...tools,
  };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

interface RunningServer {
  url: string;
  key: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/** Starts the server (`--child=server`) in its own process and waits for its URL and a project key. */
function startServer(upstreamUrl: string, env: Record<string, string>): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = fork(MAIN, ['--child=server', `--upstream=${upstreamUrl}`], {
      // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server alone.
      execArgv: (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((argument) => argument !== ''),
      env: { ...process.env, ...env, PORT: '0', PLUGBOARD_RATE_LIMIT: '0' },
      // The request log goes to /dev/null: written, as in production, but not read here.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.once('message', (message) => {
      const { url, key } = message as { url: string; key: string };
      resolve({
        url,
        key,
        child,
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** The `--child=server` side: the server with GitHub pointed at the fake upstream, and one project. */
export async function serveForBench(upstreamUrl: string): Promise<void> {
  const { createPlugboardServer, createProject, loadServerConfig, serveNode } = await import('@plugboard/server');
  const config = loadServerConfig();
  const server = await createPlugboardServer({
    config,
    toolset: {
      connectors: [githubConnector({ baseUrl: upstreamUrl, webUrl: upstreamUrl, userAgent: 'plugboard-bench' })],
    },
  });
  const listening = await serveNode(server, config);
  const { key } = await createProject(server.storage.control, { name: 'bench' });
  process.send?.({ url: listening.url, key });
  process.once('SIGTERM', () => {
    listening.close().then(() => process.exit(0));
  });
}

/** The HTTP clients' side: one undici pool with a connection per concurrent client. */
async function measureServer(
  server: RunningServer,
  settings: ServerLoadSettings,
  store: StoreLoadResult['store'],
  log: (line: string) => void,
  upstreamPid: number | undefined,
): Promise<Omit<StoreLoadResult, 'library'>> {
  const maxConcurrency = Math.max(...settings.levels);
  const pool = new Pool(server.url, { connections: maxConcurrency, pipelining: 1 });
  const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const response = await pool.request({ method: 'POST', path, headers, body: JSON.stringify(body) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${path} answered ${response.statusCode}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  try {
    const integration = await post('/v1/integrations', { app: 'github', authMode: 'BEARER_TOKEN' });
    await post('/v1/connections', {
      integrationId: integration['id'],
      entityId: ENTITY,
      connectedAccountParams: { token: CREDENTIALS.githubToken },
    });
    const payload = JSON.stringify({ entityId: ENTITY, input: INPUT });
    const executeOnce = async () => {
      const response = await pool.request({
        method: 'POST',
        path: `/v1/actions/${ACTION}/execute`,
        headers,
        body: payload,
      });
      return { status: response.statusCode, text: await response.body.text() };
    };
    // The first answer is checked field by field; every later one must be the same bytes. The
    // server answers the same input with the same JSON, so a byte comparison checks every answer
    // whole (stricter than reading two fields) without parsing 22 KiB in the process that
    // measures: the clients share the two cores with the server.
    const first = await executeOnce();
    const parsed = JSON.parse(first.text) as { successful?: boolean; data?: { number?: number } };
    if (first.status !== 200 || parsed.successful !== true || parsed.data?.number !== INPUT.pull_number)
      throw new Error(`execute answered ${first.status}: ${first.text.slice(0, 200)}`);
    const expected = first.text;
    const execute: Operation = async () => {
      const { status, text } = await executeOnce();
      // A wrong answer is an error, so a broken server cannot look fast.
      if (status !== 200 || text !== expected) throw new Error(`execute answered ${status}`);
    };
    const pid = server.child.pid as number;
    await drive(execute, maxConcurrency, settings.warmupMs, pid);
    const levels: LevelResult[] = [];
    for (const concurrency of settings.levels) {
      log(`server-load: ${store}, ${concurrency} clients`);
      levels.push(await drive(execute, concurrency, settings.levelMs, pid, upstreamPid));
    }
    log(`server-load: ${store}, soak of ${settings.soakMs / 1000} s at ${maxConcurrency} clients`);
    const samples = [rssMiB(pid)];
    const sampler = setInterval(() => samples.push(rssMiB(pid)), 250);
    let soak: LevelResult;
    try {
      soak = await drive(execute, maxConcurrency, settings.soakMs, pid, upstreamPid);
    } finally {
      clearInterval(sampler);
    }
    samples.push(rssMiB(pid));
    return {
      store,
      levels,
      soak: {
        ...soak,
        rssMiB: {
          start: samples[0] as number,
          middle: samples[Math.floor(samples.length / 2)] as number,
          end: samples.at(-1) as number,
          max: Math.max(...samples),
        },
      },
    };
  } finally {
    await pool.close();
  }
}

async function measureDirect(upstreamUrl: string, settings: ServerLoadSettings, store: Store): Promise<LevelResult[]> {
  const toolset = createToolset({
    connectors: [githubConnector({ baseUrl: upstreamUrl, webUrl: upstreamUrl, userAgent: 'plugboard-bench' })],
    store,
  });
  const integration = await toolset.createIntegration({ app: 'github', authMode: 'BEARER_TOKEN' });
  await toolset.initiateConnection({
    integrationId: integration.id,
    entityId: ENTITY,
    connectedAccountParams: { token: CREDENTIALS.githubToken },
  });
  const execute: Operation = async () => {
    const result = await toolset.executeAction(ACTION, INPUT, { entityId: ENTITY });
    if (!result.successful || (result.data as { number?: number }).number !== INPUT.pull_number)
      throw new Error('direct execution failed');
  };
  await drive(execute, Math.max(...settings.levels), settings.warmupMs);
  const levels: LevelResult[] = [];
  for (const concurrency of settings.levels) levels.push(await drive(execute, concurrency, settings.levelMs));
  return levels;
}

export async function runServerLoad(
  upstreamUrl: string,
  settings: ServerLoadSettings,
  log: (line: string) => void,
  loadAverage: () => number[],
  upstreamPid?: number,
): Promise<ServerLoadResult> {
  const start = loadAverage();
  // BENCH_SERVER_STORES=postgres (or embedded) measures one store only, when profiling.
  const only = process.env['BENCH_SERVER_STORES'];
  const measures = (store: StoreLoadResult['store']) => only === undefined || only.split(',').includes(store);
  log('server-load: the library, memory store');
  const direct = await measureDirect(upstreamUrl, settings, memoryStore());
  const stores: StoreLoadResult[] = [];
  const secretKey = randomBytes(32).toString('base64url');

  if (measures('embedded')) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'plugboard-bench-server-'));
    try {
      log('server-load: the library, embedded store');
      const { embeddedStore } = await import('@plugboard/store-embedded');
      const store = await embeddedStore({
        dir: path.join(dataDir, 'library'),
        env: { PLUGBOARD_SECRET_KEY: secretKey },
      });
      let library: LevelResult[];
      try {
        library = await measureDirect(upstreamUrl, settings, store);
      } finally {
        await store.close();
      }
      const server = await startServer(upstreamUrl, { PLUGBOARD_DATA_DIR: path.join(dataDir, 'server') });
      try {
        stores.push({ ...(await measureServer(server, settings, 'embedded', log, upstreamPid)), library });
      } finally {
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  let postgresSkipped: string | undefined;
  let database: { url: string; stop(): Promise<void> } | undefined;
  if (!measures('postgres')) postgresSkipped = 'not selected (BENCH_SERVER_STORES)';
  else
    try {
      const { startPostgresServer } = await import('@plugboard/fakes/postgres');
      database = await startPostgresServer();
    } catch (error) {
      postgresSkipped = `PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`;
    }
  if (database) {
    try {
      log('server-load: the library, PostgreSQL store');
      const { postgresStore } = await import('@plugboard/store-postgres');
      const store = await postgresStore(
        { connectionString: database.url },
        { schema: 'bench_library', env: { PLUGBOARD_SECRET_KEY: secretKey } },
      );
      let library: LevelResult[];
      try {
        await store.migrate();
        library = await measureDirect(upstreamUrl, settings, store);
      } finally {
        await store.close();
      }
      const server = await startServer(upstreamUrl, {
        DATABASE_URL: database.url,
        // A sealing key: 32 random bytes, base64url, as `plugboard-server secret-key` prints one.
        PLUGBOARD_SECRET_KEY: secretKey,
      });
      try {
        stores.push({ ...(await measureServer(server, settings, 'postgres', log, upstreamPid)), library });
      } finally {
        await server.close();
      }
    } finally {
      await database.stop();
    }
  }
  return {
    levels: settings.levels,
    levelMs: settings.levelMs,
    soakMs: settings.soakMs,
    direct,
    stores,
    ...(postgresSkipped ? { postgresSkipped } : {}),
    loadAverage: { start, end: loadAverage() },
  };
}
