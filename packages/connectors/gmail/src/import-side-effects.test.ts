import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process, so the test runner's own environment
// reads are not counted; a read counts when a frame of its stack is a file (this package, core, zod).
describe('importing @plugboard/gmail', () => {
  it('reads no environment variable and opens no socket', () => {
    const report = probeImport({
      entry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
      exercise:
        "import('@plugboard/core').then((core) => core.createToolset({ connectors: [module.gmail] }).listActions({ app: 'gmail' }).length)",
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(report).toEqual({ reads: [], sockets: [], result: 82 });
  });
});
