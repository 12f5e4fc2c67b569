import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';
import { acmeConnector, publicConnector } from '../../test/fixtures.js';
import { createAgentTools, createToolset, runToolCalls, toolName, trimDescription } from '../index.js';

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
