import { startRecordingServer, type RecordingServer } from '@plugboard/testkit';

interface Block {
  type: string;
  id?: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: unknown;
}
interface Turn {
  role: string;
  content: string | Block[];
}
interface CreateBody {
  model?: unknown;
  max_tokens?: unknown;
  messages?: Turn[];
  tools?: { name?: unknown; input_schema?: { type?: unknown } }[];
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * A local stand-in for the Messages API (`POST /v1/messages`). It answers the first request of a
 * conversation with `toolUseMessage` and any request that ends with tool results with a final text
 * message; given a list, it plays the list in turn (the n-th assistant turn is the n-th message) and
 * then the final text. Before answering it checks the rules the real API enforces on tool use: every `tool_use` is answered
 * by a `tool_result` in the very next (user) message, results come before any other block, and
 * every result names a `tool_use` of the message before. A request breaking a rule gets the API's
 * 400 `invalid_request_error`.
 */
export function startFakeAnthropic(toolUseMessage: object | readonly object[]): Promise<RecordingServer> {
  const script = Array.isArray(toolUseMessage) ? toolUseMessage : [toolUseMessage];
  return startRecordingServer((request) => {
    if (request.method !== 'POST' || request.url !== '/v1/messages')
      return invalid(`Not found: ${request.method} ${request.url}`, 404, 'not_found_error');
    // Older SDKs send the key as x-api-key, 1.x as a bearer token; the API takes either.
    if (!request.headers['x-api-key'] && !request.headers['authorization']?.startsWith('Bearer '))
      return invalid('x-api-key header is required', 401, 'authentication_error');
    if (!request.headers['anthropic-version']) return invalid('anthropic-version: header is required');
    const body = JSON.parse(request.body) as CreateBody;
    if (
      typeof body.model !== 'string' ||
      typeof body.max_tokens !== 'number' ||
      !Array.isArray(body.messages) ||
      body.messages.length === 0
    ) {
      return invalid('model, max_tokens and messages are required');
    }
    for (const [index, tool] of (body.tools ?? []).entries()) {
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name))
        return invalid(`tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      if (tool.input_schema?.type !== 'object')
        return invalid(`tools.${index}.custom.input_schema.type: Input should be 'object'`);
    }
    const problem = checkToolTurns(body.messages);
    if (problem) return invalid(problem);
    const last = body.messages.at(-1);
    const answersTools =
      typeof last?.content !== 'string' && (last?.content ?? []).some((block) => block.type === 'tool_result');
    const turn = body.messages.filter((message) => message.role === 'assistant').length;
    const next = Array.isArray(toolUseMessage) ? script[turn] : answersTools ? undefined : script[0];
    return { json: next ?? finalMessage, headers: { 'request-id': 'req_011CTestFollowUp' } };
  });
}

function checkToolTurns(messages: Turn[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    const blocks = typeof message.content === 'string' ? [] : message.content;
    const results = blocks.filter((block) => block.type === 'tool_result');
    if (results.length > 0) {
      const previous = messages[index - 1];
      const uses = new Set(
        previous?.role === 'assistant' && typeof previous.content !== 'string'
          ? previous.content.filter((block) => block.type === 'tool_use').map((block) => block.id)
          : [],
      );
      const unexpected = results.filter((block) => !uses.has(block.tool_use_id)).map((block) => block.tool_use_id);
      if (message.role !== 'user' || unexpected.length > 0) {
        return `messages.${index}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      const firstOther = blocks.findIndex((block) => block.type !== 'tool_result');
      if (firstOther !== -1 && firstOther < results.length)
        return `messages.${index}: \`tool_result\` blocks must come first in the content of a user message.`;
      for (const [blockIndex, block] of blocks.entries()) {
        if (block.type !== 'tool_result') continue;
        if (block.content !== undefined && typeof block.content !== 'string' && !Array.isArray(block.content))
          return `messages.${index}.content.${blockIndex}.tool_result.content: Input should be a valid string or list`;
        if (block.is_error !== undefined && typeof block.is_error !== 'boolean')
          return `messages.${index}.content.${blockIndex}.tool_result.is_error: Input should be a valid boolean`;
      }
    }
    if (message.role === 'assistant') {
      const uses = blocks.filter((block) => block.type === 'tool_use').map((block) => block.id);
      const next = messages[index + 1];
      const answered = new Set(
        next?.role === 'user' && typeof next.content !== 'string'
          ? next.content.filter((block) => block.type === 'tool_result').map((block) => block.tool_use_id)
          : [],
      );
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return `messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
  }
  return undefined;
}

function invalid(message: string, status = 400, type = 'invalid_request_error') {
  return { status, json: { type: 'error', error: { type, message }, request_id: 'req_011CTestInvalid' } };
}

const finalMessage = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    {
      type: 'text',
      text: 'Issue web#7 is open: "Login button does nothing". I could not read web#404 or create the issue without a title.',
    },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 1210,
    output_tokens: 41,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    service_tier: 'standard',
  },
};
