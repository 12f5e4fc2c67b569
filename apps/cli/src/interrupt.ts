import { CliError } from './cli-error.js';
import { EXIT_CANCELLED } from './exit-codes.js';

/**
 * Runs `body` with a signal that the first Ctrl-C (SIGINT) aborts, so a command can undo what it
 * started and exit 130 instead of dying half-way. Once the signal is aborted `body`'s outcome no
 * longer counts: it rejects with a `cancelled` CliError (exit 130) for the caller to word. Only the
 * first Ctrl-C is caught; a second one, while the caller cleans up, stops the process at once.
 */
export async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const cancelled = () => new CliError('cancelled', { exitCode: EXIT_CANCELLED });
  try {
    const result = await body(controller.signal);
    if (controller.signal.aborted) throw cancelled();
    return result;
  } catch (error) {
    throw controller.signal.aborted ? cancelled() : error;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** Whether `error` is the cancellation `interruptible` (or a cancelled prompt) throws. */
export function isCancelled(error: unknown): boolean {
  return error instanceof CliError && error.exitCode === EXIT_CANCELLED;
}
