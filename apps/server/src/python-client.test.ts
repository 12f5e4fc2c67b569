import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../test/python/whole_flow.py', import.meta.url));

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

describe('any language', () => {
  it("runs a whole flow from Python 3's standard library: integration, API-key connection, execution, a problem", async () => {
    const { stdout } = await run('python3', [SCRIPT], {
      env: {
        PATH: process.env['PATH'],
        PLUGBOARD_URL: harness.url,
        PLUGBOARD_API_KEY: harness.projects[0].key,
        GITHUB_TOKEN: PAT,
      },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      connectionStatus: 'ACTIVE',
      result: {
        successful: true,
        data: expect.objectContaining({ number: 42, title: 'Amazing new feature' }),
        error: null,
      },
      problem: { status: 400, contentType: 'application/problem+json', code: 'INVALID_PARAMS' },
    });
    // The vendor saw exactly one request, the valid one, with the token Python connected.
    expect(harness.github.requests).toHaveLength(1);
    expect(harness.github.requests[0]).toMatchObject({
      url: '/repos/octocat/Hello-World/pulls/42',
      headers: expect.objectContaining({ authorization: `Bearer ${PAT}` }),
    });
  });
});
