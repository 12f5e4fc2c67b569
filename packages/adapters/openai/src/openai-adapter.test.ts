import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { CONNECTOR_SPEC_VERSION, createToolset, defineAction, defineConnector, noAuthScheme } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeOpenAI } from '../test/fake-openai.js';
import type { RecordingServer, Tracker } from '@plugboard/testkit';
import { TRACKER_TOKEN, startTracker, trackerConnector } from '@plugboard/testkit';
import {
  OPENAI_MAX_TOOL_NAME_LENGTH,
  createOpenAIAdapter,
  type OpenAIFunctionCallOutput,
  type OpenAIToolMessage,
} from './index.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const recordedCompletion = fixture(
  'chat-completion-parallel-tool-calls.json',
) as unknown as OpenAI.Chat.Completions.ChatCompletion;
const recordedResponse = fixture('response-parallel-function-calls.json') as unknown as OpenAI.Responses.Response;
const API_KEY = 'sk-proj-test-key';

let tracker: Tracker;
let fakeOpenAI: RecordingServer;
let completionReply: Record<string, unknown>;
beforeEach(async () => {
  completionReply = structuredClone(recordedCompletion) as unknown as Record<string, unknown>;
  tracker = await startTracker();
  fakeOpenAI = await startFakeOpenAI({
    get chatCompletion() {
      return completionReply;
    },
    response: recordedResponse as unknown as Record<string, unknown>,
  });
});
afterEach(async () => {
  await Promise.all([tracker.close(), fakeOpenAI.close()]);
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

const client = () => new OpenAI({ apiKey: API_KEY, baseURL: `${fakeOpenAI.url}/v1`, maxRetries: 0 });

type Parsed = { id: string; content: unknown };
function parsed(results: (OpenAIToolMessage | OpenAIFunctionCallOutput)[]): Parsed[] {
  return results.map((result) =>
    'tool_call_id' in result
      ? { id: result.tool_call_id, content: JSON.parse(result.content) as unknown }
      : { id: result.call_id, content: JSON.parse(result.output) as unknown },
  );
}
const errorCode = (result: Parsed) => (result.content as { error?: { code: string } }).error?.code;

/** The six recorded calls: fine, upstream 404, missing title, arguments cut short, not offered, fine. */
function expectRecordedOutcomes(results: Parsed[]) {
  expect(results).toEqual([
    {
      id: 'call_Vt3xQm8LrN2aKp5ZcY7bHd1E',
      content: { project: 'web', number: 7, title: 'Login button does nothing', state: 'open' },
    },
    {
      id: 'call_Hs9WqE4yTn6BvR1mLx3KcP8j',
      content: { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 404 }) },
    },
    {
      id: 'call_Pk2NdF7gZr5XwA9qTb4MeC6v',
      content: {
        error: expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('title') }),
      },
    },
    {
      id: 'call_Jx6RcU1hWp8LsD3nQy5GtV2a',
      content: {
        error: expect.objectContaining({ code: 'INVALID_PARAMS', message: 'The tool arguments are not valid JSON.' }),
      },
    },
    {
      id: 'call_Ld4YbK9eMs2QvH7wRn1ZfT5x',
      content: {
        error: expect.objectContaining({
          code: 'TOOL_NOT_OFFERED',
          message: expect.stringContaining('TRACKER_DELETE_PROJECT'),
        }),
      },
    },
    {
      id: 'call_Ea7TgM3cXq1NzB8kVw6PrJ4s',
      content: {
        project: 'web',
        number: 101,
        title: 'Login button does nothing on Safari',
        body: 'Steps: open /login, click **Sign in**.',
        state: 'open',
      },
    },
  ]);
}

/** Only the three runnable calls reached the tracker, with the entity's token, all at once. */
function expectTrackerReceivedValidCalls() {
  expect(tracker.requests.map((request) => `${request.method} ${request.url}`).sort()).toEqual([
    'GET /projects/web/issues/404',
    'GET /projects/web/issues/7',
    'POST /projects/web/issues',
  ]);
  expect(tracker.requests.every((request) => request.headers['authorization'] === `Bearer ${TRACKER_TOKEN}`)).toBe(
    true,
  );
  expect(JSON.parse(tracker.requests.find((request) => request.method === 'POST')?.body ?? '')).toEqual({
    title: 'Login button does nothing on Safari',
    body: 'Steps: open /login, click **Sign in**.',
  });
  expect(tracker.maxInFlight).toBe(3);
}

