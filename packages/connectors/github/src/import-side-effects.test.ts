import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported, and a GitHub Enterprise connector made, in a fresh Node process:
// no environment variable may be read by package code and no socket opened.
describe('importing @plugboard/github', () => {
  it('reads no environment variable and opens no socket, even when a connector is made', () => {
    const report = probeImport({
      entry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
      exercise:
        "({ id: module.github.id, enterprise: module.githubConnector({ baseUrl: 'https://ghe.example.com/api/v3' }).baseUrl })",
      env: {
        GITHUB_TOKEN: 'ghp_probe',
        GITHUB_API_URL: 'https://ghe.invalid/api/v3',
        HTTPS_PROXY: 'http://proxy.invalid:1',
      },
    });
    expect(report).toEqual({
      reads: [],
      sockets: [],
      result: { id: 'github', enterprise: 'https://ghe.example.com/api/v3' },
    });
  });
});
