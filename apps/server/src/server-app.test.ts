import { createToolset, type Toolset } from '@plugboard/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from './control/api-keys.js';
import type { ControlStore } from './control/control-store.js';
import { fileControlStore } from './control/file-control-store.js';
import type { LogLine } from './http/request-log.js';
import { createServerApp } from './server-app.js';

const BODY_SECRET = 'body-secret-Wq93kLm20Xp';

let dir: string;
let control: ControlStore;
let key: string;
const logs: LogLine[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugboard-server-app-'));
  control = await fileControlStore(dir);
  key = (await createProject(control, { name: 'p' })).key;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// A toolset whose store fails the way a bug would: with an exception that quotes what it was given.
function brokenToolset(): Toolset {
  const toolset = createToolset({});
  return {
    ...toolset,
    createIntegration: async (params) => {
      throw new TypeError(`cannot handle ${JSON.stringify(params)} for ${key}`);
    },
  };
}

const app = () =>
  createServerApp({
    control,
    toolsets: { get: async () => brokenToolset(), close: async () => undefined },
    emptyToolset: createToolset({}),
    publicUrl: 'https://plugboard.example',
    corsOrigins: [],
    rateLimitPerMinute: 0,
    bodyLimitBytes: 65_536,
    logger: (line) => logs.push(line),
    version: '0.0.0',
  });

describe('an unexpected error', () => {
  it('is a 500 problem that says nothing of the cause, and a log line with every value of the request redacted', async () => {
    const response = await app().fetch(
      new Request('https://plugboard.example/v1/integrations', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ app: 'github', authConfig: { client_secret: BODY_SECRET } }),
      }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { code: string; requestId: string; detail: string };
    expect(problem.code).toBe('INTERNAL_ERROR');
    expect(problem.detail).not.toContain('cannot handle');

    const errorLine = logs.find((line) => line.message === 'unexpected error');
    expect(errorLine).toMatchObject({ level: 'error', requestId: problem.requestId, error: { name: 'TypeError' } });
    expect(errorLine?.error?.message).toContain('cannot handle');
    const log = JSON.stringify(logs);
    expect(log).not.toContain(BODY_SECRET);
    expect(log).not.toContain(key);
    expect(logs.find((line) => line.message === 'request')).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });
});
