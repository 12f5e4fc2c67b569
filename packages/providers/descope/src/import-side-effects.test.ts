import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported, and a provider created, in a fresh Node process whose environment
// holds Descope settings: none of them may be read, and no socket opened, before credentials are
// requested.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('importing @plugboard/descope', () => {
  it('reads no environment variable and opens no socket, even when a provider is created', () => {
    const report = probeImport({
      entry,
      exercise: "module.descopeProvider({ appId: 'github', scopes: ['repo'] }).name",
      env: {
        DESCOPE_PROJECT_ID: 'P-probe',
        DESCOPE_MANAGEMENT_KEY: 'K-probe',
        DESCOPE_BASE_URL: 'https://descope.invalid',
      },
    });
    expect(report.result).toBe('descope');
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
