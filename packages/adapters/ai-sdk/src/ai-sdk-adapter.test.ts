import { createToolset, defineAction, defineConnector, CONNECTOR_SPEC_VERSION, noAuthScheme } from '@plugboard/core';
import { generateText, stepCountIs, streamText, toolModelMessageSchema, type ModelMessage } from 'ai';
import { MockLanguageModelV3, convertArrayToReadableStream } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTracker, type Tracker, TRACKER_TOKEN, trackerConnector } from '@plugboard/testkit';
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
    toolName: 'TRACKER_GET_ISSUE',
    input: '{"project":"work","issue_number":7}',
  },
  {
    type: 'tool-call',
    toolCallId: 'call_upstream_404',
    toolName: 'TRACKER_GET_ISSUE',
    input: '{"project":"work","issue_number":404}',
  },
  {
    type: 'tool-call',
    toolCallId: 'call_invalid_input',
    toolName: 'TRACKER_CREATE_ISSUE',
    input: '{"project":"work"}',
  },
  {
    type: 'tool-call',
    toolCallId: 'call_not_offered',
    toolName: 'TRACKER_DELETE_PROJECT',
    input: '{"project":"legacy"}',
  },
  { type: 'tool-call', toolCallId: 'call_not_json', toolName: 'TRACKER_GET_ISSUE', input: '{"project":' },
  {
    type: 'tool-call',
    toolCallId: 'call_valid_create',
    toolName: 'TRACKER_CREATE_ISSUE',
    input: '{"project":"work","title":"Ship it","body":"Friday, **after** the demo."}',
  },
] as const satisfies GenerateResult['content'];

const toolCallsTurn: GenerateResult = {
  content: [{ type: 'text', text: 'Let me look at those issues.' }, ...PARALLEL_CALLS],
  finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
  usage,
  warnings: [],
};
const textTurn: GenerateResult = {
  content: [{ type: 'text', text: 'Issue 7 is the login button; issue 404 does not exist. I created "Ship it".' }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage,
  warnings: [],
};

let tracker: Tracker;
beforeEach(async () => {
  tracker = await startTracker();
});
afterEach(async () => {
  await tracker.close();
});

async function connectedToolset() {
  const toolset = createToolset({ connectors: [trackerConnector(tracker.url)] });
  const connection = await toolset.initiateConnection({
    app: 'tracker',
    entityId: 'user-42',
    connectedAccountParams: { token: TRACKER_TOKEN },
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
  call_valid_get: ['json', { project: 'work', number: 7, title: 'Login button does nothing', state: 'open' }],
  call_upstream_404: ['error-json', { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 404 }) }],
  call_invalid_input: [
    'error-json',
    { error: expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('title') }) },
  ],
  call_valid_create: [
    'json',
    { project: 'work', number: 101, title: 'Ship it', body: 'Friday, **after** the demo.', state: 'open' },
  ],
};

function expectOnlyValidCallsReachedTheApi() {
  expect(tracker.requests.map((request) => `${request.method} ${request.url}`).sort()).toEqual([
    'GET /projects/work/issues/404',
    'GET /projects/work/issues/7',
    'POST /projects/work/issues',
  ]);
  expect(tracker.requests.every((request) => request.headers['authorization'] === `Bearer ${TRACKER_TOKEN}`)).toBe(
    true,
  );
  expect(JSON.parse(tracker.requests.find((request) => request.method === 'POST')?.body ?? '')).toEqual({
    title: 'Ship it',
    body: 'Friday, **after** the demo.',
  });
  // The SDK ran the three calls it could parse at once.
  expect(tracker.maxInFlight).toBe(3);
}

