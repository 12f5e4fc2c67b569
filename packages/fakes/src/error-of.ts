// Plugboard errors carry this Symbol.for marker so that two installed copies of core recognise each
// other's errors (PlugboardError.isInstance); this package depends on no copy of core, so it reads
// the same marker.
const PLUGBOARD_ERROR_MARKER = Symbol.for('plugboard.error');

/** A Plugboard error as a test sees it, from whichever copy of `@plugboard/core` threw it. */
export interface PlugboardErrorLike extends Error {
  code: string;
  status?: number;
  retryable?: boolean;
  details?: unknown;
}

function isPlugboardErrorLike(value: unknown): value is PlugboardErrorLike {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGBOARD_ERROR_MARKER] === true
  );
}

/**
 * The Plugboard error that `run` throws, synchronously. Fails the test when it throws nothing, and
 * rethrows anything that is not a Plugboard error, so the test shows it.
 * @example expect(errorThrownBy(() => defineConnector(bad)).code).toBe('INVALID_DEFINITION');
 */
export function errorThrownBy<T extends PlugboardErrorLike = PlugboardErrorLike>(run: () => unknown): T {
  try {
    run();
  } catch (error) {
    if (isPlugboardErrorLike(error)) return error as T;
    throw error;
  }
  throw new Error('expected a Plugboard error, got none');
}

/**
 * The Plugboard error a promise (or an async function) rejects with. Fails the test when it
 * resolves, and rethrows anything that is not a Plugboard error.
 * @example expect((await errorOf(store.createConnection(record))).code).toBe('STORE_CONFLICT');
 */
export async function errorOf<T extends PlugboardErrorLike = PlugboardErrorLike>(
  run: Promise<unknown> | (() => unknown),
): Promise<T> {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (error) {
    if (isPlugboardErrorLike(error)) return error as T;
    throw error;
  }
  throw new Error('expected a Plugboard error, got none');
}
