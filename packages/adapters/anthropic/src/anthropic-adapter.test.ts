import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { CONNECTOR_SPEC_VERSION, createToolset, defineAction, defineConnector, noAuthScheme } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeAnthropic } from '../test/fake-anthropic.js';
import type { RecordingServer, Tracker } from '@plugboard/testkit';
import { TRACKER_TOKEN, startTracker, trackerConnector } from '@plugboard/testkit';
import { ANTHROPIC_MAX_TOOL_NAME_LENGTH, createAnthropicAdapter, type AnthropicToolResultMessage } from './index.js';

const recorded = JSON.parse(
  readFileSync(new URL('./__fixtures__/parallel-tool-use.json', import.meta.url), 'utf8'),
) as Anthropic.Message;
const MODEL = 'claude-sonnet-4-6';

let tracker: Tracker;
let fakeAnthropic: RecordingServer;
beforeEach(async () => {
  tracker = await startTracker();
  fakeAnthropic = await startFakeAnthropic(recorded);
});
afterEach(async () => {
  await Promise.all([tracker.close(), fakeAnthropic.close()]);
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

const client = () => new Anthropic({ apiKey: 'sk-ant-api03-test-key', baseURL: fakeAnthropic.url, maxRetries: 0 });

function parsed(results: AnthropicToolResultMessage | null) {
  return (results?.content ?? []).map((block) => ({
    id: block.tool_use_id,
    isError: block.is_error ?? false,
    content: JSON.parse(block.content as string) as unknown,
  }));
}

describe('a tool-use turn with the real Anthropic client', () => {
  it('runs every parallel tool_use, answers each in one user message, and the follow-up request is accepted', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    const tools = adapter.getTools({ tags: ['read', 'write'] });
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'What is web#7 and web#404? File the Safari login bug, and delete the legacy project.' },
    ];
    const anthropic = client();

    const message = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, tools, messages });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.filter((block) => block.type === 'tool_use')).toHaveLength(5);

    // The calls the model made at once reach the tracker together, however loaded the machine.
    tracker.answerTogether(3);
    const results = await adapter.handleToolCalls(message, { entityId: 'user-42' });

    expect(results?.role).toBe('user');
    expect(parsed(results)).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        isError: false,
        content: { project: 'web', number: 7, title: 'Login button does nothing', state: 'open' },
      },
      {
        id: 'toolu_01BPFgqa9cTsBqgbZzGb4p5T',
        isError: true,
        content: { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 404 }) },
      },
      {
        id: 'toolu_01CaMVGhRsxsqWwm8Jkd6bWe',
        isError: true,
        content: { error: expect.objectContaining({ code: 'INVALID_PARAMS' }) },
      },
      {
        id: 'toolu_01DkTTpYmRXy8mTG5x8GyxWq',
        isError: true,
        content: {
          error: expect.objectContaining({
            code: 'TOOL_NOT_OFFERED',
            message: expect.stringContaining('TRACKER_DELETE_PROJECT'),
          }),
        },
      },
      {
        id: 'toolu_01EvSLnUfGBvQ9jn2rxPqEJm',
        isError: false,
        content: {
          project: 'web',
          number: 101,
          title: 'Login button does nothing on Safari',
          body: 'Steps: open /login, click **Sign in**.',
          state: 'open',
        },
      },
    ]);
    // Successful results carry no is_error at all; failed ones say so.
    expect(results?.content.map((block) => 'is_error' in block)).toEqual([false, true, true, true, false]);
    // The invalid input names the missing field, so the model can correct itself.
    expect(results?.content[2]?.content).toContain('title');

    // The three valid calls reached the API with the entity's token, all at once; the invalid and
    // not-offered ones sent nothing.
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
    expect(JSON.stringify(results)).not.toContain(TRACKER_TOKEN);

    // The next turn, typed by the SDK: the assistant message as received, then the results.
    messages.push({ role: 'assistant', content: message.content });
    if (results) messages.push(results);
    const followUp: Anthropic.MessageCreateParamsNonStreaming = { model: MODEL, max_tokens: 1024, tools, messages };
    const final = await anthropic.messages.create(followUp);
    expect(final.stop_reason).toBe('end_turn');

    const sent = JSON.parse(fakeAnthropic.requests[1]?.body ?? '') as { messages: unknown[]; tools: unknown[] };
    const headers = fakeAnthropic.requests[1]?.headers ?? {};
    expect(headers['x-api-key'] ?? headers['authorization']).toMatch(/^(Bearer )?sk-ant-api03-test-key$/);
    expect(sent.messages).toHaveLength(3);
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: recorded.content });
    expect(sent.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: results?.content[0]?.content },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01BPFgqa9cTsBqgbZzGb4p5T',
          content: results?.content[1]?.content,
          is_error: true,
        },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01CaMVGhRsxsqWwm8Jkd6bWe',
          content: results?.content[2]?.content,
          is_error: true,
        },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01DkTTpYmRXy8mTG5x8GyxWq',
          content: results?.content[3]?.content,
          is_error: true,
        },
        { type: 'tool_result', tool_use_id: 'toolu_01EvSLnUfGBvQ9jn2rxPqEJm', content: results?.content[4]?.content },
      ],
    });
    expect(sent.tools).toEqual(tools);
  });

  it('the fake API holds follow-ups to the real rules: a missing or misplaced result is a 400', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    const tools = adapter.getTools();
    const anthropic = client();
    const question: Anthropic.MessageParam = { role: 'user', content: 'Go.' };
    const message = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, tools, messages: [question] });
    const results = await adapter.handleToolCalls(message, { entityId: 'user-42' });
    if (!results) throw new Error('expected tool results');
    const assistant: Anthropic.MessageParam = { role: 'assistant', content: message.content };

    const missing = anthropic.messages.create({
      model: MODEL,
      max_tokens: 1024,
      tools,
      messages: [question, assistant, { role: 'user', content: results.content.slice(1) }],
    });
    await expect(missing).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(missing).rejects.toThrow(
      /tool_use` ids were found without `tool_result` blocks immediately after: toolu_01A09q90qw90lq917835lq9/,
    );

    const textFirst = anthropic.messages.create({
      model: MODEL,
      max_tokens: 1024,
      tools,
      messages: [
        question,
        assistant,
        { role: 'user', content: [{ type: 'text', text: 'Here you go:' }, ...results.content] },
      ],
    });
    await expect(textFirst).rejects.toThrow(/must come first/);

    // Answering with the message the adapter built is accepted.
    const accepted = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1024,
      tools,
      messages: [question, assistant, results],
    });
    expect(accepted.stop_reason).toBe('end_turn');
  });
});

describe('getTools', () => {
  it('gives Anthropic tool definitions: name, description and an object input_schema with the field descriptions', async () => {
    const { toolset } = await connectedToolset();
    const tools: Anthropic.ToolUnion[] = createAnthropicAdapter(toolset).getTools({
      actions: ['TRACKER_CREATE_ISSUE'],
    });
    expect(tools).toEqual([
      {
        name: 'TRACKER_CREATE_ISSUE',
        description: 'Create an issue in a project.',
        input_schema: {
          type: 'object',
          properties: {
            project: { type: 'string', description: 'The project key, e.g. "web".' },
            title: { type: 'string', minLength: 1, description: 'A one-line summary.' },
            body: { type: 'string', description: 'Details, in Markdown.' },
          },
          required: ['project', 'title'],
        },
      },
    ]);
  });

  it('selects by app, tags and action names, and refuses an unknown action name', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    expect(adapter.getTools().map((tool) => tool.name)).toEqual([
      'TRACKER_GET_ISSUE',
      'TRACKER_CREATE_ISSUE',
      'TRACKER_DELETE_PROJECT',
    ]);
    expect(adapter.getTools({ apps: ['tracker'], tags: ['admin'] }).map((tool) => tool.name)).toEqual([
      'TRACKER_DELETE_PROJECT',
    ]);
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
    const toolset = createToolset({ connectors: [connector] });
    const adapter = createAnthropicAdapter(toolset, { maxDescriptionLength: 60 });
    const [tool] = adapter.getTools();
    expect(longName.length).toBeGreaterThan(ANTHROPIC_MAX_TOOL_NAME_LENGTH);
    expect(tool?.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(tool?.name).toHaveLength(64);
    expect(tool?.description).toBe('Reads the thing. It has a very long explanation.');

    const results = await adapter.handleToolCalls({
      content: [{ type: 'tool_use', id: 'toolu_long', name: tool?.name ?? '', input: { project: '5' } }],
    });
    expect(parsed(results)).toEqual([
      {
        id: 'toolu_long',
        isError: true,
        content: { error: expect.objectContaining({ code: 'UPSTREAM_ERROR', status: 401 }) },
      },
    ]);
    // It ran the long-named action: the request reached the API (which wants a token this app lacks).
    expect(tracker.requests.map((request) => request.url)).toEqual(['/projects/5/issues/5']);
  });
});

describe('handleToolCalls', () => {
  const toolUse = (id: string, name: string, input: unknown): Anthropic.ToolUseBlockParam => ({
    type: 'tool_use',
    id,
    name,
    input,
  });

  it('returns null when the message asks for no tool', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    adapter.getTools();
    expect(await adapter.handleToolCalls({ content: [{ type: 'text', text: 'Done.' }] })).toBeNull();
    expect(await adapter.handleToolCalls({ content: 'Done.' })).toBeNull();
    expect(tracker.requests).toEqual([]);
  });

  it('offers what getTools handed out by default, or exactly the tools sent with the request', async () => {
    const { toolset, connectedAccountId } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    const calls = {
      content: [
        toolUse('toolu_1', 'TRACKER_GET_ISSUE', { project: 'web', issue_number: 7 }),
        toolUse('toolu_2', 'TRACKER_DELETE_PROJECT', { project: 'web' }),
      ],
    };

    // Nothing handed out yet: nothing is offered, and nothing runs.
    expect(
      parsed(await adapter.handleToolCalls(calls, { connectedAccountId })).map(
        (result) => (result.content as { error: { code: string } }).error.code,
      ),
    ).toEqual(['TOOL_NOT_OFFERED', 'TOOL_NOT_OFFERED']);
    expect(tracker.requests).toEqual([]);

    const readTools = adapter.getTools({ tags: ['read'] });
    adapter.getTools({ tags: ['admin'] });
    // Only the read tool was sent with this request, though the adapter handed out the admin one too.
    const limited = parsed(await adapter.handleToolCalls(calls, { connectedAccountId, tools: readTools }));
    expect(limited.map((result) => [result.id, result.isError])).toEqual([
      ['toolu_1', false],
      ['toolu_2', true],
    ]);
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /projects/web/issues/7',
    ]);
    // A name in `tools` that the adapter never handed out is not offered either.
    const foreign = parsed(
      await adapter.handleToolCalls(
        { content: [toolUse('toolu_3', 'my_own_tool', {})] },
        { tools: [{ name: 'my_own_tool' }] },
      ),
    );
    expect(foreign[0]?.content).toMatchObject({ error: { code: 'TOOL_NOT_OFFERED' } });
  });

  it('answers input that is not an object, and reports every outcome, without throwing', async () => {
    const { toolset, connectedAccountId } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    adapter.getTools();
    let reported: string[] = [];
    const results = await adapter.handleToolCalls(
      {
        content: [
          toolUse('toolu_a', 'TRACKER_GET_ISSUE', ['web', 7]),
          toolUse('toolu_b', 'TRACKER_GET_ISSUE', 'web#7'),
          toolUse('toolu_c', 'TRACKER_GET_ISSUE', { project: 'web', issue_number: 7 }),
        ],
      },
      {
        connectedAccountId,
        onOutcomes: (outcomes) =>
          (reported = outcomes.map(
            (outcome) => `${outcome.id}:${outcome.actionName ?? '-'}:${outcome.result.successful}`,
          )),
      },
    );
    expect(
      parsed(results).map((result) => [
        result.id,
        result.isError,
        (result.content as { error?: { code: string } }).error?.code,
      ]),
    ).toEqual([
      ['toolu_a', true, 'INVALID_PARAMS'],
      ['toolu_b', true, 'INVALID_PARAMS'],
      ['toolu_c', false, undefined],
    ]);
    expect(reported).toEqual([
      'toolu_a:TRACKER_GET_ISSUE:false',
      'toolu_b:TRACKER_GET_ISSUE:false',
      'toolu_c:TRACKER_GET_ISSUE:true',
    ]);
    expect(tracker.requests).toHaveLength(1);
  });

  it('runs as the entity given: one without a connection gets NO_CREDENTIALS and nothing is sent', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    adapter.getTools();
    const results = await adapter.handleToolCalls(
      { content: [toolUse('toolu_1', 'TRACKER_GET_ISSUE', { project: 'web', issue_number: 7 })] },
      { entityId: 'user-7' },
    );
    expect(parsed(results)).toEqual([
      { id: 'toolu_1', isError: true, content: { error: expect.objectContaining({ code: 'NO_CREDENTIALS' }) } },
    ]);
    expect(tracker.requests).toEqual([]);
  });

  it('ignores blocks that are not client tool calls (text, thinking, server tools)', async () => {
    const { toolset } = await connectedToolset();
    const adapter = createAnthropicAdapter(toolset);
    adapter.getTools();
    const results = await adapter.handleToolCalls(
      {
        content: [
          { type: 'thinking', thinking: 'Two things to do.', signature: 'sig' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'tracker' } },
          { type: 'text', text: 'Looking it up.' },
          toolUse('toolu_1', 'TRACKER_GET_ISSUE', { project: 'web', issue_number: 7 }),
        ],
      },
      { entityId: 'user-42' },
    );
    expect(results?.content.map((block) => block.tool_use_id)).toEqual(['toolu_1']);
  });
});
