import { ROUTER_TOOL_NAMES, createToolset } from '@plugboard/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../test/http-server.js';
import { NOTES_TOKEN, notesConnector, startNotesApi } from '../test/notes-api.js';
import { createAISDKAdapter } from './index.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

const usage: GenerateResult['usage'] = {
  inputTokens: { total: 120, noCache: 120, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 30, text: 30, reasoning: undefined },
};

// One model turn calling tools, as a provider reports it to the SDK: JSON text input.
function callsTurn(calls: Array<{ id: string; name: string; input: object }>): GenerateResult {
  return {
    content: calls.map((call) => ({
      type: 'tool-call' as const,
      toolCallId: call.id,
      toolName: call.name,
      input: JSON.stringify(call.input),
    })),
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage,
    warnings: [],
  };
}

let notesApi: LocalServer;
beforeEach(async () => {
  notesApi = await startNotesApi();
});
afterEach(async () => {
  await notesApi.close();
});

describe('router mode with generateText and the mock model', () => {
  it('reaches an action through search, schema and execute, tools executed by the SDK', async () => {
    const toolset = createToolset({ connectors: [notesConnector(notesApi.url)] });
    await toolset.initiateConnection({
      app: 'notes',
      entityId: 'user-42',
      connectedAccountParams: { token: NOTES_TOKEN },
    });
    const adapter = createAISDKAdapter(toolset);
    const model = new MockLanguageModelV3({
      doGenerate: [
        callsTurn([{ id: 'call_search', name: ROUTER_TOOL_NAMES.search, input: { query: 'read a note' } }]),
        callsTurn([{ id: 'call_schema', name: ROUTER_TOOL_NAMES.schema, input: { action: 'NOTES_GET_NOTE' } }]),
        callsTurn([
          {
            id: 'call_get',
            name: ROUTER_TOOL_NAMES.execute,
            input: { action: 'NOTES_GET_NOTE', input: { notebook: 'work', note_id: 7 } },
          },
          {
            id: 'call_delete',
            name: ROUTER_TOOL_NAMES.execute,
            input: { action: 'NOTES_DELETE_NOTEBOOK', input: { notebook: 'legacy' } },
          },
        ]),
        {
          content: [{ type: 'text', text: 'Note 7 is the quarterly plan.' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        },
      ],
    });

    const result = await generateText({
      model,
      prompt: 'Read note 7 of my work notebook, then delete the legacy notebook.',
      tools: adapter.getTools({ mode: 'router', readOnly: true }, { entityId: 'user-42' }),
      stopWhen: stepCountIs(6),
    });

    expect(result.text).toBe('Note 7 is the quarterly plan.');
    expect(model.doGenerateCalls[0]?.tools?.map((tool) => tool.name)).toEqual([
      ROUTER_TOOL_NAMES.search,
      ROUTER_TOOL_NAMES.schema,
      ROUTER_TOOL_NAMES.execute,
    ]);
    const outputs = Object.fromEntries(
      result.steps.flatMap((step) => step.toolResults).map((toolResult) => [toolResult.toolCallId, toolResult.output]),
    );
    expect(outputs['call_search']).toMatchObject({
      successful: true,
      data: { results: [{ name: 'NOTES_GET_NOTE', app: 'notes' }] },
    });
    expect(outputs['call_schema']).toMatchObject({
      data: { name: 'NOTES_GET_NOTE', effects: { readOnly: true }, inputSchema: { type: 'object' } },
    });
    expect(outputs['call_get']).toMatchObject({ successful: true, data: { notebook: 'work', id: 7 } });
    // Read-only: the delete is refused and nothing is sent for it.
    expect(outputs['call_delete']).toMatchObject({ successful: false, error: { code: 'TOOL_NOT_OFFERED' } });
    expect(notesApi.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /notebooks/work/notes/7',
    ]);
    expect(notesApi.requests[0]?.headers['authorization']).toBe(`Bearer ${NOTES_TOKEN}`);
  });
});
