import { ROUTER_TOOL_NAMES, createToolset } from '@plugboard/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordingServer } from '@plugboard/testkit';
import { TRACKER_TOKEN, startTracker, trackerConnector } from '@plugboard/testkit';
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

let tracker: RecordingServer;
beforeEach(async () => {
  tracker = await startTracker();
});
afterEach(async () => {
  await tracker.close();
});

describe('router mode with generateText and the mock model', () => {
  it('reaches an action through search, schema and execute, tools executed by the SDK', async () => {
    const toolset = createToolset({ connectors: [trackerConnector(tracker.url)] });
    await toolset.initiateConnection({
      app: 'tracker',
      entityId: 'user-42',
      connectedAccountParams: { token: TRACKER_TOKEN },
    });
    const adapter = createAISDKAdapter(toolset);
    const model = new MockLanguageModelV3({
      doGenerate: [
        callsTurn([{ id: 'call_search', name: ROUTER_TOOL_NAMES.search, input: { query: 'read an issue' } }]),
        callsTurn([{ id: 'call_schema', name: ROUTER_TOOL_NAMES.schema, input: { action: 'TRACKER_GET_ISSUE' } }]),
        callsTurn([
          {
            id: 'call_get',
            name: ROUTER_TOOL_NAMES.execute,
            input: { action: 'TRACKER_GET_ISSUE', input: { project: 'web', issue_number: 7 } },
          },
          {
            id: 'call_delete',
            name: ROUTER_TOOL_NAMES.execute,
            input: { action: 'TRACKER_DELETE_PROJECT', input: { project: 'legacy' } },
          },
        ]),
        {
          content: [{ type: 'text', text: 'Issue 7: the login button does nothing.' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        },
      ],
    });

    const result = await generateText({
      model,
      prompt: 'Read issue 7 of the web project, then delete the legacy project.',
      tools: adapter.getTools({ mode: 'router', readOnly: true }, { entityId: 'user-42' }),
      stopWhen: stepCountIs(6),
    });

    expect(result.text).toBe('Issue 7: the login button does nothing.');
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
      data: { results: [{ name: 'TRACKER_GET_ISSUE', app: 'tracker' }] },
    });
    expect(outputs['call_schema']).toMatchObject({
      data: { name: 'TRACKER_GET_ISSUE', effects: { readOnly: true }, inputSchema: { type: 'object' } },
    });
    expect(outputs['call_get']).toMatchObject({ successful: true, data: { project: 'web', number: 7 } });
    // Read-only: the delete is refused and nothing is sent for it.
    expect(outputs['call_delete']).toMatchObject({ successful: false, error: { code: 'TOOL_NOT_OFFERED' } });
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /projects/web/issues/7',
    ]);
    expect(tracker.requests[0]?.headers['authorization']).toBe(`Bearer ${TRACKER_TOKEN}`);
  });
});
