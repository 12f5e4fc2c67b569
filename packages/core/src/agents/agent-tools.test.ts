import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';
import { acmeConnector, publicConnector } from '../../test/fixtures.js';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  ROUTER_TOOL_NAMES,
  createAgentTools,
  createToolset,
  defineAction,
  defineConnector,
  noAuthScheme,
  runToolCalls,
} from '../index.js';
import { toolName, trimDescription } from '../internal.js';

let server: RecordingServer;
beforeEach(async () => {
  server = await startRecordingServer((request) =>
    request.path.startsWith('/owners/missing')
      ? { status: 404, json: { message: 'Not Found' } }
      : { json: { path: request.path } },
  );
});
afterEach(async () => {
  await server.close();
});

const toolsetFor = () => createToolset({ connectors: [acmeConnector(server.url), publicConnector(server.url)] });

describe('createAgentTools', () => {
  it('selects by app, tags and names (aliases too) and shapes plain object schemas', () => {
    const toolset = toolsetFor();
    expect(createAgentTools(toolset).tools).toHaveLength(8);
    expect(createAgentTools(toolset, { apps: ['open-data'] }).tools.map((tool) => tool.name)).toEqual([
      'OPEN_DATA_GET',
    ]);
    expect(createAgentTools(toolset, { tags: ['write'] }).tools.map((tool) => tool.name)).toEqual([
      'ACME_CREATE_THING',
    ]);
    const [tool] = createAgentTools(toolset, { actions: ['ACME_FETCH_THING'] }).tools;
    expect(tool).toMatchObject({
      name: 'ACME_GET_THING',
      actionName: 'ACME_GET_THING',
      app: 'acme',
      description: 'Get one thing.',
    });
    expect(tool?.inputSchema).toMatchObject({ type: 'object', required: ['owner', 'thing_id'] });
    expect(tool?.inputSchema).not.toHaveProperty('$schema');
    expect(() => createAgentTools(toolset, { actions: ['ACME_NOPE'] })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
  });

  it('keeps names within the limit and alphabet, unique, and trims descriptions at a sentence or word', () => {
    expect(toolName('GITHUB_GET_A_PULL_REQUEST')).toBe('GITHUB_GET_A_PULL_REQUEST');
    const long = `A_${'VERY_LONG_'.repeat(10)}NAME`;
    const shortened = toolName(long, 64);
    expect(shortened).toHaveLength(64);
    expect(shortened).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(toolName(`${long}_2`, 64)).not.toBe(shortened);
    expect(toolName('MY.ACTION', 64)).toMatch(/^MY_ACTION_[a-z0-9]+$/);
    expect(trimDescription('First sentence here. Second one is long.', 30)).toBe('First sentence here.');
    expect(trimDescription('One. Two three four.', 12)).toBe('One. Two…');
    expect(trimDescription('word '.repeat(10), 12)).toBe('word word…');
    expect(trimDescription('short', 12)).toBe('short');
  });
});

describe('runToolCalls', () => {
  it('runs every call in parallel and answers each by id, errors as readable results', async () => {
    const toolset = toolsetFor();
    const offered = createAgentTools(toolset, { apps: ['acme'] });
    const outcomes = await runToolCalls(
      toolset,
      offered,
      [
        { id: 'call_1', name: 'ACME_GET_THING', arguments: '{"owner":"ada","thing_id":1}' },
        { id: 'call_2', name: 'ACME_GET_THING', arguments: { owner: 'missing', thing_id: 2 } },
        { id: 'call_3', name: 'ACME_GET_THING', arguments: '{"owner":' },
        { id: 'call_4', name: 'ACME_GET_THING', arguments: { owner: 'ada' } },
        { id: 'call_5', name: 'OPEN_DATA_GET', arguments: {} },
      ],
      { entityId: 'user-1' },
    );
    expect(outcomes.map((outcome) => [outcome.id, outcome.isError, outcome.result.error?.code ?? null])).toEqual([
      ['call_1', false, null],
      ['call_2', true, 'UPSTREAM_ERROR'],
      ['call_3', true, 'INVALID_PARAMS'],
      ['call_4', true, 'INVALID_PARAMS'],
      ['call_5', true, 'TOOL_NOT_OFFERED'],
    ]);
    expect(JSON.parse(outcomes[0]?.content ?? '')).toEqual({ path: '/owners/ada/things/1' });
    expect(JSON.parse(outcomes[1]?.content ?? '')).toMatchObject({ error: { code: 'UPSTREAM_ERROR', status: 404 } });
    // Only the two valid calls to offered tools reached the API.
    expect(server.requests.map((request) => request.path).sort()).toEqual([
      '/owners/ada/things/1',
      '/owners/missing/things/2',
    ]);
  });
});

describe('read-only, deprecated and effects', () => {
  const legacy = () =>
    defineConnector({
      id: 'legacy',
      name: 'Legacy',
      version: '0.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: server.url,
      authSchemes: [noAuthScheme()],
      actions: [
        defineAction({
          name: 'LEGACY_LIST_ITEMS',
          description: 'List items (old endpoint).',
          input: z.object({}),
          request: 'GET /v1/items',
          deprecated: true,
        }),
        defineAction({
          name: 'LEGACY_DELETE_ITEM',
          description: 'Delete an item.',
          input: z.object({ id: z.string() }),
          request: 'DELETE /items/{id}',
        }),
      ],
    });

  it('offers only read actions with readOnly, and deprecated ones only when asked or named', () => {
    const toolset = createToolset({ connectors: [acmeConnector(server.url), legacy()] });
    const reads = createAgentTools(toolset, { readOnly: true }).tools.map((tool) => tool.name);
    expect(reads).toEqual(['ACME_GET_THING', 'ACME_GET_FILE', 'ACME_COUNT_THINGS', 'ACME_LIST_PAGES']);
    expect(createAgentTools(toolset, { apps: ['legacy'] }).tools.map((tool) => tool.name)).toEqual([
      'LEGACY_DELETE_ITEM',
    ]);
    expect(
      createAgentTools(toolset, { apps: ['legacy'], includeDeprecated: true }).tools.map((tool) => tool.name),
    ).toEqual(['LEGACY_LIST_ITEMS', 'LEGACY_DELETE_ITEM']);
    expect(createAgentTools(toolset, { actions: ['LEGACY_LIST_ITEMS'] }).tools).toHaveLength(1);
  });

  it('carries effects and the output schema on each tool', () => {
    const toolset = createToolset({ connectors: [acmeConnector(server.url), legacy()] });
    const byName = createAgentTools(toolset).byName;
    expect(byName.get('LEGACY_DELETE_ITEM')?.effects).toEqual({ destructive: true, idempotent: true });
    expect(byName.get('ACME_COUNT_THINGS')?.outputSchema).toMatchObject({
      type: 'object',
      properties: { count: { type: 'number' } },
    });
    expect(byName.get('ACME_COUNT_THINGS')?.outputSchema).not.toHaveProperty('$schema');
    expect(byName.get('ACME_GET_THING')).not.toHaveProperty('outputSchema');
  });
});

describe('router mode', () => {
  const call = (id: string, name: string, args: Record<string, unknown>) => ({ id, name, arguments: args });

  it('offers three meta-tools that search, describe and execute, within the selection', async () => {
    const toolset = toolsetFor();
    const offered = createAgentTools(toolset, { mode: 'router', apps: ['acme'] });
    expect(offered.tools.map((tool) => tool.name)).toEqual([
      ROUTER_TOOL_NAMES.search,
      ROUTER_TOOL_NAMES.schema,
      ROUTER_TOOL_NAMES.execute,
    ]);
    expect(offered.tools[0]?.description).toContain('of acme');
    const [search, schema, outsider] = await runToolCalls(toolset, offered, [
      call('c1', ROUTER_TOOL_NAMES.search, { query: 'create a thing', limit: 3 }),
      call('c2', ROUTER_TOOL_NAMES.schema, { action: 'ACME_FETCH_THING' }),
      call('c3', ROUTER_TOOL_NAMES.schema, { action: 'OPEN_DATA_GET' }),
    ]);
    const results =
      (search?.result.data as { results: Array<{ name: string; app: string }> } | undefined)?.results ?? [];
    expect(results[0]).toEqual({ name: 'ACME_CREATE_THING', app: 'acme', description: 'Create a thing.' });
    expect(results.length).toBeLessThanOrEqual(3);
    expect(results.every((result) => result.app === 'acme')).toBe(true);
    expect(search?.actionName).toBeUndefined();
    expect(schema?.actionName).toBe('ACME_GET_THING');
    expect(schema?.result.data).toMatchObject({
      name: 'ACME_GET_THING',
      effects: { readOnly: true },
      inputSchema: { type: 'object', required: ['owner', 'thing_id'] },
    });
    expect(outsider).toMatchObject({ isError: true, result: { error: { code: 'TOOL_NOT_OFFERED' } } });
    expect(server.requests).toHaveLength(0);
  });

  it('executes several actions in parallel, validating first and resolving credentials as usual', async () => {
    const toolset = toolsetFor();
    toolset.addAuth('acme', { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'key-123' }] });
    const offered = createAgentTools(toolset, { mode: 'router' });
    const outcomes = await runToolCalls(toolset, offered, [
      call('c1', ROUTER_TOOL_NAMES.execute, { action: 'ACME_GET_THING', input: { owner: 'ada', thing_id: 1 } }),
      call('c2', ROUTER_TOOL_NAMES.execute, { action: 'OPEN_DATA_GET', input: {} }),
      call('c3', ROUTER_TOOL_NAMES.execute, { action: 'ACME_GET_THING', input: { owner: 'ada' } }),
      call('c4', ROUTER_TOOL_NAMES.execute, { action: 'ACME_NOPE', input: {} }),
      call('c5', ROUTER_TOOL_NAMES.execute, { input: {} }),
    ]);
    expect(outcomes.map((outcome) => [outcome.actionName, outcome.result.error?.code ?? null])).toEqual([
      ['ACME_GET_THING', null],
      ['OPEN_DATA_GET', null],
      ['ACME_GET_THING', 'INVALID_PARAMS'],
      [undefined, 'ACTION_NOT_FOUND'],
      [undefined, 'INVALID_PARAMS'],
    ]);
    expect(JSON.parse(outcomes[0]?.content ?? '')).toEqual({ path: '/owners/ada/things/1' });
    expect(server.requests.map((request) => request.path).sort()).toEqual(['/data', '/owners/ada/things/1']);
    const acmeRequest = server.requests.find((request) => request.path === '/owners/ada/things/1');
    expect(acmeRequest?.headers['x-api-key']).toBe('key-123');
  });

  it('keeps read-only routers from running writes, and refuses bad search input', async () => {
    const toolset = toolsetFor();
    const offered = createAgentTools(toolset, { mode: 'router', readOnly: true });
    const [write, search, blank, tooMany] = await runToolCalls(toolset, offered, [
      call('c1', ROUTER_TOOL_NAMES.execute, { action: 'ACME_CREATE_THING', input: { owner: 'ada', name: 'x' } }),
      call('c2', ROUTER_TOOL_NAMES.search, { query: 'create thing' }),
      call('c3', ROUTER_TOOL_NAMES.search, { query: ' ' }),
      call('c4', ROUTER_TOOL_NAMES.search, { query: 'thing', limit: 500 }),
    ]);
    expect(write?.result.error?.code).toBe('TOOL_NOT_OFFERED');
    const names = ((search?.result.data as { results: Array<{ name: string }> } | undefined)?.results ?? []).map(
      (result) => result.name,
    );
    expect(names).not.toContain('ACME_CREATE_THING');
    expect(names).toContain('ACME_GET_THING');
    expect(blank?.result.error?.code).toBe('INVALID_PARAMS');
    expect(tooMany?.result.error?.code).toBe('INVALID_PARAMS');
    expect(server.requests).toHaveLength(0);
  });

  it('needs a toolset that can search', () => {
    const toolset = toolsetFor();
    const bare = { listActions: toolset.listActions, executeAction: toolset.executeAction };
    expect(() => createAgentTools(bare, { mode: 'router' })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_ERROR' }),
    );
  });
});