describe('Chat Completions with the real openai client', () => {
  it('runs every parallel tool call, answers each with a tool message, and the follow-up request is accepted', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const tools = adapter.getTools({ tags: ['read', 'write'] });
    const openai = client();
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'What is web#7 and web#404? File the Safari login bug, and delete the legacy project.' },
    ];

    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages, tools });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toHaveLength(6);

    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
    let ran: string[] = [];
    const results = await adapter.handleToolCalls(completion, {
      entityId: 'user-42',
      onOutcomes: (outcomes) => (ran = outcomes.map((outcome) => outcome.actionName ?? '-')),
    });

    expect(results.every((result) => result.role === 'tool')).toBe(true);
    expectRecordedOutcomes(parsed(results));
    expect(ran).toEqual([
      'TRACKER_GET_ISSUE',
      'TRACKER_GET_ISSUE',
      'TRACKER_CREATE_ISSUE',
      'TRACKER_CREATE_ISSUE',
      '-',
      'TRACKER_CREATE_ISSUE',
    ]);
    expectTrackerReceivedValidCalls();
    expect(JSON.stringify(results)).not.toContain(TRACKER_TOKEN);

    // The next turn, typed by the SDK: the assistant message as received, then one tool message per call.
    const assistant = completion.choices[0]?.message;
    if (!assistant) throw new Error('expected a message');
    messages.push(assistant, ...results);
    const followUp: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming = {
      model: 'gpt-4.1',
      messages,
      tools,
    };
    const final = await openai.chat.completions.create(followUp);
    expect(final.choices[0]?.finish_reason).toBe('stop');

    const sent = JSON.parse(fakeOpenAI.requests[1]?.body ?? '') as { messages: unknown[]; tools: unknown[] };
    expect(fakeOpenAI.requests[1]?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(sent.messages).toHaveLength(8);
    expect(sent.messages[1]).toEqual(recordedCompletion.choices[0]?.message);
    expect(sent.messages.slice(2)).toEqual(
      results.map((result) => ({ role: 'tool', tool_call_id: result.tool_call_id, content: result.content })),
    );
    expect(sent.tools).toEqual(tools);
    // Non-strict tools send no `strict` at all: Chat Completions defaults to off.
    expect(tools.every((tool) => !('strict' in tool.function))).toBe(true);
  });

  it('the fake holds follow-ups to the real rules: a missing tool message is a 400', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const tools = adapter.getTools();
    const openai = client();
    const question: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: 'Go.' };
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages: [question], tools });
    const results = await adapter.handleToolCalls(completion, { entityId: 'user-42' });
    const assistant = completion.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessage;

    const missing = openai.chat.completions.create({
      model: 'gpt-4.1',
      tools,
      messages: [question, assistant, ...results.slice(1)],
    });
    await expect(missing).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(missing).rejects.toThrow(/did not have response messages: call_Vt3xQm8LrN2aKp5ZcY7bHd1E/);
    const orphan = openai.chat.completions.create({ model: 'gpt-4.1', tools, messages: [question, ...results] });
    await expect(orphan).rejects.toThrow(/must be a response to a preceeding message with 'tool_calls'/);

    const accepted = await openai.chat.completions.create({
      model: 'gpt-4.1',
      tools,
      messages: [question, assistant, ...results],
    });
    expect(accepted.choices[0]?.finish_reason).toBe('stop');
  });
});

