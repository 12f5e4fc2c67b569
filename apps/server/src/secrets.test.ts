import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';

const CLIENT_SECRET = 'client-secret-Zq81nX0vLr55TgWy';
const CUSTOM_TOKEN = 'ghp_CustomAuth0000Zq81nX0vLr55TgWyAbCd';
const QUERY_SECRET = 'query-secret-Jf73hQ2aPp0';
const BAD_TOKEN = 'not a token Kd92mWq0Lz';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

describe('no secret in any response or log line', () => {
  it('sends secrets through every route, then finds none of them in what the server answered or logged', async () => {
    const key = harness.projects[0].key;
    const integration = await harness.call('/v1/integrations', {
      key,
      body: {
        app: 'github',
        authMode: 'OAUTH2',
        authConfig: { client_id: 'Ov23liSecrets001', client_secret: CLIENT_SECRET },
      },
    });
    expect(integration.json.authConfig).toMatchObject({ client_id: 'Ov23liSecrets001', client_secret: '[REDACTED]' });
    await harness.call(`/v1/integrations/${integration.json.id}`, { key });
    await harness.call('/v1/integrations', { key });
    const initiated = await harness.call('/v1/connections', { key, body: { integrationId: integration.json.id } });
    expect(initiated.json.redirectUrl).toContain('client_id=Ov23liSecrets001');

    const tokens = await harness.call('/v1/integrations', { key, body: { app: 'github', authMode: 'BEARER_TOKEN' } });
    const refused = await harness.call('/v1/connections', {
      key,
      body: { integrationId: tokens.json.id, entityId: 'user-s', connectedAccountParams: { token: BAD_TOKEN } },
    });
    expect(refused.json).toMatchObject({ status: 400, code: 'INVALID_CONNECTION_PARAMS' });
    const connection = await harness.call('/v1/connections', {
      key,
      body: { integrationId: tokens.json.id, entityId: 'user-s', connectedAccountParams: { token: PAT } },
    });
    await harness.call(`/v1/connections/${connection.json.id}`, { key });
    await harness.call('/v1/connections?entityId=user-s', { key });

    const custom = { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${CUSTOM_TOKEN}` }] };
    // The vendor refuses the custom token: its 401 comes back as an UPSTREAM_ERROR result.
    const upstream = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key,
      body: { input: { owner: 'o', repo: 'r', pull_number: 1 }, auth: custom },
    });
    expect(upstream.json).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key,
      body: { input: { owner: 'o', repo: CUSTOM_TOKEN, pull_number: 'x' }, auth: custom },
    });
    await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key,
      body: { input: { owner: 'o', repo: 'r', pull_number: 2 }, connectedAccountId: connection.json.id },
    });
    await harness.call('/v1/proxy', {
      key,
      body: { app: 'github', method: 'GET', path: '/user', auth: custom, headers: { 'x-extra': CUSTOM_TOKEN } },
    });
    await harness.call('/v1/proxy', { key, body: { app: 'github', method: 'GET', path: '/user', entityId: 'user-s' } });
    await harness.call('/v1/tools/execute', {
      key,
      body: {
        format: 'anthropic',
        actions: ['GITHUB_GET_A_PULL_REQUEST'],
        auth: custom,
        response: {
          content: [
            {
              type: 'tool_use',
              id: 't1',
              name: 'GITHUB_GET_A_PULL_REQUEST',
              input: { owner: 'o', repo: 'r', pull_number: 9 },
            },
          ],
        },
      },
    });
    await harness.call(`/v1/apps?api_key=${QUERY_SECRET}&access_token=${QUERY_SECRET}`, { key });
    const created = await harness.call('/v1/api-keys', { key, body: { name: 'temp', scope: 'execute' } });
    const newKey = created.json.key as string;
    await harness.call('/v1/apps', { key: newKey });
    await harness.call(`/v1/api-keys/${created.json.apiKey.id}/revoke`, { key, method: 'POST' });
    await harness.call('/v1/apps', { key: newKey });
    await harness.call('/v1/apps', { key: `${key}x` });
    await harness.call(`/v1/oauth/callback/${harness.projects[0].id}?code=${QUERY_SECRET}&state=${QUERY_SECRET}`);

    // MCP for the entity: a tool call runs with the stored token, which the answer must not carry.
    const mcp = await harness.call('/v1/entities/user-s/mcp?actions=GITHUB_GET_A_PULL_REQUEST', {
      key,
      headers: { accept: 'application/json, text/event-stream' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'GITHUB_GET_A_PULL_REQUEST', arguments: { owner: 'o', repo: 'r', pull_number: 9 } },
      },
    });
    expect(mcp.status).toBe(200);
    expect(mcp.json.result.structuredContent).toMatchObject({ number: 9 });

    // The routes that take no secret in their body still carry the key: each is called once more.
    for (const path of [
      '/v1/apps/github',
      '/v1/actions?app=github&limit=1',
      '/v1/actions/GITHUB_GET_A_PULL_REQUEST',
      '/v1/actions/search?q=get+a+pull+request&limit=3',
      '/v1/tools?format=openai&actions=GITHUB_GET_A_PULL_REQUEST',
      `/v1/integrations/${tokens.json.id}/expected-params`,
      '/v1/project',
      '/v1/api-keys',
      '/healthz',
      '/readyz',
      '/openapi.json',
      '/reference',
    ]) {
      expect((await harness.call(path, { key })).status).toBe(200);
    }
    await harness.call(`/v1/connections/${connection.json.id}/refresh`, { key, method: 'POST' });
    const rotated = await harness.call(`/v1/api-keys/${created.json.apiKey.id}/rotate`, { key, method: 'POST' });
    expect(rotated.status).toBe(404);
    await harness.call(`/v1/connections/${connection.json.id}`, { key, method: 'DELETE' });
    await harness.call(`/v1/integrations/${tokens.json.id}`, { key, method: 'DELETE' });

    const responses = harness.bodies.join('\n');
    const log = harness.logs.map((line) => JSON.stringify(line)).join('\n');
    // The key appears in exactly one response: the one that created it, shown once.
    expect(harness.bodies.filter((body) => body.includes(newKey.slice(21)))).toHaveLength(1);
    for (const secret of [CLIENT_SECRET, PAT, CUSTOM_TOKEN, BAD_TOKEN, key, key.slice(21)]) {
      expect(responses.includes(secret), `a response contains ${secret.slice(0, 8)}...`).toBe(false);
    }
    for (const secret of [
      CLIENT_SECRET,
      PAT,
      CUSTOM_TOKEN,
      BAD_TOKEN,
      QUERY_SECRET,
      key,
      key.slice(21),
      newKey.slice(21),
    ]) {
      expect(log.includes(secret), `the log contains ${secret.slice(0, 8)}...`).toBe(false);
    }
    // One line per request, each with its status; the failures carry their code.
    expect(harness.logs.filter((line) => line.message === 'request')).toHaveLength(harness.bodies.length);
    expect(harness.logs.find((line) => line.path?.startsWith('/v1/apps?'))?.path).toBe(
      '/v1/apps?api_key=[REDACTED]&access_token=[REDACTED]',
    );
    expect(harness.logs.filter((line) => line.code === 'UNAUTHENTICATED')).toHaveLength(2);
  });
});
