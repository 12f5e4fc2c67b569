import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported, and an adapter created, in a fresh Node process whose environment
// holds the vendor SDK's settings: none may be read and no socket opened.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// A toolset with no actions: the adapter is exercised without core doing anything.
const exercise = `(() => {
  const toolset = { listActions: () => [], executeAction: async () => ({ successful: true, data: null, error: null }) };
  const adapter = module.createAnthropicAdapter(toolset);
  return adapter.getTools();
})()`;

describe('importing @plugboard/anthropic', () => {
  it('reads no environment variable and opens no socket, even when an adapter is created', () => {
    const report = probeImport({
      entry,
      exercise,
      env: { ANTHROPIC_API_KEY: 'sk-ant-probe', ANTHROPIC_BASE_URL: 'https://anthropic.invalid' },
    });
    expect(report.result).toEqual([]);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