describe('the Responses API with the real openai client', () => {
  it('runs every parallel function_call, answers each with a function_call_output, and both ways of continuing are accepted', async () => {
    const { toolset, connectedAccountId } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const tools = adapter.getTools({ tags: ['read', 'write'] }, { api: 'responses' });
    const openai = client();
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'What is web#7 and web#404? File the Safari login bug, and delete the legacy project.' },
    ];

    const response = await openai.responses.create({ model: 'gpt-5', input, tools });
    expect(response.output.filter((item) => item.type === 'function_call')).toHaveLength(5);

    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
    const results = await adapter.handleToolCalls(response, { connectedAccountId });
    expect(results.every((result) => result.type === 'function_call_output')).toBe(true);
    const outcomes = parsed(results);
    // The Responses recording has no call with arguments cut short; the other five are the same calls.
    expect(outcomes.map((outcome) => [outcome.id, errorCode(outcome)])).toEqual([
      ['call_Vt3xQm8LrN2aKp5ZcY7bHd1E', undefined],
      ['call_Hs9WqE4yTn6BvR1mLx3KcP8j', 'UPSTREAM_ERROR'],
      ['call_Pk2NdF7gZr5XwA9qTb4MeC6v', 'INVALID_PARAMS'],
      ['call_Ld4YbK9eMs2QvH7wRn1ZfT5x', 'TOOL_NOT_OFFERED'],
      ['call_Ea7TgM3cXq1NzB8kVw6PrJ4s', undefined],
    ]);
    expect(outcomes[0]?.content).toEqual({
      project: 'web',
      number: 7,
      title: 'Login button does nothing',
      state: 'open',
    });
    expectTrackerReceivedValidCalls();

    // Stateless: the whole output (reasoning item included) goes back, then the outputs. (The SDK's
    // output item types are not all input item types, hence the cast.)
    const followUp: OpenAI.Responses.ResponseCreateParamsNonStreaming = {
      model: 'gpt-5',
      tools,
      input: [...input, ...(response.output as OpenAI.Responses.ResponseInputItem[]), ...results],
    };
    const final = await openai.responses.create(followUp);
    expect(final.output_text).toContain('web#101');
    const sent = JSON.parse(fakeOpenAI.requests[1]?.body ?? '') as { input: unknown[]; tools: unknown[] };
    expect(sent.input.slice(1, 7)).toEqual(recordedResponse.output);
    expect(sent.input.slice(7)).toEqual(
      results.map((result) => ({ type: 'function_call_output', call_id: result.call_id, output: result.output })),
    );
    expect(sent.tools).toEqual(tools);

    // Stateful: the outputs alone, after the stored response.
    const chained = await openai.responses.create({
      model: 'gpt-5',
      tools,
      previous_response_id: response.id,
      input: results,
    });
    expect(chained.output_text).toContain('web#101');
  });

  it('sends strict: false on every non-strict tool, since the Responses API would otherwise hold the schema to strict rules', async () => {
    const { toolset } = await connectedToolset();
    const tools = createOpenAIAdapter(toolset).getTools({}, { api: 'responses' });
    expect(tools.map((tool) => tool.strict)).toEqual([false, false, false]);
    const openai = client();
    await expect(openai.responses.create({ model: 'gpt-5', input: 'Go.', tools })).resolves.toBeDefined();
    const withoutStrict = tools.map(({ strict: _strict, ...tool }) => tool);
    await expect(
      openai.responses.create({
        model: 'gpt-5',
        input: 'Go.',
        tools: withoutStrict as OpenAI.Responses.FunctionTool[],
      }),
    ).rejects.toThrow(
      /Invalid schema for function 'TRACKER_GET_ISSUE': In context=\(\), 'additionalProperties' is required to be supplied and to be false/,
    );
  });

  it('the fake holds follow-ups to the real rules: a missing output, or a call without its reasoning item, is a 400', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const tools = adapter.getTools({}, { api: 'responses' });
    const openai = client();
    const response = await openai.responses.create({ model: 'gpt-5', input: 'Go.', tools });
    const results = await adapter.handleToolCalls(response, { entityId: 'user-42' });

    await expect(
      openai.responses.create({ model: 'gpt-5', tools, previous_response_id: response.id, input: results.slice(0, 4) }),
    ).rejects.toThrow(/No tool output found for function call call_Ea7TgM3cXq1NzB8kVw6PrJ4s/);
    const callsOnly = response.output.filter((item) => item.type === 'function_call');
    await expect(openai.responses.create({ model: 'gpt-5', tools, input: [...callsOnly, ...results] })).rejects.toThrow(
      /without its required 'reasoning' item/,
    );
    await expect(openai.responses.create({ model: 'gpt-5', tools, input: results })).rejects.toThrow(
      /No tool call found for function call output/,
    );
  });
});

