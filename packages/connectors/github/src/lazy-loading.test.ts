import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// In a fresh Node process on the built package: which generated data files are read, and when.
// The generated catalogue is JSON read through require, so require.cache lists what was loaded.
const exercise = `(async () => {
  const { createToolset } = await import('@plugboard/core');
  const loaded = () => Object.keys(require.cache).filter((key) => key.includes('generated')).map((key) => key.split(/[\\\\/]generated[\\\\/]/)[1]).sort();
  const afterImport = loaded();
  const toolset = createToolset({
    connectors: [module.github],
    fetch: async () => new Response('[]', { headers: { 'content-type': 'application/json' } }),
  });
  const counted = toolset.listApps()[0].actionCount;
  const afterListApps = loaded();
  const auth = { auth: { parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer ghp_probe' }] } };
  const curated = await toolset.executeAction('GITHUB_LIST_BRANCHES', { owner: 'o', repo: 'r' }, auth);
  const afterCurated = loaded();
  const generated = await toolset.executeAction('GITHUB_LIST_RELEASES', { owner: 'o', repo: 'r' }, auth);
  const afterGenerated = loaded();
  const listed = toolset.listActions({ app: 'github' }).length;
  return { afterImport, counted, afterListApps, listed, countedAfterListing: toolset.listApps()[0].actionCount, curated: curated.successful, afterCurated, generated: generated.successful, afterGenerated, afterListing: loaded().length };
})()`;

describe('the generated catalogue is loaded lazily', () => {
  it('importing, counting (listApps) and running a curated action read no generated data; a generated action reads only its tag', () => {
    const report = probeImport({ entry: fileURLToPath(new URL('../dist/index.js', import.meta.url)), exercise });
    expect(report.result).toEqual({
      afterImport: [],
      // listApps counts every action from the generated count, reading none of the catalogue.
      counted: 1_223,
      afterListApps: [],
      listed: 1_223,
      countedAfterListing: 1_223,
      curated: true,
      afterCurated: [],
      generated: true,
      afterGenerated: ['operations.json', 'schemas/repos.json'],
      // Listing gives every input schema: the operations and one schema file per tag.
      afterListing: expect.any(Number),
    });
    expect((report.result as { afterListing: number }).afterListing).toBeGreaterThan(40);
  });
});
