import OpenAI from 'openai';
import { ROUTER_TOOL_NAMES, createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../test/fake-openai.js';
import type { RecordingServer } from '@plugboard/testkit';
import { TRACKER_TOKEN, startTracker, trackerConnector } from '@plugboard/testkit';
import { createOpenAIAdapter } from './index.js';

// What the model answers at each round of the conversation below, as Chat Completions returns it.
function toolCalls(id: string, calls: Array<{ id: string; name: string; arguments: object }>) {
  return {
    id,
    object: 'chat.completion',
    created: 1762488512,
    model: 'gpt-4.1-2025-04-14',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 412, completion_tokens: 40, total_tokens: 452 },
  };
}

let tracker: RecordingServer;
let fakeOpenAI: RecordingServer;
beforeEach(async () => {
  tracker = await startTracker();
  fakeOpenAI = await startFakeOpenAI({
    // Strict tools send every field: the search's optional ones come as null.
    chatCompletion: toolCalls('chatcmpl-search', [
      { id: 'call_search', name: ROUTER_TOOL_NAMES.search, arguments: { query: 'new bug', app: null, limit: null } },
    ]),
    chatFollowUps: [
      toolCalls('chatcmpl-schema', [
        { id: 'call_schema', name: ROUTER_TOOL_NAMES.schema, arguments: { action: 'TRACKER_CREATE_ISSUE' } },
      ]),
      toolCalls('chatcmpl-execute', [
        {
          id: 'call_create',
          name: ROUTER_TOOL_NAMES.execute,
          arguments: { action: 'TRACKER_CREATE_ISSUE', input: { project: 'web', title: 'Safari login' } },
        },
        {
          id: 'call_invalid',
          name: ROUTER_TOOL_NAMES.execute,
          arguments: { action: 'TRACKER_CREATE_ISSUE', input: { project: 'web' } },
        },
      ]),
    ],
    response: {},
  });
});
afterEach(async () => {
  await Promise.all([tracker.close(), fakeOpenAI.close()]);
});

describe('router mode with the real OpenAI client', () => {
  it('reaches an action through search, schema and execute over Chat Completions, strict tools included', async () => {
    const toolset = createToolset({ connectors: [trackerConnector(tracker.url)] });
    await toolset.initiateConnection({
      app: 'tracker',
      entityId: 'user-42',
      connectedAccountParams: { token: TRACKER_TOKEN },
    });
    const adapter = createOpenAIAdapter(toolset, { strict: true });
    const tools = adapter.getTools({ mode: 'router', apps: ['tracker'] });
    expect(tools.map((tool) => [tool.function.name, tool.function.strict ?? false])).toEqual([
      [ROUTER_TOOL_NAMES.search, true],
      [ROUTER_TOOL_NAMES.schema, true],
      // An action's input is any object, which strict mode cannot express.
      [ROUTER_TOOL_NAMES.execute, false],
    ]);
    const openai = new OpenAI({ apiKey: 'sk-proj-test-key', baseURL: `${fakeOpenAI.url}/v1`, maxRetries: 0 });
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'File the Safari login bug in web.' },
    ];
    const answers: unknown[][] = [];
    for (let round = 0; round < 4; round++) {
      const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages, tools });
      const message = completion.choices[0]?.message;
      if (!message?.tool_calls) break;
      messages.push(message);
      const results = await adapter.handleToolCalls(completion, { entityId: 'user-42' });
      messages.push(...results);
      answers.push(results.map((result) => JSON.parse(result.content)));
    }

    expect(answers).toHaveLength(3);
    const [[search], [schema], [created, invalid]] = answers as [unknown[], unknown[], unknown[]];
    expect((search as { results: Array<{ name: string }> }).results[0]?.name).toBe('TRACKER_CREATE_ISSUE');
    expect(schema).toMatchObject({ name: 'TRACKER_CREATE_ISSUE', inputSchema: { required: ['project', 'title'] } });
    expect(created).toMatchObject({ project: 'web', title: 'Safari login', state: 'open' });
    expect(invalid).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    // The valid call reached the API with the entity's token; the invalid one sent nothing.
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /projects/web/issues',
    ]);
    expect(tracker.requests[0]?.headers['authorization']).toBe(`Bearer ${TRACKER_TOKEN}`);
  });
});
