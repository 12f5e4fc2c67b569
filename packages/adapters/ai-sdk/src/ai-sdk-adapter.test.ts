import { createToolset, defineAction, defineConnector, CONNECTOR_SPEC_VERSION, noAuthScheme } from '@plugboard/core';
import { generateText, stepCountIs, streamText, toolModelMessageSchema, type ModelMessage } from 'ai';
import { MockLanguageModelV3, convertArrayToReadableStream } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RecordingServer } from '@plugboard/testkit';
import { NOTES_TOKEN, notesConnector, startNotesApi } from '../test/notes-api.js';
import { AI_SDK_MAX_TOOL_NAME_LENGTH, createAISDKAdapter, type PlugboardToolSet } from './index.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer Part> ? Part : never;

const usage: GenerateResult['usage'] = {
  inputTokens: { total: 120, noCache: 120, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 80, text: 80, reasoning: undefined },
};

// One assistant turn with six parallel tool calls, as a provider reports them to the SDK: JSON text
// input, ids from the provider.
const PARALLEL_CALLS = [
  {
    type: 'tool-call',
    toolCallId: 'call_valid_get',
    toolName: 'NOTES_GET_NOTE',
    input: '{"notebook":"work","note_id":7}',
  },
  {
    type: 'tool-call',
    toolCallId: 'call_upstream_404',
    toolName: 'NOTES_GET_NOTE',
    input: '{"notebook":"work","note_id":404}',
  },
  { type: 'tool-call', toolCallId: 'call_invalid_input', toolName: 'NOTES_CREATE_NOTE', input: '{"notebook":"work"}' },
  {
    type: 'tool-call',
    toolCallId: 'call_not_offered',
    toolName: 'NOTES_DELETE_NOTEBOOK',
    input: '{"notebook":"legacy"}',
  },
  { type: 'tool-call', toolCallId: 'call_not_json', toolName: 'NOTES_GET_NOTE', input: '{"notebook":' },
  {
    type: 'tool-call',
    toolCallId: 'call_valid_create',
    toolName: 'NOTES_CREATE_NOTE',
    input: '{"notebook":"work","title":"Ship it","text":"Friday, **after** the demo."}',
  },
] as const satisfies GenerateResult['content'];

const toolCallsTurn: GenerateResult = {
  content: [{ type: 'text', text: 'Let me look at those notes.' }, ...PARALLEL_CALLS],
  finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
  usage,
  warnings: [],
};
const textTurn: GenerateResult = {
  content: [{ type: 'text', text: 'Note 7 is the quarterly plan; note 404 does not exist. I created "Ship it".' }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage,
  warnings: [],
};

let notesApi: RecordingServer;
beforeEach(async () => {
  notesApi = await startNotesApi();
});
afterEach(async () => {
  await notesApi.close();
});

async function connectedToolset() {
  const toolset = createToolset({ connectors: [notesConnector(notesApi.url)] });
  const connection = await toolset.initiateConnection({
    app: 'notes',
    entityId: 'user-42',
    connectedAccountParams: { token: NOTES_TOKEN },
  });
  return { toolset, connectedAccountId: connection.connectedAccountId };
}

/** The tool messages of a prompt the SDK sent to the model, as `{ id: [type, value] }`. */
function toolResultsIn(prompt: MockLanguageModelV3['doGenerateCalls'][number]['prompt']) {
  const results: Record<string, [string, unknown]> = {};
  for (const message of prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result') continue;
      expect(results).not.toHaveProperty(part.toolCallId);
      results[part.toolCallId] = [part.output.type, 'value' in part.output ? part.output.value : undefined];
    }
  }
  return results;
}

const expectedResults = {
  call_valid_get: ['json', { notebook: 'work', id: 7, title: 'Quarterly plan' }],
  call_upstream_404: ['error-json', { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 404 }) }],
  call_invalid_input: [
    'error-json',
    { error: expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('title') }) },
  ],
  call_valid_create: ['json', { notebook: 'work', id: 101, title: 'Ship it', text: 'Friday, **after** the demo.' }],
};

