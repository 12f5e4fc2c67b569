import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { databaseUrl, testSecretKey } from './database.js';

const workerScript = fileURLToPath(new URL('./child/worker.mjs', import.meta.url));

export interface WorkerMessage {
  event: string;
  [key: string]: unknown;
}

/** A child process running child/worker.mjs against the test database. */
export interface Worker {
  process: ChildProcess;
  /** Resolves with the next message of that kind the worker prints. */
  next(event: string): Promise<WorkerMessage>;
  send(line: string): void;
  /** Resolves when the process has exited, with its exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
}

const running = new Set<ChildProcess>();

export function startWorker(config: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [workerScript], {
    env: {
      ...process.env,
      PLUGBOARD_SECRET_KEY: testSecretKey,
      PLUGBOARD_WORKER: JSON.stringify({ databaseUrl: databaseUrl(), ...config }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  const messages: WorkerMessage[] = [];
  const waiting: Array<{ event: string; resolve: (message: WorkerMessage) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as WorkerMessage;
    const index = waiting.findIndex((entry) => entry.event === message.event);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(message);
    else messages.push(message);
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  return {
    process: child,
    next(event) {
      const index = messages.findIndex((message) => message.event === event);
      if (index >= 0) return Promise.resolve(messages.splice(index, 1)[0] as WorkerMessage);
      return new Promise((resolve, reject) => {
        waiting.push({ event, resolve });
        void exited.then((status) =>
          reject(new Error(`worker exited (${String(status)}) before "${event}": ${stderr.slice(-2000)}`)),
        );
      });
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    exited,
  };
}

/** Kills every worker still running (a failed test must not leave processes behind). */
export function killWorkers(): void {
  for (const child of running) child.kill('SIGKILL');
}