describe('strict mode', () => {
  it('offers strict tools (optional fields as required and nullable) and removes the nulls before the action runs', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset, { strict: true });
    const [create] = adapter.getTools({ actions: ['TRACKER_CREATE_ISSUE'] });
    expect(create).toEqual({
      type: 'function',
      function: {
        name: 'TRACKER_CREATE_ISSUE',
        description: 'Create an issue in a project.',
        parameters: {
          type: 'object',
          properties: {
            project: { type: 'string', description: 'The project key, e.g. "web".' },
            // minLength is not accepted in strict mode; zod still enforces it.
            title: { type: 'string', description: 'A one-line summary.' },
            body: { type: ['string', 'null'], description: 'Details, in Markdown.' },
          },
          required: ['project', 'title', 'body'],
          additionalProperties: false,
        },
        strict: true,
      },
    });

    // A strict model sends null for a field it leaves out.
    const calls = recordedCompletion.choices[0]?.message.tool_calls ?? [];
    const last = calls[5] as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    completionReply = {
      ...completionReply,
      choices: [
        {
          ...recordedCompletion.choices[0],
          message: {
            ...recordedCompletion.choices[0]?.message,
            tool_calls: [
              {
                ...last,
                function: { ...last.function, arguments: '{"project":"web","title":"Safari login","body":null}' },
              },
            ],
          },
        },
      ],
    };
    const tools = adapter.getTools({ tags: ['read', 'write'] });
    const openai = client();
    // The fake checks strict schemas as the API does: this request would be a 400 otherwise.
    const completion = await openai.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'File it.' }],
      tools,
    });
    const results = await adapter.handleToolCalls(completion, { entityId: 'user-42' });
    expect(parsed(results)).toEqual([
      {
        id: 'call_Ea7TgM3cXq1NzB8kVw6PrJ4s',
        content: { project: 'web', number: 101, title: 'Safari login', state: 'open' },
      },
    ]);
    expect(JSON.parse(tracker.requests[0]?.body ?? '')).toEqual({ title: 'Safari login' });

    const responseTools = adapter.getTools({ tags: ['read', 'write'] }, { api: 'responses' });
    expect(responseTools.map((tool) => tool.strict)).toEqual([true, true]);
    await expect(
      openai.responses.create({ model: 'gpt-5', input: 'Go.', tools: responseTools }),
    ).resolves.toBeDefined();
  });

  it('offers a tool strict mode cannot express without strict, and leaves its nulls alone', async () => {
    const connector = defineConnector({
      id: 'notes',
      name: 'Notes',
      version: '0.0.1',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: tracker.url,
      authSchemes: [noAuthScheme()],
      actions: [
        defineAction({
          name: 'NOTES_TAG',
          description: 'Tag a note.',
          input: z.object({
            note: z.string().describe('The note id.'),
            labels: z.record(z.string(), z.string()).describe('Label name to value.'),
            color: z.string().optional().describe('A color.'),
          }),
          request: { method: 'POST', path: '/projects/{note}/issues' },
        }),
      ],
    });
    const adapter = createOpenAIAdapter(createToolset({ connectors: [connector] }), { strict: true });
    const [chatTool] = adapter.getTools();
    const [responsesTool] = adapter.getTools({}, { api: 'responses' });
    expect(chatTool?.function.strict).toBeUndefined();
    expect(chatTool?.function.parameters['required']).toEqual(['note', 'labels']);
    expect(responsesTool?.strict).toBe(false);

    const results = await adapter.handleToolCalls({
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'NOTES_TAG', arguments: '{"note":"n1","labels":{},"color":null}' },
        },
      ],
    });
    // Not a strict tool, so null is the model's own mistake, for the schema to refuse.
    expect(errorCode(parsed(results)[0] as Parsed)).toBe('INVALID_PARAMS');
    expect(tracker.requests).toEqual([]);
  });
});

