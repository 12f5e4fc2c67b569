import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/fakes';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process, so nothing from the test runner itself
// (which reads its own environment variables) is counted; reads by Node's own internals are not
// the package's (see probeImport).
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('importing @plugboard/core', () => {
  it('reads no environment variable and opens no socket', () => {
    const report = probeImport({ entry, exercise: '(module.createToolset(), Object.keys(module).length)' });
    expect(report.result).toBeGreaterThan(10);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
