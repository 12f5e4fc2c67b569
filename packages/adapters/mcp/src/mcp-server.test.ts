import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeToolset, type RecordingServer, startAcmeApi } from '@plugboard/testkit';
import {
  createMcpServer,
  createStreamableHttpHandler,
  serveHttp,
  type McpRequestContext,
  type RunningHttpServer,
} from './index.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeApi(options?: Parameters<typeof startAcmeApi>[0]): Promise<RecordingServer> {
  const api = await startAcmeApi(options);
  cleanups.push(() => api.close());
  return api;
}

async function connect(
  transport: StdioClientTransport | StreamableHTTPClientTransport | InMemoryTransport,
): Promise<Client> {
  const client = new Client({ name: 'plugboard-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

async function httpServer(
  toolset: Parameters<typeof serveHttp>[0],
  options: Parameters<typeof serveHttp>[1],
): Promise<RunningHttpServer> {
  const running = await serveHttp(toolset, { port: 0, ...options });
  cleanups.push(() => running.close());
  return running;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) =>
  (result.content[0]?.type === 'text' ? JSON.parse(result.content[0].text) : undefined) as unknown;

/**
 * The four calls a model might make at once: valid, failing upstream, invalid arguments, a tool
 * that was not offered (ACME_DELETE_THING is outside the `read` selection) and one that does not exist.
 */
async function callConcurrently(client: Client) {
  const [valid, upstream, invalid, notOffered, unknown] = await Promise.all([
    call(client, 'ACME_GET_THING', { thing_id: 7 }),
    call(client, 'ACME_GET_THING', { thing_id: 404 }),
    call(client, 'ACME_GET_THING', { thing_id: 'seven' }),
    call(client, 'ACME_DELETE_THING', { thing_id: 7 }),
    call(client, 'NO_SUCH_TOOL', {}),
  ]);
  return { valid, upstream, invalid, notOffered, unknown };
}

function expectConcurrentResults(results: Awaited<ReturnType<typeof callConcurrently>>, apiKey: string) {
  expect(results.valid.isError).toBe(false);
  expect(text(results.valid)).toEqual({ id: 7, calledWith: apiKey });
  expect(results.valid.structuredContent).toEqual({ id: 7, calledWith: apiKey });
  expect(results.upstream).toMatchObject({
    isError: true,
    structuredContent: { error: { code: 'UPSTREAM_ERROR', status: 404 } },
  });
  expect(text(results.upstream)).toMatchObject({ error: { code: 'UPSTREAM_ERROR', status: 404 } });
  expect(results.invalid).toMatchObject({ isError: true, structuredContent: { error: { code: 'INVALID_PARAMS' } } });
  expect(results.notOffered).toMatchObject({
    isError: true,
    structuredContent: { error: { code: 'TOOL_NOT_OFFERED' } },
  });
  expect(results.unknown).toMatchObject({ isError: true, structuredContent: { error: { code: 'TOOL_NOT_OFFERED' } } });
}

function expectApiSawOnlyValidCalls(api: RecordingServer, apiKey: string) {
  expect(api.requests.map((request) => request.path).sort()).toEqual(['/things/404', '/things/7']);
  expect(api.requests.every((request) => request.headers['x-api-key'] === apiKey)).toBe(true);
  // Each request was held until the other arrived: the two calls ran at the same time.
  expect(api.maxInFlight).toBe(2);
}

describe('Streamable HTTP', () => {
  it('lists the selected tools and answers concurrent calls, errors as results, with the credentials the bearer token maps to', async () => {
    const api = await fakeApi({ holdUntil: 2 });
    const { toolset } = await acmeToolset(api.url);
    const tokens = new Map([['Bearer token-1', 'user-1']]);
    const server = await httpServer(toolset, {
      selection: { tags: ['read'] },
      authenticate: (request) => {
        const entityId = tokens.get(request.headers.authorization ?? '');
        return entityId ? { entityId } : undefined;
      },
    });
    const client = await connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { Authorization: 'Bearer token-1' } },
      }),
    );

    const { tools } = await client.listTools();
    expect(tools).toEqual([
      {
        name: 'ACME_GET_THING',
        description: 'Get one thing by its id.',
        inputSchema: expect.objectContaining({
          type: 'object',
          properties: { thing_id: expect.objectContaining({ type: 'integer', description: 'The id of the thing.' }) },
          required: ['thing_id'],
        }),
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
    ]);
    expect(tools[0]?.inputSchema).not.toHaveProperty('$schema');
    expect(client.getServerVersion()).toMatchObject({ name: 'plugboard', version: '0.0.0' });

    expectConcurrentResults(await callConcurrently(client), 'key-user-1');
    expectApiSawOnlyValidCalls(api, 'key-user-1');
  });

  it('runs each client with its own entity, and refuses a request authenticate does not recognise', async () => {
    const api = await fakeApi({ holdUntil: 2 });
    const { toolset } = await acmeToolset(api.url);
    const tokens = new Map([
      ['Bearer token-1', 'user-1'],
      ['Bearer token-2', 'user-2'],
    ]);
    const server = await httpServer(toolset, {
      authenticate: (request) => {
        const entityId = tokens.get(request.headers.authorization ?? '');
        return entityId ? { entityId } : undefined;
      },
    });
    const clientFor = (token: string) =>
      connect(
        new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: token } } }),
      );
    const [first, second] = await Promise.all([clientFor('Bearer token-1'), clientFor('Bearer token-2')]);
    const [one, two] = await Promise.all([
      call(first, 'ACME_GET_THING', { thing_id: 1 }),
      call(second, 'ACME_GET_THING', { thing_id: 2 }),
    ]);
    expect(text(one)).toEqual({ id: 1, calledWith: 'key-user-1' });
    expect(text(two)).toEqual({ id: 2, calledWith: 'key-user-2' });
    expect(Object.fromEntries(api.requests.map((request) => [request.path, request.headers['x-api-key']]))).toEqual({
      '/things/1': 'key-user-1',
      '/things/2': 'key-user-2',
    });

    const stranger = new Client({ name: 'stranger', version: '1.0.0' });
    await expect(
      stranger.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: { Authorization: 'Bearer guessed' } },
        }),
      ),
    ).rejects.toMatchObject({ code: 401, message: expect.stringContaining('Unauthorized') });
  });

  it('takes the entity from a header only when the developer opted in', async () => {
    const api = await fakeApi();
    const { toolset, connections } = await acmeToolset(api.url);
    const headers = { 'X-Plugboard-Entity': 'user-2' };

    const trusting = await httpServer(toolset, { entityHeader: 'X-Plugboard-Entity' });
    const trusted = await connect(
      new StreamableHTTPClientTransport(new URL(trusting.url), { requestInit: { headers } }),
    );
    expect(text(await call(trusted, 'ACME_GET_THING', { thing_id: 3 }))).toEqual({ id: 3, calledWith: 'key-user-2' });
    const withoutHeader = new Client({ name: 'no-header', version: '1.0.0' });
    await expect(withoutHeader.connect(new StreamableHTTPClientTransport(new URL(trusting.url)))).rejects.toThrow(
      /X-Plugboard-Entity/,
    );

    // Not opted in: the header is ignored and the configured entity is used, here one with no connection.
    const ignoring = await httpServer(toolset, { entityId: 'nobody' });
    const ignored = await connect(
      new StreamableHTTPClientTransport(new URL(ignoring.url), { requestInit: { headers } }),
    );
    expect(await call(ignored, 'ACME_GET_THING', { thing_id: 4 })).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'NO_CREDENTIALS' } },
    });

    // A fixed connection.
    const fixed = await httpServer(toolset, { connectedAccountId: connections['user-1'] });
    const client = await connect(new StreamableHTTPClientTransport(new URL(fixed.url), { requestInit: { headers } }));
    expect(text(await call(client, 'ACME_GET_THING', { thing_id: 5 }))).toEqual({ id: 5, calledWith: 'key-user-1' });
    expect(api.requests.map((request) => request.path)).toEqual(['/things/3', '/things/5']);
  });

  it('refuses a foreign Host on loopback, other methods and other paths', async () => {
    const { toolset } = await acmeToolset('http://127.0.0.1:9');
    const server = await httpServer(toolset, {});
    const send = (method: string, path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            method,
            path,
            headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          },
          (incoming) => {
            incoming.resume();
            resolve(incoming.statusCode ?? 0);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) : undefined);
      });
    expect(await send('POST', '/mcp', 'attacker.example')).toBe(403);
    expect(await send('GET', '/mcp', `localhost:${server.port}`)).toBe(405);
    expect(await send('POST', '/other', `127.0.0.1:${server.port}`)).toBe(404);
    expect(await send('POST', '/mcp', `localhost:${server.port}`)).toBe(200);
  });

  it('refuses two ways of deciding the entity at once', async () => {
    const { toolset } = await acmeToolset('http://127.0.0.1:9');
    expect(() =>
      createStreamableHttpHandler(toolset, {
        entityHeader: 'X-Plugboard-Entity',
        authenticate: () => ({ entityId: 'a' }),
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIGURATION_ERROR' }));
  });
});

describe('stdio', () => {
  const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const config = fileURLToPath(new URL('../test/stdio-config.mjs', import.meta.url));

  it('serves the config module through the plugboard-mcp bin: lists tools and answers concurrent calls as the entity given', async () => {
    if (!existsSync(bin)) throw new Error('Build @plugboard/mcp first (pnpm build): this test spawns dist/cli.js.');
    const api = await fakeApi({ holdUntil: 2 });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, config, '--entity', 'user-2'],
      env: { PATH: process.env['PATH'] ?? '', ACME_API_URL: api.url },
      stderr: 'pipe',
    });
    const client = await connect(transport);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['ACME_GET_THING']);
    expectConcurrentResults(await callConcurrently(client), 'key-user-2');
    expectApiSawOnlyValidCalls(api, 'key-user-2');
  });
});

