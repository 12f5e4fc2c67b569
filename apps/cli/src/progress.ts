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
 * when it ends, so logs stay readable. With `signal` (see `interruptible`), Ctrl-C at the terminal
 * reaches the caller, and an abort removes the spinner without a last line: the caller prints one.
 */
export function startProgress(message: string, options: { signal?: AbortSignal } = {}): Progress {
  const { signal } = options;
  const unlessAborted = (write: (text: string) => void) => (text: string) => {
    if (!signal?.aborted) write(text);
  };
  if (!isInteractive()) {
    note(`${message}...`);
    return { stop: unlessAborted(note), fail: unlessAborted(note) };
  }
  const indicator = spinner({ output: process.stderr });
  indicator.start(message);
  if (signal !== undefined) {
    // The spinner reads keys in raw mode and answers Ctrl-C with process.exit(0)
    // (bombshell-dev/clack#573). Back in cooked mode the terminal turns Ctrl-C into SIGINT.
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    signal.addEventListener('abort', () => indicator.clear(), { once: true });
  }
  return { stop: unlessAborted((text) => indicator.stop(text)), fail: unlessAborted((text) => indicator.error(text)) };
}
