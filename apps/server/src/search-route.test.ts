import { createToolset } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTORS } from './plugboard-server.js';
import { startTestServer, type TestServer } from '../test/server-harness.js';

let harness: TestServer;
let key: string;
beforeAll(async () => {
  harness = await startTestServer();
  // An execute-only key: searching is part of running actions.
  const created = await harness.call('/v1/api-keys', {
    key: harness.projects[0].key,
    body: { name: 'agent', scope: 'execute' },
  });
  key = created.json.key;
});
afterAll(() => harness.close());

describe('GET /v1/actions/search', () => {
  it("answers the library's ranking for a plain-words query, filtered by app and limited", async () => {
    const found = await harness.call('/v1/actions/search?q=re-run%20the%20failed%20CI%20job&app=github&limit=5', {
      key,
    });
    expect(found.status).toBe(200);
    expect(found.json.items).toHaveLength(5);
    for (const item of found.json.items) {
      expect(item).toEqual({
        name: expect.any(String),
        app: 'github',
        description: expect.any(String),
        score: expect.any(Number),
      });
    }
    const scores = found.json.items.map((item: { score: number }) => item.score);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    expect(found.json.items[0].name).toMatch(/^GITHUB_RE_RUN/);

    const direct = await createToolset({ connectors: DEFAULT_CONNECTORS }).searchActions('re-run the failed CI job', {
      apps: ['github'],
      limit: 5,
    });
    expect(found.json.items).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('takes tags and readOnly, and defaults to 10 results', async () => {
    const all = await harness.call('/v1/actions/search?q=issue', { key });
    expect(all.json.items).toHaveLength(10);
    const readOnly = await harness.call('/v1/actions/search?q=delete%20an%20issue%20comment&readOnly=true&limit=20', {
      key,
    });
    expect(readOnly.status).toBe(200);
    expect(readOnly.json.items.length).toBeGreaterThan(0);
    for (const item of readOnly.json.items) {
      const action = await harness.call(`/v1/actions/${item.name}`, { key });
      expect(action.json.effects.readOnly).toBe(true);
    }
  });

  it('refuses a missing query, a bad limit and an unknown app, and is in the OpenAPI document', async () => {
    const missing = await harness.call('/v1/actions/search', { key });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('INVALID_PARAMS');
    expect((await harness.call('/v1/actions/search?q=x&limit=500', { key })).status).toBe(400);
    const unknown = await harness.call('/v1/actions/search?q=issue&app=nope', { key });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('APP_NOT_FOUND');
    expect((await harness.call('/v1/actions/search?q=issue')).status).toBe(401);

    const document = await harness.call('/openapi.json');
    expect(document.json.paths['/v1/actions/search'].get.operationId).toBe('searchActions');
  });
});
