import { startRecordingServer, type RecordingServer, type Reply } from '@plugboard/testkit';

type Json = Record<string, unknown>;

export interface FakeOpenAIReplies {
  /** The `ChatCompletion` that answers a conversation that does not end with tool results. */
  chatCompletion: Json;
  /** The `Response` that answers an input without function call outputs. */
  response: Json;
  /**
   * `ChatCompletion`s that answer the turns bringing tool results, in order (the first answers the
   * first such turn), before the final text answer: a conversation of several tool-call rounds.
   */
  chatFollowUps?: Json[];
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// What the fake accepts in a strict schema: the subset OpenAI documents for Structured Outputs.
const STRICT_KEYWORDS = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);

/**
 * A local stand-in for the OpenAI API: `POST /v1/chat/completions` and `POST /v1/responses`. It
 * answers a first turn with the recorded response and a turn that brings tool results with a final
 * text answer, after checking the rules the real API enforces, with its 400 error bodies:
 * - tool names match `^[a-zA-Z0-9_-]{1,64}$`; parameters are an object schema; a strict tool's
 *   schema has every property required and `additionalProperties: false` on every object, and only
 *   supported keywords (the Responses API treats a tool as strict unless `strict: false`);
 * - Chat Completions: an assistant message with `tool_calls` is followed by one `tool` message per
 *   call id, and a `tool` message answers a call of the assistant message before it;
 * - Responses: every `function_call` in `input` (or in the `previous_response_id` response) has
 *   its `function_call_output`, every output answers a known call, and a function call of a
 *   reasoning model comes back with its reasoning item.
 */
export function startFakeOpenAI(replies: FakeOpenAIReplies): Promise<RecordingServer> {
  // What the fake has answered, for `previous_response_id`.
  const stored = new Map<string, Json[]>();
  let responseCount = 0;
  return startRecordingServer((request) => {
    if (request.headers['authorization'] !== 'Bearer sk-proj-test-key') {
      return error(
        401,
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        null,
        'invalid_api_key',
      );
    }
    const body = JSON.parse(request.body) as Json;
    if (request.method === 'POST' && request.url === '/v1/chat/completions')
      return chat(body, replies.chatCompletion, replies.chatFollowUps ?? []);
    if (request.method === 'POST' && request.url === '/v1/responses') {
      const reply = responses(body, replies.response, stored, ++responseCount);
      return reply;
    }
    return error(404, `Invalid URL (${request.method} ${request.url})`, null, null);
  });
}

function chat(body: Json, recorded: Json, followUps: Json[]): Reply {
  if (typeof body['model'] !== 'string') return error(400, 'you must provide a model parameter', 'model', null);
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0)
    return error(
      400,
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  for (const [index, tool] of ((body['tools'] as Json[] | undefined) ?? []).entries()) {
    const definition = tool['function'] as Json | undefined;
    if (tool['type'] !== 'function' || !definition)
      return error(400, `Invalid value for 'tools[${index}].type'.`, `tools[${index}].type`, 'invalid_value');
    const problem = checkTool(definition, definition['strict'] === true, `tools[${index}].function`);
    if (problem) return problem;
  }
  const turns = messages as Json[];
  for (const [index, message] of turns.entries()) {
    if (message['role'] === 'assistant' && Array.isArray(message['tool_calls'])) {
      const ids = (message['tool_calls'] as Json[]).map((call) => call['id'] as string);
      const answered = new Set<string>();
      for (const next of turns.slice(index + 1)) {
        if (next['role'] !== 'tool') break;
        answered.add(next['tool_call_id'] as string);
      }
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return error(
          400,
          `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`,
          `messages.[${index}].role`,
          null,
        );
      }
    }
    if (message['role'] === 'tool') {
      let previous = index - 1;
      while (previous >= 0 && turns[previous]?.['role'] === 'tool') previous--;
      const calls = ((turns[previous]?.['tool_calls'] as Json[] | undefined) ?? []).map((call) => call['id']);
      if (!calls.includes(message['tool_call_id'])) {
        return error(
          400,
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
          null,
        );
      }
      if (typeof message['content'] !== 'string' && !Array.isArray(message['content'])) {
        return error(
          400,
          `Invalid type for 'messages[${index}].content': expected one of a string or array of objects, but got ${typeof message['content']} instead.`,
          `messages[${index}].content`,
          'invalid_type',
        );
      }
    }
  }
  if (turns.at(-1)?.['role'] !== 'tool') return { json: recorded };
  const rounds = turns.filter((message) => message['role'] === 'assistant').length;
  const followUp = followUps[rounds - 1];
  if (followUp) return { json: followUp };
  return {
    json: {
      ...recorded,
      id: 'chatcmpl-CZr8MfinalAnswer0000000000000',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Issue web#7 is open: "Login button does nothing". I filed web#101; I could not read web#404.',
            refusal: null,
            annotations: [],
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
    },
  };
}

