import { createToolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { rerouteFetch } from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';

let harness: TestServer;
let admin: string;
beforeAll(async () => {
  harness = await startTestServer();
  admin = harness.projects[0].key;
});
afterAll(() => harness.close());

describe('the catalogue', () => {
  it('lists the built-in apps, one app with its auth schemes, and actions a page at a time', async () => {
    const apps = await harness.call('/v1/apps', { key: admin });
    expect(apps.status).toBe(200);
    expect(apps.json.items.map((app: { id: string }) => app.id).sort()).toEqual([
      'github',
      'gmail',
      'shopify',
      'trello',
    ]);

    const one = await harness.call('/v1/apps/github', { key: admin });
    expect(one.status).toBe(200);
    expect(one.json.authSchemes.map((scheme: { mode: string }) => scheme.mode)).toEqual(one.json.authModes);
    expect(
      one.json.authSchemes.find((scheme: { mode: string }) => scheme.mode === 'BEARER_TOKEN').fields[0],
    ).toMatchObject({
      name: 'token',
      secret: true,
      suppliedBy: 'user',
    });

    const first = await harness.call('/v1/actions?app=github&limit=2', { key: admin });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    const second = await harness.call(`/v1/actions?app=github&limit=2&cursor=${first.json.nextCursor}`, { key: admin });
    expect(second.json.items).toHaveLength(2);
    expect(second.json.items[0].name).not.toBe(first.json.items[0].name);
    expect(first.json.items.concat(second.json.items)).toEqual(
      createToolset({ connectors: [github] })
        .listActions({ app: 'github' })
        .slice(0, 4),
    );
  });

  it('gets one action by name or alias with its input JSON Schema, and 404s an unknown one', async () => {
    const action = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST', { key: admin });
    expect(action.status).toBe(200);
    expect(action.json.inputJsonSchema.required).toEqual(expect.arrayContaining(['owner', 'repo', 'pull_number']));

    const unknown = await harness.call('/v1/actions/GITHUB_NO_SUCH_THING', { key: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(unknown.json).toMatchObject({ status: 404, code: 'ACTION_NOT_FOUND', title: 'Not Found' });

    const badApp = await harness.call('/v1/apps/gitlab', { key: admin });
    expect(badApp.json).toMatchObject({ status: 404, code: 'APP_NOT_FOUND' });
  });
});

describe('integrations, connections and execution', () => {
  it("runs a whole API-key flow and answers with the library's result shape", async () => {
    const integration = await harness.call('/v1/integrations', {
      key: admin,
      body: { app: 'github', authMode: 'BEARER_TOKEN', name: 'GitHub tokens' },
    });
    expect(integration.status).toBe(201);
    expect(integration.json).toMatchObject({ app: 'github', authMode: 'BEARER_TOKEN', name: 'GitHub tokens' });

    const expected = await harness.call(`/v1/integrations/${integration.json.id}/expected-params`, { key: admin });
    expect(expected.json.expectedParams.map((field: { name: string }) => field.name)).toEqual(['token']);

    const connection = await harness.call('/v1/connections', {
      key: admin,
      body: { integrationId: integration.json.id, entityId: 'user-42', connectedAccountParams: { token: PAT } },
    });
    expect(connection.status).toBe(201);
    expect(connection.json).toMatchObject({ status: 'ACTIVE', redirectUrl: null, integrationId: integration.json.id });
    const connectionId = connection.json.id as string;

    const shown = await harness.call(`/v1/connections/${connectionId}`, { key: admin });
    expect(shown.json).toMatchObject({ id: connectionId, entityId: 'user-42', status: 'ACTIVE', app: 'github' });
    expect(shown.text).not.toContain(PAT);
    expect(shown.json).not.toHaveProperty('credentials');

    const listed = await harness.call('/v1/connections?entityId=user-42&app=github&status=ACTIVE,EXPIRED', {
      key: admin,
    });
    expect(listed.json.items.map((item: { id: string }) => item.id)).toEqual([connectionId]);
    const none = await harness.call('/v1/connections?entityId=user-42&status=EXPIRED', { key: admin });
    expect(none.json.items).toEqual([]);
    const badStatus = await harness.call('/v1/connections?status=GONE', { key: admin });
    expect(badStatus.json).toMatchObject({ status: 400, code: 'INVALID_PARAMS' });

    const input = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };
    const byEntity = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: { input, entityId: 'user-42' },
    });
    expect(byEntity.status).toBe(200);
    expect(byEntity.json).toEqual({
      successful: true,
      data: expect.objectContaining({ number: 1347, title: 'Amazing new feature' }),
      error: null,
    });
    expect(harness.github.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls/1347',
      headers: expect.objectContaining({ authorization: `Bearer ${PAT}` }),
    });

    // The same call made with the library directly gives the same result.
    const direct = createToolset({
      connectors: [github],
      fetch: rerouteFetch({ 'https://api.github.com': harness.github.url }).fetch,
    });
    const directResult = await direct.executeAction('GITHUB_GET_A_PULL_REQUEST', input, {
      auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${PAT}` }] },
    });
    expect(byEntity.json).toEqual(JSON.parse(JSON.stringify(directResult)));

    const byConnection = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: { input: { ...input, pull_number: 404 }, connectedAccountId: connectionId },
    });
    expect(byConnection.status).toBe(200);
    expect(byConnection.json).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'UPSTREAM_ERROR', status: 404 },
    });

    const proxied = await harness.call('/v1/proxy', {
      key: admin,
      body: { app: 'github', method: 'GET', path: '/user', entityId: 'user-42' },
    });
    expect(proxied.json).toMatchObject({
      successful: true,
      data: { status: 200, data: { login: 'octocat' } },
      error: null,
    });

    const deleted = await harness.call(`/v1/connections/${connectionId}`, { key: admin, method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const gone = await harness.call(`/v1/connections/${connectionId}`, { key: admin });
    expect(gone.json).toMatchObject({ status: 404, code: 'CONNECTION_NOT_FOUND' });
    const noCredentials = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: { input, entityId: 'user-42' },
    });
    expect(noCredentials.json).toMatchObject({ status: 409, code: 'NO_CREDENTIALS' });

    const removed = await harness.call(`/v1/integrations/${integration.json.id}`, { key: admin, method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await harness.call(`/v1/integrations/${integration.json.id}`, { key: admin })).status).toBe(404);
  });

  it('refuses invalid input with INVALID_PARAMS and sends nothing upstream', async () => {
    const before = harness.github.requests.length;
    const invalid = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: { input: { owner: 'octocat', repo: 'Hello-World', pull_number: 'one' }, auth: { parameters: [] } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ code: 'INVALID_PARAMS', status: 400 });
    const notJson = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: '{"input":',
    });
    expect(notJson.json).toMatchObject({ code: 'INVALID_PARAMS', status: 400 });
    const notDeclaredJson = await harness.call('/v1/integrations', {
      key: admin,
      body: '{"app":"github"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notDeclaredJson.json).toMatchObject({ code: 'INVALID_PARAMS', status: 400 });
    const wrongShape = await harness.call('/v1/integrations', { key: admin, body: { app: 7 } });
    expect(wrongShape.json).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { issues: [expect.objectContaining({ path: ['app'] })] },
    });
    const badConfig = await harness.call('/v1/integrations', {
      key: admin,
      body: { app: 'github', authMode: 'OAUTH2', authConfig: {} },
    });
    expect(badConfig.json).toMatchObject({ code: 'INVALID_AUTH_CONFIG', status: 400 });
    expect(harness.github.requests.length).toBe(before);
  });

  it('executes with custom auth given in the request', async () => {
    const result = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: admin,
      body: {
        input: { owner: 'octocat', repo: 'Hello-World', pull_number: 7 },
        auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${PAT}` }] },
      },
    });
    expect(result.json).toMatchObject({ successful: true, data: { number: 7 } });
  });
});

