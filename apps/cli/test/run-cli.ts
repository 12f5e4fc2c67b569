// Spawns the built binary the way a person runs it, with a private store directory per test.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
export const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const acmeConfig = fileURLToPath(new URL('./fixtures/plugboard.config.mjs', import.meta.url));
export const robotsConfig = fileURLToPath(new URL('./fixtures/client-credentials.config.mjs', import.meta.url));
export const trelloConfig = fileURLToPath(new URL('./fixtures/trello.config.mjs', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(bin)) throw new Error('Build @plugboard/cli first (pnpm build): these tests spawn dist/cli.js.');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Cleanups = (() => Promise<unknown>)[];

/** A list a test pushes its clean-ups to; they run after each test, last pushed first. */
export function cleanupsAfterEach(): Cleanups {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/** JSON output of a command, typed for the test reading it. */
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

/** A fresh store directory, removed by `cleanup`. */
export async function temporaryDirectory(cleanups: Cleanups): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plugboard-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment of a spawned CLI: PATH, no CI, and whatever the test adds. */
export function cliEnv(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}

/** A running CLI: its output so far, a wait for a pattern, and its end. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  output: { stdout: string; stderr: string };
  /** Resolves with the match once `stream` has printed something matching `pattern`; rejects if the process ends first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray>;
  done: Promise<CliResult>;
}

/** Starts `plugboard ...args`; stdin is a pipe (not a terminal). */
export function startCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  command: readonly string[] = [process.execPath, bin],
): RunningCli {
  const [file = process.execPath, ...prefix] = command;
  const child = spawn(file, [...prefix, ...args], { cwd: packageDirectory, env: cliEnv(env), stdio: 'pipe' });
  const output = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
    notify();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...output }));
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output[stream]);
        if (match) {
          waiters.delete(check);
          resolve(match);
        }
      };
      waiters.add(check);
      check();
      void done.then(() => {
        if (waiters.delete(check))
          reject(new Error(`plugboard ended before printing ${pattern}:\n${output.stdout}\n${output.stderr}`));
      });
    });
  return { child, output, waitFor, done };
}

/** Runs `plugboard ...args` to completion with stdin closed. */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const running = startCli(args, env);
  running.child.stdin.end();
  return running.done;
}