function responses(body: Json, recorded: Json, stored: Map<string, Json[]>, count: number): Reply {
  if (typeof body['model'] !== 'string')
    return error(400, "Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const tools = (body['tools'] as Json[] | undefined) ?? [];
  for (const [index, tool] of tools.entries()) {
    if (tool['type'] !== 'function') continue;
    // The Responses API makes a function tool strict unless it says otherwise.
    const problem = checkTool(tool, tool['strict'] !== false, `tools[${index}]`);
    if (problem) return problem;
  }
  const input =
    typeof body['input'] === 'string'
      ? [{ role: 'user', content: body['input'] }]
      : ((body['input'] as Json[] | undefined) ?? []);
  const previous = typeof body['previous_response_id'] === 'string' ? stored.get(body['previous_response_id']) : [];
  if (previous === undefined)
    return error(
      400,
      `Previous response with id '${String(body['previous_response_id'])}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );

  const calls = [...previous, ...input].filter((item) => item['type'] === 'function_call');
  const outputs = input.filter((item) => item['type'] === 'function_call_output');
  for (const output of outputs) {
    if (!calls.some((call) => call['call_id'] === output['call_id']))
      return error(
        400,
        `No tool call found for function call output with call_id ${String(output['call_id'])}.`,
        'input',
        null,
      );
    if (typeof output['output'] !== 'string' && !Array.isArray(output['output']))
      return error(
        400,
        "Invalid type for 'input[].output': expected one of a string or array of objects.",
        'input',
        'invalid_type',
      );
  }
  for (const call of calls) {
    if (!outputs.some((output) => output['call_id'] === call['call_id']))
      return error(400, `No tool output found for function call ${String(call['call_id'])}.`, 'input', null);
  }
  // A function call handed back by hand must bring the reasoning item that preceded it.
  for (const [, items] of stored) {
    for (const [position, item] of items.entries()) {
      if (item['type'] !== 'function_call' || !input.some((given) => given['id'] === item['id'])) continue;
      const reasoning = items.slice(0, position).findLast((earlier) => earlier['type'] === 'reasoning');
      if (reasoning && !input.some((given) => given['id'] === reasoning['id'])) {
        return error(
          400,
          `Item '${String(item['id'])}' of type 'function_call' was provided without its required 'reasoning' item: '${String(reasoning['id'])}'.`,
          'input',
          null,
        );
      }
    }
  }

  const id = `${String(recorded['id'])}_${count}`;
  const output: Json[] =
    outputs.length > 0
      ? [
          {
            id: `msg_68a1f3d0c4e58190f6d8c0e2a4b6c8d${count}`,
            type: 'message',
            status: 'completed',
            role: 'assistant',
            content: [
              {
                type: 'output_text',
                text: 'Issue web#7 is open. I filed web#101; web#404 does not exist.',
                annotations: [],
                logprobs: [],
              },
            ],
          },
        ]
      : (recorded['output'] as Json[]);
  stored.set(id, output);
  return { json: { ...recorded, id, output, tools, previous_response_id: body['previous_response_id'] ?? null } };
}

function checkTool(tool: Json, strict: boolean, at: string): Reply | undefined {
  const name = tool['name'];
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    return error(
      400,
      `Invalid '${at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      `${at}.name`,
      'invalid_value',
    );
  }
  const parameters = tool['parameters'] as Json | undefined;
  if (parameters?.['type'] !== 'object')
    return error(
      400,
      `Invalid schema for function '${name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${String(parameters?.['type'])}"'.`,
      `${at}.parameters`,
      'invalid_function_parameters',
    );
  const problem = strict ? strictProblem(parameters, []) : undefined;
  if (problem)
    return error(
      400,
      `Invalid schema for function '${name}': ${problem}`,
      `${at}.parameters`,
      'invalid_function_parameters',
    );
  return undefined;
}

function strictProblem(schema: Json, context: string[]): string | undefined {
  const where = `In context=(${context.map((part) => `'${part}'`).join(', ')})`;
  for (const keyword of Object.keys(schema)) {
    if (!STRICT_KEYWORDS.has(keyword)) return `${where}, '${keyword}' is not permitted.`;
  }
  const type = schema['type'];
  if (type === 'object' || (Array.isArray(type) && type.includes('object'))) {
    if (schema['additionalProperties'] !== false)
      return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const properties = (schema['properties'] ?? {}) as Record<string, Json>;
    const required = (schema['required'] ?? []) as string[];
    const missing = Object.keys(properties).filter((key) => !required.includes(key));
    if (missing.length > 0)
      return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [key, property] of Object.entries(properties)) {
      const problem = strictProblem(property, [...context, 'properties', key]);
      if (problem) return problem;
    }
  }
  if (schema['items']) return strictProblem(schema['items'] as Json, [...context, 'items']);
  for (const [index, branch] of ((schema['anyOf'] as Json[] | undefined) ?? []).entries()) {
    const problem = strictProblem(branch, [...context, 'anyOf', String(index)]);
    if (problem) return problem;
  }
  return undefined;
}

function error(status: number, message: string, param: string | null, code: string | null): Reply {
  return {
    status,
    json: { error: { message, type: 'invalid_request_error', param, code } },
    headers: { 'x-request-id': 'req_5f1d2c3b4a596877' },
  };
}