describe('getTools', () => {
  it('gives Chat Completions tools by default and flat Responses tools on request, with the field descriptions', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const parameters = {
      type: 'object',
      properties: {
        project: { type: 'string', description: 'The project key, e.g. "web".' },
        title: { type: 'string', minLength: 1, description: 'A one-line summary.' },
        body: { type: 'string', description: 'Details, in Markdown.' },
      },
      required: ['project', 'title'],
    };
    const chatTools: OpenAI.Chat.Completions.ChatCompletionTool[] = adapter.getTools(
      { actions: ['TRACKER_CREATE_ISSUE'] },
      { api: 'chat' },
    );
    expect(chatTools).toEqual([
      {
        type: 'function',
        function: { name: 'TRACKER_CREATE_ISSUE', description: 'Create an issue in a project.', parameters },
      },
    ]);
    const responsesTools: OpenAI.Responses.Tool[] = adapter.getTools(
      { actions: ['TRACKER_CREATE_ISSUE'] },
      { api: 'responses' },
    );
    expect(responsesTools).toEqual([
      {
        type: 'function',
        name: 'TRACKER_CREATE_ISSUE',
        description: 'Create an issue in a project.',
        parameters,
        strict: false,
      },
    ]);
  });

  it('selects by app, tags and action names, and refuses an unknown action name', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    expect(adapter.getTools().map((tool) => tool.function.name)).toEqual([
      'TRACKER_GET_ISSUE',
      'TRACKER_CREATE_ISSUE',
      'TRACKER_DELETE_PROJECT',
    ]);
    expect(
      adapter.getTools({ apps: ['tracker'], tags: ['admin'] }, { api: 'responses' }).map((tool) => tool.name),
    ).toEqual(['TRACKER_DELETE_PROJECT']);
    expect(() => adapter.getTools({ actions: ['TRACKER_NOPE'] })).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_FOUND' }),
    );
  });

  it('keeps names within 64 characters of [a-zA-Z0-9_-], trims long descriptions, and maps a shortened name back to its action', async () => {
    const longName = `LONGNAMES_${'VERY_'.repeat(14)}LONG_ACTION`;
    const connector = defineConnector({
      id: 'longnames',
      name: 'Long names',
      version: '0.0.1',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: tracker.url,
      authSchemes: [noAuthScheme()],
      actions: [
        defineAction({
          name: longName,
          description: `Reads the thing. ${'It has a very long explanation. '.repeat(10)}`,
          input: z.object({ project: z.string().describe('The project key.') }),
          request: 'GET /projects/{project}/issues/{project}',
        }),
      ],
    });
    const adapter = createOpenAIAdapter(createToolset({ connectors: [connector] }), { maxDescriptionLength: 60 });
    const [tool] = adapter.getTools({}, { api: 'responses' });
    expect(longName.length).toBeGreaterThan(OPENAI_MAX_TOOL_NAME_LENGTH);
    expect(tool?.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(tool?.name).toHaveLength(64);
    expect(tool?.description).toBe('Reads the thing. It has a very long explanation.');

    const results = await adapter.handleToolCalls({
      output: [{ type: 'function_call', call_id: 'call_long', name: tool?.name ?? '', arguments: '{"project":"5"}' }],
    });
    expect(parsed(results)).toEqual([
      { id: 'call_long', content: { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 401 }) } },
    ]);
    // It ran the long-named action: the request reached the API (which wants a token this app lacks).
    expect(tracker.requests.map((request) => request.url)).toEqual(['/projects/5/issues/5']);
  });
});

