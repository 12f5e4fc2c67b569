import { createToolset, type ActionSummary } from '@plugboard/core';
import { describe, expect, it } from 'vitest';
import { loadGitHubOpenApi, type WireRequest } from '../test/openapi.js';
import { sampleFromSchema } from '../test/sample-from-schema.js';
import { SAMPLE_INPUTS } from '../test/sample-inputs.js';
import { github } from './index.js';

/**
 * Every action of the catalogue, curated and generated, builds a request from sample input and
 * the request is checked against GitHub's OpenAPI description: operation by method and path,
 * path and query parameters, JSON body fields and types, required ones present. The requests go
 * to a fetch function that records them and answers 200, so the run is fast and offline.
 */

const auth = { auth: { parameters: [{ name: 'Authorization', in: 'header' as const, value: 'Bearer ghp_sample' }] } };

describe("every action against GitHub's OpenAPI description", () => {
  it('sends only requests the description allows, for all 1,223 operations', async () => {
    const sent: WireRequest[] = [];
    const toolset = createToolset({
      connectors: [github],
      http: { retries: 0 },
      fetch: async (url, init) => {
        const target = new URL(String(url));
        const headers: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => {
          headers[name] = value;
        });
        sent.push({
          method: String(init?.method),
          path: target.pathname,
          query: target.searchParams,
          headers,
          body: typeof init?.body === 'string' ? init.body : '',
        });
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const spec = loadGitHubOpenApi();
    const actions: ActionSummary[] = toolset.listActions({ app: 'github' });
    expect(actions).toHaveLength(1223);
    const failures: string[] = [];
    const covered = new Set<string>();
    for (const action of actions) {
      const input = action.tags.includes('generated')
        ? (sampleFromSchema(action.inputJsonSchema) as Record<string, unknown>)
        : (SAMPLE_INPUTS[action.name]?.[0] ?? {});
      const before = sent.length;
      const result = await toolset.executeAction(action.name, input, auth);
      if (action.name === 'GITHUB_UPLOAD_A_RELEASE_ASSET') {
        // Refused before anything is sent: the upload goes to another host.
        expect(result.error?.message).toMatch(/uploads\.github\.com/);
        expect(sent.length).toBe(before);
        continue;
      }
      if (!result.successful) {
        failures.push(`${action.name}: ${result.error.code} ${result.error.message}`);
        continue;
      }
      const request = sent[sent.length - 1];
      if (sent.length !== before + 1 || request === undefined) {
        failures.push(`${action.name}: sent ${sent.length - before} requests`);
        continue;
      }
      const checked = spec.check(request);
      if (checked.operation) covered.add(checked.operation);
      for (const problem of checked.problems) failures.push(`${action.name}: ${problem}`);
    }
    expect(failures).toEqual([]);
    // One operation (the upload) is refused; every other operation of the description was reached.
    expect(covered.size).toBe(spec.operations().length - 1);
  });
});
