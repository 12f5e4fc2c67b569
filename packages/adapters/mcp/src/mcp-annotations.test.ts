import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ROUTER_TOOL_NAMES, createToolset, defineAction } from '@plugboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acmeConnector, type RecordingServer, startAcmeApi } from '@plugboard/testkit';
import { createMcpServer } from './index.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeApi(): Promise<RecordingServer> {
  const api = await startAcmeApi();
  cleanups.push(() => api.close());
  return api;
}

async function connect(transport: StdioClientTransport | InMemoryTransport): Promise<Client> {
  const client = new Client({ name: 'plugboard-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

const text = (result: CallToolResult) =>
  (result.content[0]?.type === 'text' ? JSON.parse(result.content[0].text) : undefined) as unknown;

// Acme with an action of each kind of effect, one declaring its output.
async function typedToolset(baseUrl: string) {
  const acme = acmeConnector(baseUrl, [
    defineAction({
      name: 'ACME_GET_THING',
      description: 'Get one thing by its id.',
      input: z.object({ thing_id: z.number().int() }),
      output: z.object({ id: z.number(), calledWith: z.string().nullable() }),
      request: 'GET /things/{thing_id}',
    }),
    defineAction({
      name: 'ACME_DELETE_THING',
      description: 'Delete a thing.',
      input: z.object({ thing_id: z.number().int() }),
      request: 'DELETE /things/{thing_id}',
    }),
    defineAction({
      name: 'ACME_CREATE_THING',
      description: 'Create a thing.',
      input: z.object({ name: z.string() }),
      request: 'POST /things',
    }),
    defineAction({
      name: 'ACME_LIST_THINGS_V1',
      description: 'List things (old).',
      input: z.object({}),
      request: 'GET /v1/things',
      deprecated: true,
    }),
  ]);
  const toolset = createToolset({ connectors: [acme] });
  toolset.addAuth('acme', { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'key-user-1' }] });
  return toolset;
}

async function inMemoryClient(server: ReturnType<typeof createMcpServer>): Promise<Client> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  cleanups.push(() => server.close());
  return connect(clientTransport);
}

describe('tool annotations and output schemas', () => {
  it('lists what each action does to the world, and its output schema where it has one', async () => {
    const api = await fakeApi();
    const client = await inMemoryClient(createMcpServer(await typedToolset(api.url)));
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    // Deprecated actions are not offered by default.
    expect(Object.keys(byName)).toEqual(['ACME_GET_THING', 'ACME_DELETE_THING', 'ACME_CREATE_THING']);
    expect(byName['ACME_GET_THING']?.annotations).toEqual({ readOnlyHint: true, openWorldHint: true });
    expect(byName['ACME_DELETE_THING']?.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
    // A POST promises nothing: the client's defaults (may destroy, not idempotent) stand.
    expect(byName['ACME_CREATE_THING']?.annotations).toEqual({ readOnlyHint: false, openWorldHint: true });
    expect(byName['ACME_GET_THING']?.outputSchema).toMatchObject({
      type: 'object',
      properties: { id: { type: 'number' } },
      required: ['id', 'calledWith'],
    });
    expect(byName['ACME_DELETE_THING']).not.toHaveProperty('outputSchema');
  });

  it('answers with structured content the client validates, and errors of typed tools as text only', async () => {
    const api = await fakeApi();
    const client = await inMemoryClient(createMcpServer(await typedToolset(api.url)));
    await client.listTools();
    // The SDK client checks structuredContent against the listed output schema and throws on a mismatch.
    const found = (await client.callTool({ name: 'ACME_GET_THING', arguments: { thing_id: 7 } })) as CallToolResult;
    expect(found).toMatchObject({ isError: false, structuredContent: { id: 7, calledWith: 'key-user-1' } });
    const missing = (await client.callTool({ name: 'ACME_GET_THING', arguments: { thing_id: 404 } })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(missing).not.toHaveProperty('structuredContent');
    expect(text(missing)).toMatchObject({ error: { code: 'UPSTREAM_ERROR', status: 404 } });
  });

  it('offers only read actions with readOnly', async () => {
    const api = await fakeApi();
    const server = createMcpServer(await typedToolset(api.url), { selection: { readOnly: true } });
    const { tools } = await (await inMemoryClient(server)).listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['ACME_GET_THING']);
  });
});

describe('router mode over stdio, through the plugboard-mcp bin', () => {
  const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const config = fileURLToPath(new URL('../test/stdio-config.mjs', import.meta.url));

  it('lists three annotated tools and reaches an action through search and execute', async () => {
    if (!existsSync(bin)) throw new Error('Build @plugboard/mcp first (pnpm build): this test spawns dist/cli.js.');
    const api = await fakeApi();
    const client = await connect(
      new StdioClientTransport({
        command: process.execPath,
        // The config module selects the `read` tag; --router keeps that selection.
        args: [bin, config, '--entity', 'user-2', '--router'],
        env: { PATH: process.env['PATH'] ?? '', ACME_API_URL: api.url },
        stderr: 'pipe',
      }),
    );

    const { tools } = await client.listTools();
    expect(tools.map((tool) => [tool.name, tool.annotations])).toEqual([
      [ROUTER_TOOL_NAMES.search, { readOnlyHint: true, openWorldHint: false }],
      [ROUTER_TOOL_NAMES.schema, { readOnlyHint: true, openWorldHint: false }],
      [ROUTER_TOOL_NAMES.execute, { readOnlyHint: false, openWorldHint: true }],
    ]);
    const search = (await client.callTool({
      name: ROUTER_TOOL_NAMES.search,
      arguments: { query: 'thing by id' },
    })) as CallToolResult;
    expect(search.structuredContent).toEqual({
      results: [{ name: 'ACME_GET_THING', app: 'acme', description: 'Get one thing by its id.' }],
    });
    const [got, deleted] = (await Promise.all([
      client.callTool({
        name: ROUTER_TOOL_NAMES.execute,
        arguments: { action: 'ACME_GET_THING', input: { thing_id: 7 } },
      }),
      client.callTool({
        name: ROUTER_TOOL_NAMES.execute,
        arguments: { action: 'ACME_DELETE_THING', input: { thing_id: 7 } },
      }),
    ])) as CallToolResult[];
    expect(got).toMatchObject({ isError: false, structuredContent: { id: 7, calledWith: 'key-user-2' } });
    expect(deleted).toMatchObject({ isError: true, structuredContent: { error: { code: 'TOOL_NOT_OFFERED' } } });
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /things/7']);
  });
});
