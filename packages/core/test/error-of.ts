import { PlugboardError } from '../src/index.js';

/** The PlugboardError that `run` throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): PlugboardError {
  try {
    run();
  } catch (error) {
    if (PlugboardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a PlugboardError');
}