function expectOnlyValidCallsReachedTheApi() {
  expect(notesApi.requests.map((request) => `${request.method} ${request.url}`).sort()).toEqual([
    'GET /notebooks/work/notes/404',
    'GET /notebooks/work/notes/7',
    'POST /notebooks/work/notes',
  ]);
  expect(notesApi.requests.every((request) => request.headers['authorization'] === `Bearer ${NOTES_TOKEN}`)).toBe(true);
  expect(JSON.parse(notesApi.requests.find((request) => request.method === 'POST')?.body ?? '')).toEqual({
    title: 'Ship it',
    text: 'Friday, **after** the demo.',
  });
  // The SDK ran the three calls it could parse at once.
  expect(notesApi.maxInFlight).toBe(3);
}

describe('generateText with the mock model, tools executed by the SDK', () => {
  it('runs every parallel tool call, feeds every result back into step 2 by call id, and never throws', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    const model = new MockLanguageModelV3({ doGenerate: [toolCallsTurn, textTurn] });

    const result = await generateText({
      model,
      prompt: 'Read work notes 7 and 404, create "Ship it", and delete the legacy notebook.',
      tools: adapter.getTools({ tags: ['read', 'write'] }, { entityId: 'user-42' }),
      stopWhen: stepCountIs(5),
    });

    expect(result.text).toBe('Note 7 is the quarterly plan; note 404 does not exist. I created "Ship it".');
    expect(result.steps).toHaveLength(2);
    expect(model.doGenerateCalls).toHaveLength(2);
    expectOnlyValidCallsReachedTheApi();

    // Step 1 offered the two selected actions as function tools with their JSON Schemas.
    expect(model.doGenerateCalls[0]?.tools?.map((tool) => tool.name)).toEqual(['NOTES_GET_NOTE', 'NOTES_CREATE_NOTE']);
    expect(model.doGenerateCalls[0]?.tools?.[1]).toMatchObject({
      type: 'function',
      name: 'NOTES_CREATE_NOTE',
      description: 'Create a note in a notebook.',
      inputSchema: {
        type: 'object',
        required: ['notebook', 'title'],
        properties: { title: { type: 'string', minLength: 1, description: 'A one-line title.' } },
      },
    });

    // Step 2's prompt: the assistant turn with all six calls, then one result for each of them.
    const secondPrompt = model.doGenerateCalls[1]?.prompt ?? [];
    const assistant = secondPrompt.find((message) => message.role === 'assistant');
    expect(
      assistant?.content
        .filter((part) => part.type === 'tool-call')
        .map((part) => part.type === 'tool-call' && part.toolCallId),
    ).toEqual(PARALLEL_CALLS.map((call) => call.toolCallId));
    const results = toolResultsIn(secondPrompt);
    expect(Object.keys(results).sort()).toEqual(PARALLEL_CALLS.map((call) => call.toolCallId).sort());
    expect(results).toMatchObject(expectedResults);
    // The SDK answers the calls it cannot parse itself, before any tool runs: a tool that was not
    // offered, and input that is not JSON.
    expect(results['call_not_offered']).toEqual(['error-text', expect.stringContaining('NOTES_DELETE_NOTEBOOK')]);
    expect(results['call_not_json']).toEqual([
      'error-text',
      expect.stringContaining('Invalid input for tool NOTES_GET_NOTE'),
    ]);

    // The app sees each action's result, failures included, as the tool output.
    const outputs = Object.fromEntries(
      result.steps[0]?.toolResults.map((part) => [part.toolCallId, part.output]) ?? [],
    );
    expect(outputs['call_valid_get']).toEqual({
      successful: true,
      data: { notebook: 'work', id: 7, title: 'Quarterly plan' },
      error: null,
    });
    expect(outputs['call_upstream_404']).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'UPSTREAM_ERROR' },
    });
    expect(
      result.steps[0]?.content
        .filter((part) => part.type === 'tool-error')
        .map((part) => part.type === 'tool-error' && part.toolCallId),
    ).toEqual(['call_not_offered', 'call_not_json']);
    expect(JSON.stringify(model.doGenerateCalls)).not.toContain(NOTES_TOKEN);
  });

  it('works the same with streamText', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    const finish = (reason: 'tool-calls' | 'stop'): StreamPart => ({
      type: 'finish',
      finishReason: { unified: reason, raw: reason },
      usage,
    });
    const model = new MockLanguageModelV3({
      doStream: [
        {
          stream: convertArrayToReadableStream<StreamPart>([
            { type: 'stream-start', warnings: [] },
            ...PARALLEL_CALLS,
            finish('tool-calls'),
          ]),
        },
        {
          stream: convertArrayToReadableStream<StreamPart>([
            { type: 'text-start', id: 't1' },
            { type: 'text-delta', id: 't1', delta: 'Done.' },
            { type: 'text-end', id: 't1' },
            finish('stop'),
          ]),
        },
      ],
    });
    const result = streamText({
      model,
      prompt: 'Go.',
      tools: adapter.getTools({ tags: ['read', 'write'] }, { entityId: 'user-42' }),
      stopWhen: stepCountIs(5),
    });
    expect(await result.text).toBe('Done.');
    expectOnlyValidCallsReachedTheApi();
    const results = toolResultsIn(model.doStreamCalls[1]?.prompt ?? []);
    expect(Object.keys(results)).toHaveLength(PARALLEL_CALLS.length);
    expect(results).toMatchObject(expectedResults);
  });

  it('runs with the connection given, and reports a missing one to the model instead of throwing', async () => {
    const { toolset, connectedAccountId } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    const call: GenerateResult = { ...toolCallsTurn, content: [PARALLEL_CALLS[0]] };

    const byConnection = new MockLanguageModelV3({ doGenerate: [call, textTurn] });
    await generateText({
      model: byConnection,
      prompt: 'Go.',
      tools: adapter.getTools({ apps: ['notes'] }, { connectedAccountId }),
      stopWhen: stepCountIs(2),
    });
    expect(toolResultsIn(byConnection.doGenerateCalls[1]?.prompt ?? [])).toEqual({
      call_valid_get: ['json', { notebook: 'work', id: 7, title: 'Quarterly plan' }],
    });

    const stranger = new MockLanguageModelV3({ doGenerate: [call, textTurn] });
    await generateText({
      model: stranger,
      prompt: 'Go.',
      tools: adapter.getTools({ apps: ['notes'] }, { entityId: 'someone-else' }),
      stopWhen: stepCountIs(2),
    });
    expect(toolResultsIn(stranger.doGenerateCalls[1]?.prompt ?? [])).toEqual({
      call_valid_get: ['error-json', { error: expect.objectContaining({ code: 'NO_CREDENTIALS' }) }],
    });
    expect(notesApi.requests).toHaveLength(1);
  });
});

