import { spinner } from '@clack/prompts';
import { note } from './output.js';

/** True when a person can answer prompts: a terminal on stdin and stderr, and not CI. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !isCi();
}

export function isCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export interface Progress {
  stop(message: string): void;
  fail(message: string): void;
}

/**
 * A spinner on stderr at a terminal; elsewhere (pipes, CI) one plain line when it starts and one
 * when it ends, so logs stay readable.
 */
export function startProgress(message: string): Progress {
  if (!isInteractive()) {
    note(`${message}...`);
    return { stop: (text) => note(text), fail: (text) => note(text) };
  }
  const indicator = spinner({ output: process.stderr });
  indicator.start(message);
  return { stop: (text) => indicator.stop(text), fail: (text) => indicator.error(text) };
}
