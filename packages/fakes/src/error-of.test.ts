import { describe, expect, it } from 'vitest';
import { errorOf, errorThrownBy } from './index.js';

// An error as any copy of @plugboard/core makes it: marked with the shared Symbol.for marker.
function plugboardError(code: string): Error {
  const error = Object.assign(new Error(`failed: ${code}`), { code });
  Object.defineProperty(error, Symbol.for('plugboard.error'), { value: true, enumerable: false });
  return error;
}

describe('errorOf and errorThrownBy', () => {
  it('return the Plugboard error a promise, an async function or a function throws', async () => {
    expect((await errorOf(Promise.reject(plugboardError('STORE_CONFLICT')))).code).toBe('STORE_CONFLICT');
    expect((await errorOf(async () => Promise.reject(plugboardError('TIMEOUT')))).code).toBe('TIMEOUT');
    expect(
      errorThrownBy(() => {
        throw plugboardError('INVALID_DEFINITION');
      }).code,
    ).toBe('INVALID_DEFINITION');
  });

  it('fail when nothing is thrown, and rethrow other errors', async () => {
    await expect(errorOf(Promise.resolve(1))).rejects.toThrow('expected a Plugboard error, got none');
    expect(() => errorThrownBy(() => 1)).toThrow('expected a Plugboard error, got none');
    const plain = Object.assign(new Error('plain'), { code: 'TIMEOUT' });
    await expect(errorOf(Promise.reject(plain))).rejects.toBe(plain);
    expect(() =>
      errorThrownBy(() => {
        throw plain;
      }),
    ).toThrow(plain);
  });
});
