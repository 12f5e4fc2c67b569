import Anthropic from '@anthropic-ai/sdk';
import { ROUTER_TOOL_NAMES, createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../test/fake-anthropic.js';
import type { RecordingServer } from '@plugboard/testkit';
import { TRACKER_TOKEN, startTracker, trackerConnector } from '@plugboard/testkit';
import { createAnthropicAdapter } from './index.js';

const MODEL = 'claude-sonnet-4-6';

// What Claude answers at each turn of the conversation below, in the Messages API's shape.
function toolUse(id: string, uses: Array<{ id: string; name: string; input: object }>) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: uses.map((use) => ({ type: 'tool_use', caller: { type: 'direct' }, ...use })),
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 420, output_tokens: 60, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

const script = [
  toolUse('msg_01Search', [
    { id: 'toolu_01Search', name: ROUTER_TOOL_NAMES.search, input: { query: 'look up an issue by number' } },
  ]),
  toolUse('msg_02Schema', [
    { id: 'toolu_02Schema', name: ROUTER_TOOL_NAMES.schema, input: { action: 'TRACKER_GET_ISSUE' } },
  ]),
  toolUse('msg_03Execute', [
    {
      id: 'toolu_03Seven',
      name: ROUTER_TOOL_NAMES.execute,
      input: { action: 'TRACKER_GET_ISSUE', input: { project: 'web', issue_number: 7 } },
    },
    {
      id: 'toolu_03Delete',
      name: ROUTER_TOOL_NAMES.execute,
      input: { action: 'TRACKER_DELETE_PROJECT', input: { project: 'web' } },
    },
  ]),
];

let tracker: RecordingServer;
let fakeAnthropic: RecordingServer;
beforeEach(async () => {
  tracker = await startTracker();
  fakeAnthropic = await startFakeAnthropic(script);
});
afterEach(async () => {
  await Promise.all([tracker.close(), fakeAnthropic.close()]);
});

describe('router mode with the real Anthropic client', () => {
  it('reaches an action through search, schema and execute, and refuses what the selection leaves out', async () => {
    const toolset = createToolset({ connectors: [trackerConnector(tracker.url)] });
    await toolset.initiateConnection({
      app: 'tracker',
      entityId: 'user-42',
      connectedAccountParams: { token: TRACKER_TOKEN },
    });
    const adapter = createAnthropicAdapter(toolset);
    const tools = adapter.getTools({ mode: 'router', readOnly: true });
    expect(tools.map((tool) => tool.name)).toEqual([
      ROUTER_TOOL_NAMES.search,
      ROUTER_TOOL_NAMES.schema,
      ROUTER_TOOL_NAMES.execute,
    ]);
    const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-test-key', baseURL: fakeAnthropic.url, maxRetries: 0 });
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is web#7? Then delete the project.' }];
    const answers: unknown[][] = [];

    for (let turn = 0; turn < 4; turn++) {
      const message = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, tools, messages });
      if (message.stop_reason !== 'tool_use') break;
      messages.push({ role: 'assistant', content: message.content });
      const results = await adapter.handleToolCalls(message, { entityId: 'user-42' });
      if (!results) break;
      messages.push(results);
      answers.push(results.content.map((block) => JSON.parse(block.content as string)));
    }

    expect(answers).toHaveLength(3);
    const [[search], [schema], [issue, deletion]] = answers as [unknown[], unknown[], unknown[]];
    expect((search as { results: Array<{ name: string }> }).results[0]?.name).toBe('TRACKER_GET_ISSUE');
    // Read-only: the write and the delete are not even found.
    expect((search as { results: Array<{ name: string }> }).results.map((result) => result.name)).toEqual([
      'TRACKER_GET_ISSUE',
    ]);
    expect(schema).toMatchObject({
      name: 'TRACKER_GET_ISSUE',
      effects: { readOnly: true },
      inputSchema: { type: 'object', required: ['project', 'issue_number'] },
    });
    expect(issue).toEqual({ project: 'web', number: 7, title: 'Login button does nothing', state: 'open' });
    expect(deletion).toMatchObject({ error: { code: 'TOOL_NOT_OFFERED' } });
    // One request reached the API, with the entity's token; the delete sent nothing.
    expect(tracker.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /projects/web/issues/7',
    ]);
    expect(tracker.requests[0]?.headers['authorization']).toBe(`Bearer ${TRACKER_TOKEN}`);
  });
});
