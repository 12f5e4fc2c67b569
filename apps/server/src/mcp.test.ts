import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, startTestServer, type TestServer } from '../test/server-harness.js';

let harness: TestServer;
let connectionId: string;

beforeAll(async () => {
  harness = await startTestServer();
  const key = harness.projects[0].key;
  const integration = await harness.call('/v1/integrations', {
    key,
    body: { app: 'github', authMode: 'BEARER_TOKEN' },
  });
  const connection = await harness.call('/v1/connections', {
    key,
    body: { integrationId: integration.json.id, entityId: 'mcp-user', connectedAccountParams: { token: PAT } },
  });
  connectionId = connection.json.id;
});
afterAll(() => harness.close());

/** An MCP client of the SDK on the entity's endpoint, with the API key as its bearer token. */
async function connect(key: string, entityId: string, query: string): Promise<Client> {
  const client = new Client({ name: 'server-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(
    new URL(`${harness.url}/v1/entities/${encodeURIComponent(entityId)}/mcp?${query}`),
    { requestInit: { headers: { authorization: `Bearer ${key}` } } },
  );
  await client.connect(transport);
  return client;
}

const PULL = 'GITHUB_GET_A_PULL_REQUEST';

describe('MCP over Streamable HTTP per entity', () => {
  it('initializes, lists the selected actions and runs one with the entity connection', async () => {
    const client = await connect(
      harness.projects[0].key,
      'mcp-user',
      `actions=${PULL},GITHUB_GET_THE_AUTHENTICATED_USER`,
    );
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'plugboard' });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([PULL, 'GITHUB_GET_THE_AUTHENTICATED_USER']);
      expect(tools.find((tool) => tool.name === PULL)?.inputSchema.required).toEqual(
        expect.arrayContaining(['owner', 'repo', 'pull_number']),
      );

      const before = harness.github.requests.length;
      const result = (await client.callTool({
        name: PULL,
        arguments: { owner: 'octocat', repo: 'Hello-World', pull_number: 77 },
      })) as CallToolResult;
      expect(result.isError).toBe(false);
      expect(result.structuredContent).toMatchObject({ number: 77, title: 'Amazing new feature' });
      expect(harness.github.requests.slice(before)).toEqual([
        expect.objectContaining({
          url: '/repos/octocat/Hello-World/pulls/77',
          headers: expect.objectContaining({ authorization: `Bearer ${PAT}` }),
        }),
      ]);

      // An upstream 404 is a tool result the model reads, not a protocol error.
      const missing = (await client.callTool({
        name: PULL,
        arguments: { owner: 'octocat', repo: 'Hello-World', pull_number: 404 },
      })) as CallToolResult;
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain('UPSTREAM_ERROR');
      // Invalid arguments never reach the vendor.
      const sent = harness.github.requests.length;
      const invalid = (await client.callTool({ name: PULL, arguments: { owner: 'octocat' } })) as CallToolResult;
      expect(invalid.isError).toBe(true);
      expect(JSON.stringify(invalid.content)).toContain('INVALID_PARAMS');
      expect(harness.github.requests.length).toBe(sent);
    } finally {
      await client.close();
    }
  });

  it('offers the router meta-tools in router mode, and runs an action through them', async () => {
    const client = await connect(harness.projects[0].key, 'mcp-user', 'apps=github&mode=router');
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(3);
      const execute = tools.find((tool) => tool.name === 'PLUGBOARD_EXECUTE_ACTION');
      expect(execute).toBeDefined();
      const result = (await client.callTool({
        name: execute?.name as string,
        arguments: { action: PULL, input: { owner: 'octocat', repo: 'Hello-World', pull_number: 5 } },
      })) as CallToolResult;
      expect(result.isError, JSON.stringify(result.content)).toBe(false);
      const [content] = result.content as Array<{ type: string; text: string }>;
      expect(JSON.parse(content?.text ?? '')).toMatchObject({ number: 5, title: 'Amazing new feature' });
    } finally {
      await client.close();
    }
  });

  it("refuses a missing or unknown key, and another project's key reaches neither the connection nor its credentials", async () => {
    await expect(connect(`pbk_0000000000000000_${'x'.repeat(43)}`, 'mcp-user', 'apps=github')).rejects.toThrow(/401/);
    const anonymous = await fetch(`${harness.url}/v1/entities/mcp-user/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);

    const other = harness.projects[1].key;
    await expect(connect(other, 'mcp-user', `actions=${PULL}&connectedAccountId=${connectionId}`)).rejects.toThrow(
      /404/,
    );
    // The same entity id in another project is another entity: it has no connection there.
    const client = await connect(other, 'mcp-user', `actions=${PULL}`);
    try {
      const before = harness.github.requests.length;
      const result = (await client.callTool({
        name: PULL,
        arguments: { owner: 'octocat', repo: 'Hello-World', pull_number: 1 },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('NO_CREDENTIALS');
      expect(harness.github.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  });

  it('answers GET and DELETE with 405 (stateless, no sessions) and is in the OpenAPI document', async () => {
    for (const method of ['GET', 'DELETE']) {
      const answer = await harness.call('/v1/entities/mcp-user/mcp', { key: harness.projects[0].key, method });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    }
    const document = await harness.call('/openapi.json');
    expect(Object.keys(document.json.paths['/v1/entities/{entityId}/mcp']).sort()).toEqual(['delete', 'get', 'post']);
  });
});