describe('handleToolCalls, for tools without execute', () => {
  it('answers every call in one tool message the SDK accepts, and the follow-up step reads them all', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    const tools = adapter.getTools({ tags: ['read', 'write'] }, { execute: false });
    expect(Object.values(tools).every((tool) => tool.execute === undefined)).toBe(true);
    const model = new MockLanguageModelV3({ doGenerate: [toolCallsTurn, textTurn] });
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Read work notes 7 and 404, create "Ship it", and delete the legacy notebook.' },
    ];

    const first = await generateText({ model, messages, tools });
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toHaveLength(PARALLEL_CALLS.length);
    expect(notesApi.requests).toHaveLength(0);

    const seen: string[] = [];
    const answers = await adapter.handleToolCalls(first, {
      entityId: 'user-42',
      tools,
      onOutcomes: (outcomes) => seen.push(...outcomes.map((outcome) => outcome.id)),
    });
    expectOnlyValidCallsReachedTheApi();
    // The SDK's own schema for a tool message accepts it, and it answers the four calls the SDK
    // left open: the two it could not parse are answered in `response.messages` already.
    expect(toolModelMessageSchema.safeParse(answers).success).toBe(true);
    expect(answers?.content.map((part) => part.type === 'tool-result' && part.toolCallId)).toEqual([
      'call_valid_get',
      'call_upstream_404',
      'call_invalid_input',
      'call_valid_create',
    ]);
    expect(seen).toEqual(['call_valid_get', 'call_upstream_404', 'call_invalid_input', 'call_valid_create']);

    messages.push(...first.response.messages);
    if (answers) messages.push(answers);
    const second = await generateText({ model, messages, tools });
    expect(second.text).toContain('Ship it');
    const results = toolResultsIn(model.doGenerateCalls[1]?.prompt ?? []);
    expect(Object.keys(results).sort()).toEqual(PARALLEL_CALLS.map((call) => call.toolCallId).sort());
    expect(results).toMatchObject(expectedResults);
  });

  it('refuses tools that were not offered, runs JSON text input, and has nothing to say without calls', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    const readTools = adapter.getTools({ tags: ['read'] }, { execute: false });
    adapter.getTools({ tags: ['write'] }, { execute: false });
    const calls = [
      { toolCallId: 'a', toolName: 'NOTES_GET_NOTE', input: { notebook: 'work', note_id: 7 } },
      { toolCallId: 'b', toolName: 'NOTES_CREATE_NOTE', input: { notebook: 'work', title: 'Ship it' } },
      { toolCallId: 'c', toolName: 'NOTES_DELETE_NOTEBOOK', input: { notebook: 'legacy' } },
      { toolCallId: 'd', toolName: 'NOTES_GET_NOTE', input: '{"notebook":"work","note_id":8}' },
      { toolCallId: 'e', toolName: 'web_search', input: {}, providerExecuted: true },
    ];

    // Only the tools sent with the request count as offered...
    const narrow = await adapter.handleToolCalls(calls, { entityId: 'user-42', tools: readTools });
    expect(narrow?.content.map((part) => part.type === 'tool-result' && [part.toolCallId, part.output.type])).toEqual([
      ['a', 'json'],
      ['b', 'error-json'],
      ['c', 'error-json'],
      ['d', 'json'],
    ]);
    expect(narrow?.content[1]).toMatchObject({ output: { value: { error: { code: 'TOOL_NOT_OFFERED' } } } });
    // ...and by default, every tool this adapter handed out; never one it did not.
    const wide = await adapter.handleToolCalls(calls, { entityId: 'user-42' });
    expect(wide?.content.map((part) => part.type === 'tool-result' && [part.toolCallId, part.output.type])).toEqual([
      ['a', 'json'],
      ['b', 'json'],
      ['c', 'error-json'],
      ['d', 'json'],
    ]);
    expect(notesApi.requests.map((request) => `${request.method} ${request.url}`)).not.toContain(
      'DELETE /notebooks/legacy',
    );

    expect(await adapter.handleToolCalls({ toolCalls: [] })).toBeNull();
  });
});

