import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported, and an adapter created, in a fresh Node process whose environment
// holds the vendor SDK's settings: none may be read and no socket opened.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// A toolset with no actions: the adapter is exercised without core doing anything.
const exercise = `(() => {
  const toolset = { listActions: () => [], executeAction: async () => ({ successful: true, data: null, error: null }) };
  const adapter = module.createOpenAIAdapter(toolset);
  return [...adapter.getTools(), ...adapter.getTools({}, { api: 'responses' })];
})()`;

describe('importing @plugboard/openai', () => {
  it('reads no environment variable and opens no socket, even when an adapter is created', () => {
    const report = probeImport({
      entry,
      exercise,
      env: { OPENAI_API_KEY: 'sk-proj-probe', OPENAI_BASE_URL: 'https://openai.invalid' },
    });
    expect(report.result).toEqual([]);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