describe('generateText with the mock model, tools executed by the SDK', () => {
  it('runs every parallel tool call, feeds every result back into step 2 by call id, and never throws', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAISDKAdapter(toolset);
    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
    const model = new MockLanguageModelV3({ doGenerate: [toolCallsTurn, textTurn] });

    const result = await generateText({
      model,
      prompt: 'Read work issues 7 and 404, create "Ship it", and delete the legacy project.',
      tools: adapter.getTools({ tags: ['read', 'write'] }, { entityId: 'user-42' }),
      stopWhen: stepCountIs(5),
    });

    expect(result.text).toBe('Issue 7 is the login button; issue 404 does not exist. I created "Ship it".');
    expect(result.steps).toHaveLength(2);
    expect(model.doGenerateCalls).toHaveLength(2);
    expectOnlyValidCallsReachedTheApi();

    // Step 1 offered the two selected actions as function tools with their JSON Schemas.
    expect(model.doGenerateCalls[0]?.tools?.map((tool) => tool.name)).toEqual([
      'TRACKER_GET_ISSUE',
      'TRACKER_CREATE_ISSUE',
    ]);
    expect(model.doGenerateCalls[0]?.tools?.[1]).toMatchObject({
      type: 'function',
      name: 'TRACKER_CREATE_ISSUE',
      description: 'Create an issue in a project.',
      inputSchema: {
        type: 'object',
        required: ['project', 'title'],
        properties: { title: { type: 'string', minLength: 1, description: 'A one-line summary.' } },
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
    expect(results['call_not_offered']).toEqual(['error-text', expect.stringContaining('TRACKER_DELETE_PROJECT')]);
    expect(results['call_not_json']).toEqual([
      'error-text',
      expect.stringContaining('Invalid input for tool TRACKER_GET_ISSUE'),
    ]);

    // The app sees each action's result, failures included, as the tool output.
    const outputs = Object.fromEntries(
      result.steps[0]?.toolResults.map((part) => [part.toolCallId, part.output]) ?? [],
    );
    expect(outputs['call_valid_get']).toEqual({
      successful: true,
      data: { project: 'work', number: 7, title: 'Login button does nothing', state: 'open' },
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
    expect(JSON.stringify(model.doGenerateCalls)).not.toContain(TRACKER_TOKEN);
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
    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
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
      tools: adapter.getTools({ apps: ['tracker'] }, { connectedAccountId }),
      stopWhen: stepCountIs(2),
    });
    expect(toolResultsIn(byConnection.doGenerateCalls[1]?.prompt ?? [])).toEqual({
      call_valid_get: ['json', { project: 'work', number: 7, title: 'Login button does nothing', state: 'open' }],
    });

    const stranger = new MockLanguageModelV3({ doGenerate: [call, textTurn] });
    await generateText({
      model: stranger,
      prompt: 'Go.',
      tools: adapter.getTools({ apps: ['tracker'] }, { entityId: 'someone-else' }),
      stopWhen: stepCountIs(2),
    });
    expect(toolResultsIn(stranger.doGenerateCalls[1]?.prompt ?? [])).toEqual({
      call_valid_get: ['error-json', { error: expect.objectContaining({ code: 'NO_CREDENTIALS' }) }],
    });
    expect(tracker.requests).toHaveLength(1);
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
      { role: 'user', content: 'Read work issues 7 and 404, create "Ship it", and delete the legacy project.' },
    ];

    const first = await generateText({ model, messages, tools });
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toHaveLength(PARALLEL_CALLS.length);
    expect(tracker.requests).toHaveLength(0);

    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
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
      { toolCallId: 'a', toolName: 'TRACKER_GET_ISSUE', input: { project: 'work', issue_number: 7 } },
      { toolCallId: 'b', toolName: 'TRACKER_CREATE_ISSUE', input: { project: 'work', title: 'Ship it' } },
      { toolCallId: 'c', toolName: 'TRACKER_DELETE_PROJECT', input: { project: 'legacy' } },
      { toolCallId: 'd', toolName: 'TRACKER_GET_ISSUE', input: '{"project":"work","issue_number":8}' },
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
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).not.toContain(
      'DELETE /projects/legacy',
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
          baseUrl: tracker.url,
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
    expect(tracker.requests.map((request) => request.url)).toEqual(['/wiki/Home']);
  });

  it('refuses an unknown action name in the selection', async () => {
    const { toolset } = await connectedToolset();
    expect(() => createAISDKAdapter(toolset).getTools({ actions: ['TRACKER_NOPE'] })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
  });
});