describe('agent tools', () => {
  it('lists tools in the OpenAI and Anthropic formats the adapters give', async () => {
    const openai = await harness.call('/v1/tools?format=openai&actions=GITHUB_GET_A_PULL_REQUEST', { key: admin });
    expect(openai.json.tools).toEqual([
      {
        type: 'function',
        function: expect.objectContaining({
          name: 'GITHUB_GET_A_PULL_REQUEST',
          parameters: expect.objectContaining({ type: 'object' }),
        }),
      },
    ]);
    const responses = await harness.call('/v1/tools?format=openai-responses&actions=GITHUB_GET_A_PULL_REQUEST', {
      key: admin,
    });
    expect(responses.json.tools[0]).toMatchObject({
      type: 'function',
      name: 'GITHUB_GET_A_PULL_REQUEST',
      strict: false,
    });
    const anthropic = await harness.call('/v1/tools?format=anthropic&actions=GITHUB_GET_A_PULL_REQUEST', {
      key: admin,
    });
    expect(anthropic.json.tools).toEqual([
      expect.objectContaining({
        name: 'GITHUB_GET_A_PULL_REQUEST',
        input_schema: expect.objectContaining({ type: 'object' }),
      }),
    ]);
  });

  it("runs a model's tool calls and answers each, refusing tools outside the selection", async () => {
    const auth = { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${PAT}` }] };
    const completion = {
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: {
                  name: 'GITHUB_GET_A_PULL_REQUEST',
                  arguments: '{"owner":"octocat","repo":"Hello-World","pull_number":5}',
                },
              },
              { id: 'call_2', type: 'function', function: { name: 'GITHUB_DELETE_A_REPOSITORY', arguments: '{}' } },
            ],
          },
        },
      ],
    };
    const openai = await harness.call('/v1/tools/execute', {
      key: admin,
      body: { format: 'openai', response: completion, actions: ['GITHUB_GET_A_PULL_REQUEST'], auth },
    });
    expect(openai.status).toBe(200);
    expect(openai.json.results).toHaveLength(2);
    expect(openai.json.results[0]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(JSON.parse(openai.json.results[0].content)).toMatchObject({ number: 5 });
    expect(JSON.parse(openai.json.results[1].content)).toMatchObject({ error: { code: 'TOOL_NOT_OFFERED' } });

    const message = {
      content: [
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'GITHUB_GET_A_PULL_REQUEST',
          input: { owner: 'octocat', repo: 'Hello-World', pull_number: 6 },
        },
      ],
    };
    const anthropic = await harness.call('/v1/tools/execute', {
      key: admin,
      body: { format: 'anthropic', response: message, actions: ['GITHUB_GET_A_PULL_REQUEST'], auth },
    });
    expect(anthropic.json.results).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }],
    });
    expect(JSON.parse(anthropic.json.results.content[0].content)).toMatchObject({ number: 6 });
  });
});

describe('OpenAPI document, reference page, health', () => {
  it('serves an OpenAPI 3.1 document describing every route, with problem responses and the API key scheme', async () => {
    const document = await harness.call('/openapi.json');
    expect(document.status).toBe(200);
    expect(document.json.openapi).toBe('3.1.0');
    expect(document.json.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(document.json.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /v1/apps',
        'GET /v1/apps/{app}',
        'GET /v1/actions',
        'GET /v1/actions/{name}',
        'GET /v1/actions/search',
        'POST /v1/actions/{name}/execute',
        'POST /v1/proxy',
        'POST /v1/integrations',
        'GET /v1/integrations',
        'GET /v1/integrations/{id}',
        'DELETE /v1/integrations/{id}',
        'POST /v1/connections',
        'GET /v1/connections',
        'GET /v1/connections/{id}',
        'POST /v1/connections/{id}/refresh',
        'DELETE /v1/connections/{id}',
        'GET /v1/tools',
        'POST /v1/tools/execute',
        'POST /v1/entities/{entityId}/mcp',
        'GET /v1/oauth/callback/{projectId}',
        'GET /v1/api-keys',
        'POST /v1/api-keys',
        'POST /v1/api-keys/{id}/revoke',
        'POST /v1/api-keys/{id}/rotate',
        'GET /healthz',
        'GET /readyz',
      ]),
    );
    // Every operation has a unique operationId, for client generators.
    const operationIds = Object.values(
      document.json.paths as Record<string, Record<string, { operationId?: string }>>,
    ).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(operationIds.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(operationIds).size).toBe(operationIds.length);
    const execute = document.json.paths['/v1/actions/{name}/execute'].post;
    expect(execute.operationId).toBe('executeAction');
    expect(execute.responses['404'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    expect(document.json.paths['/healthz'].get.security).toEqual([]);
  });

  it('serves a reference page with every operation, under a Content-Security-Policy that allows no script', async () => {
    const page = await harness.call('/reference');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain('<code>/v1/actions/{name}/execute</code>');
    expect(page.text).toContain('id="schema-problem"');
    const root = await harness.call('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/reference');
  });

  it('answers liveness and readiness without a key', async () => {
    expect((await harness.call('/healthz')).json).toEqual({ status: 'ok' });
    expect((await harness.call('/readyz')).json).toEqual({ status: 'ready' });
    const missing = await harness.call('/v1/nothing-here', { key: admin });
    expect(missing.json).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