describe('getTools', () => {
  it('gives AI SDK tools keyed by safe names, with trimmed descriptions and the JSON Schema of the input', async () => {
    const longName = `WIKI_${'REALLY_LONG_'.repeat(8)}ACTION`;
    const toolset = createToolset({
      connectors: [
        defineConnector({
          id: 'wiki',
          name: 'Wiki',
          version: '0.0.1',
          specVersion: CONNECTOR_SPEC_VERSION,
          baseUrl: notesApi.url,
          authSchemes: [noAuthScheme()],
          actions: [
            defineAction({
              name: longName,
              description: `Does one thing. ${'And then it keeps explaining. '.repeat(20)}`,
              input: z.object({ page: z.string().describe('The page title.') }),
              request: 'GET /wiki/{page}',
            }),
          ],
        }),
      ],
    });
    const tools: PlugboardToolSet = createAISDKAdapter(toolset, { maxDescriptionLength: 100 }).getTools();
    const [[name, tool]] = Object.entries(tools) as [[string, PlugboardToolSet[string]]];
    expect(name.length).toBeLessThanOrEqual(AI_SDK_MAX_TOOL_NAME_LENGTH);
    expect(name).toMatch(/^WIKI_REALLY_LONG_[A-Za-z0-9_-]+$/);
    expect(tool.description?.length).toBeLessThanOrEqual(100);
    expect(tool.description).toMatch(/^Does one thing\./);
    expect(typeof tool.execute).toBe('function');

    // The model sees the name and schema; calling it runs the long-named action.
    const model = new MockLanguageModelV3({
      doGenerate: [
        {
          ...toolCallsTurn,
          content: [{ type: 'tool-call', toolCallId: 'w1', toolName: name, input: '{"page":"Home"}' }],
        },
        textTurn,
      ],
    });
    await generateText({ model, prompt: 'Go.', tools, stopWhen: stepCountIs(2) });
    expect(model.doGenerateCalls[0]?.tools).toEqual([
      {
        type: 'function',
        name,
        description: tool.description,
        inputSchema: {
          type: 'object',
          properties: { page: { type: 'string', description: 'The page title.' } },
          required: ['page'],
        },
        providerOptions: undefined,
      },
    ]);
    expect(notesApi.requests.map((request) => request.url)).toEqual(['/wiki/Home']);
  });

  it('refuses an unknown action name in the selection', async () => {
    const { toolset } = await connectedToolset();
    expect(() => createAISDKAdapter(toolset).getTools({ actions: ['NOTES_NOPE'] })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
  });
});