describe('handleToolCalls', () => {
  const functionCall = (id: string, name: string, args: string) => ({
    id,
    type: 'function' as const,
    function: { name, arguments: args },
  });

  it('returns no messages when the response asks for no tool', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    adapter.getTools();
    expect(
      await adapter.handleToolCalls({
        choices: [{ message: { role: 'assistant', content: 'Done.', tool_calls: undefined } }],
      }),
    ).toEqual([]);
    expect(await adapter.handleToolCalls({ choices: [] })).toEqual([]);
    expect(await adapter.handleToolCalls({ output: [{ type: 'message' }] })).toEqual([]);
    expect(tracker.requests).toEqual([]);
  });

  it('offers what getTools handed out by default, or exactly the tools sent with the request', async () => {
    const { toolset, connectedAccountId } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    const message = {
      tool_calls: [
        functionCall('call_1', 'TRACKER_GET_ISSUE', '{"project":"web","issue_number":7}'),
        functionCall('call_2', 'TRACKER_DELETE_PROJECT', '{"project":"web"}'),
      ],
    };

    // Nothing handed out yet: nothing is offered, and nothing runs.
    expect(parsed(await adapter.handleToolCalls(message, { connectedAccountId })).map(errorCode)).toEqual([
      'TOOL_NOT_OFFERED',
      'TOOL_NOT_OFFERED',
    ]);
    expect(tracker.requests).toEqual([]);

    const readTools = adapter.getTools({ tags: ['read'] }, { api: 'responses' });
    adapter.getTools({ tags: ['admin'] });
    // Only the read tool was sent with this request, though the adapter handed out the admin one too.
    expect(
      parsed(await adapter.handleToolCalls(message, { connectedAccountId, tools: readTools })).map(errorCode),
    ).toEqual([undefined, 'TOOL_NOT_OFFERED']);
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /projects/web/issues/7',
    ]);
    // A name in `tools` that the adapter never handed out is not offered either.
    const foreign = await adapter.handleToolCalls(
      { tool_calls: [functionCall('call_3', 'my_own_tool', '{}')] },
      { tools: [{ type: 'function', function: { name: 'my_own_tool' } }] },
    );
    expect(errorCode(parsed(foreign)[0] as Parsed)).toBe('TOOL_NOT_OFFERED');
  });

  it('answers a custom tool call in Chat Completions (every call needs its tool message) and skips other Responses items', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset);
    adapter.getTools();
    const chat = await adapter.handleToolCalls({
      tool_calls: [{ id: 'call_c', type: 'custom', custom: { name: 'grammar_tool', input: 'x' } }],
    });
    expect(parsed(chat)).toEqual([
      {
        id: 'call_c',
        content: {
          error: expect.objectContaining({
            code: 'TOOL_NOT_OFFERED',
            message: expect.stringContaining('grammar_tool'),
          }),
        },
      },
    ]);

    const responses = await adapter.handleToolCalls(
      {
        output: [
          { type: 'web_search_call' },
          { type: 'custom_tool_call', call_id: 'call_custom', name: 'grammar_tool' },
          {
            type: 'function_call',
            call_id: 'call_ns',
            name: 'TRACKER_GET_ISSUE',
            namespace: 'elsewhere',
            arguments: '{}',
          },
          {
            type: 'function_call',
            call_id: 'call_ok',
            name: 'TRACKER_GET_ISSUE',
            arguments: '{"project":"web","issue_number":7}',
          },
        ],
      },
      { entityId: 'user-42' },
    );
    // A namespaced function is someone else's, even with one of our names.
    expect(parsed(responses).map((result) => [result.id, errorCode(result)])).toEqual([
      ['call_ns', 'TOOL_NOT_OFFERED'],
      ['call_ok', undefined],
    ]);
  });

  it('answers arguments that are not a JSON object, and runs as the entity given', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createOpenAIAdapter(toolset, { strict: true });
    adapter.getTools();
    const results = await adapter.handleToolCalls(
      {
        tool_calls: [
          functionCall('call_a', 'TRACKER_GET_ISSUE', '["web",7]'),
          functionCall('call_b', 'TRACKER_GET_ISSUE', 'null'),
          functionCall('call_c', 'TRACKER_GET_ISSUE', ''),
        ],
      },
      { entityId: 'user-42' },
    );
    expect(parsed(results).map(errorCode)).toEqual(['INVALID_PARAMS', 'INVALID_PARAMS', 'INVALID_PARAMS']);

    const stranger = await adapter.handleToolCalls(
      { tool_calls: [functionCall('call_d', 'TRACKER_GET_ISSUE', '{"project":"web","issue_number":7}')] },
      { entityId: 'user-7' },
    );
    expect(parsed(stranger).map(errorCode)).toEqual(['NO_CREDENTIALS']);
    expect(tracker.requests).toEqual([]);
  });
});