describe('createMcpServer', () => {
  it('asks resolveCredentials per call, and turns its failure into an error result that keeps the message private', async () => {
    const api = await fakeApi();
    const { toolset } = await acmeToolset(api.url);
    const contexts: McpRequestContext[] = [];
    const server = createMcpServer(toolset, {
      serverInfo: { name: 'acme-tools', version: '2.0.0' },
      resolveCredentials: (context) => {
        contexts.push(context);
        if (context.toolName === 'ACME_DELETE_THING') throw new Error('token sk-secret expired');
        return { entityId: 'user-1' };
      },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    cleanups.push(() => server.close());
    const client = await connect(clientSide);

    expect(client.getServerVersion()).toMatchObject({ name: 'acme-tools', version: '2.0.0' });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['ACME_GET_THING', 'ACME_DELETE_THING']);
    expect(text(await call(client, 'ACME_GET_THING', { thing_id: 8 }))).toEqual({ id: 8, calledWith: 'key-user-1' });
    const refused = await call(client, 'ACME_DELETE_THING', { thing_id: 8 });
    expect(refused).toMatchObject({ isError: true, structuredContent: { error: { code: 'CONFIGURATION_ERROR' } } });
    expect(JSON.stringify(refused)).not.toContain('sk-secret');
    expect(contexts.map((context) => context.toolName)).toEqual(['ACME_GET_THING', 'ACME_DELETE_THING']);
    expect(api.requests).toHaveLength(1);
  });

  it('fails fast on a selection naming an unknown action', async () => {
    const { toolset } = await acmeToolset('http://127.0.0.1:9');
    expect(() => createMcpServer(toolset, { selection: { actions: ['ACME_NOPE'] } })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
  });
});
