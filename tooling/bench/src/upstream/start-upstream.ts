import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface UpstreamCounters {
  requests: number;
  unauthorized: number;
  invalidSignatures: number;
  tokenRequests: number;
  byToken: Record<string, number>;
}

export interface Upstream {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The upstream process, whose CPU time the server-load section reads. */
  pid: number | undefined;
  counters(): Promise<UpstreamCounters>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));

/** Starts the fake upstream in a child process and waits until it listens. */
export async function startUpstream(environment: Record<string, string> = {}): Promise<Upstream> {
  const child: ChildProcess = spawn(process.execPath, [SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...environment },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error('the fake upstream did not start within 10 s')), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the fake upstream exited with code ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const control = async (path: string) => {
    const response = await fetch(`${url}${path}`);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response;
  };
  return {
    url,
    port,
    pid: child.pid,
    counters: async () => (await (await control('/__counters')).json()) as UpstreamCounters,
    reset: async () => {
      await control('/__reset');
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
