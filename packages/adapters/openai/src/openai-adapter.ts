import { createAgentTools, runToolCalls } from '@plugboard/core';
import type {
  AgentTool,
  AgentToolLimits,
  ExecuteOptions,
  ToolCall,
  ToolCallOutcome,
  ToolSelection,
  ToolsetForAgents,
} from '@plugboard/core';
import { restoreOmitted, toStrictSchema, type OmissionPlan } from './strict-schema.js';

/**
 * OpenAI's limit on a function name (`^[a-zA-Z0-9_-]{1,64}$`).
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools
 */
export const OPENAI_MAX_TOOL_NAME_LENGTH = 64;

/** Which OpenAI API the tools are for: Chat Completions or the Responses API. */
export type OpenAIApi = 'chat' | 'responses';

export interface OpenAIAdapterOptions {
  /**
   * Offer tools in strict mode (Structured Outputs), so the model's arguments always match the
   * schema. Optional fields are then sent as required fields that may be `null`, and a `null` the
   * model sends for one is removed before the action runs. A tool whose schema strict mode cannot
   * express (maps, `allOf`, `oneOf`, values of any type, optional fields inside a union, ...) is
   * offered without strict mode.
   * @default false
   */
  strict?: boolean;
  /**
   * Longest description sent to the model; longer ones are cut at a sentence or word. Every tool
   * description costs input tokens on every request.
   * @default 1024
   */
  maxDescriptionLength?: number;
}

/** A Chat Completions function tool, assignable to the SDK's `ChatCompletionTool`. */
export interface OpenAIChatTool {
  type: 'function';
  function: {
    name: string;
    description: string;
    parameters: Record<string, unknown>;
    /** Present, and `true`, only for a tool offered in strict mode. */
    strict?: boolean;
  };
}

/** A Responses API function tool, assignable to the SDK's `FunctionTool`. */
export interface OpenAIResponsesTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Always sent: the Responses API treats a function tool as strict unless told otherwise. */
  strict: boolean;
}

/** A `role: 'tool'` message answering one tool call; a `ChatCompletionToolMessageParam`. */
export interface OpenAIToolMessage {
  role: 'tool';
  tool_call_id: string;
  /** The action's data as JSON text, or `{"error":{...}}`. */
  content: string;
}

/** A `function_call_output` input item answering one function call; a `ResponseInputItem.FunctionCallOutput`. */
export interface OpenAIFunctionCallOutput {
  type: 'function_call_output';
  call_id: string;
  /** The action's data as JSON text, or `{"error":{...}}`. */
  output: string;
}

interface ChatToolCallLike {
  id: string;
  type?: string;
  function?: { name: string; arguments: string };
  custom?: { name: string; input: string };
}

/** An assistant message of Chat Completions, as returned in `choices[n].message` or kept in your history. */
export interface OpenAIChatMessageLike {
  role?: unknown;
  content?: unknown;
  tool_calls?: readonly ChatToolCallLike[] | null | undefined;
}

/** A `ChatCompletion`, as `chat.completions.create` returns it. Only `choices[0]` is read. */
export interface OpenAIChatCompletionLike {
  choices: readonly { message: OpenAIChatMessageLike }[];
}

/** A `Response` of the Responses API, or its `output` items in an object. Only `function_call` items are read. */
export interface OpenAIResponseLike {
  output: readonly { type: string; call_id?: unknown; name?: unknown; arguments?: unknown; namespace?: unknown }[];
}

interface FunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  arguments?: string;
  namespace?: string | null;
}

export interface HandleToolCallsOptions extends ExecuteOptions {
  /**
   * The tools sent with the request that produced the response (either shape). A call to any
   * other tool is refused with a `TOOL_NOT_OFFERED` result.
   * @default every tool this adapter's getTools has returned
   */
  tools?: readonly (
    | OpenAIChatTool
    | OpenAIResponsesTool
    | { type: string; name?: string; function?: { name: string } }
  )[];
  /** Called once with every call's outcome (action run, result, content sent), e.g. for logging. */
  onOutcomes?: (outcomes: ToolCallOutcome[]) => void;
}

export interface OpenAIAdapter {
  /**
   * The selected actions as function tools for Chat Completions (the default) or the Responses API.
   * Every filter given must match; none given offers every action of the toolset.
   * @example
   * const tools = adapter.getTools({ apps: ['github'] });                               // chat.completions.create({ tools })
   * const tools = adapter.getTools({ apps: ['github'] }, { api: 'responses' });         // responses.create({ tools })
   */
  getTools(selection?: ToolSelection, options?: { api?: 'chat' }): OpenAIChatTool[];
  getTools(selection: ToolSelection | undefined, options: { api: 'responses' }): OpenAIResponsesTool[];
  getTools(selection?: ToolSelection, options?: { api?: OpenAIApi }): OpenAIChatTool[] | OpenAIResponsesTool[];
  /**
   * Runs every tool call of a response in parallel and returns what to append to the conversation,
   * one per call, in the order of the calls (an empty array when there is none):
   * - for a `ChatCompletion` (or an assistant message), `{ role: 'tool', tool_call_id, content }`
   *   messages, to push after the assistant message;
   * - for a `Response`, `{ type: 'function_call_output', call_id, output }` items, for the next
   *   request's `input` (after `response.output`, or alone with `previous_response_id`).
   *
   * Never throws for a tool call: invalid arguments, upstream failures and tools that were not
   * offered come back as results with `{ error: { code, message } }` content the model can read.
   */
  handleToolCalls(
    response: OpenAIChatCompletionLike | OpenAIChatMessageLike,
    options?: HandleToolCallsOptions,
  ): Promise<OpenAIToolMessage[]>;
  handleToolCalls(response: OpenAIResponseLike, options?: HandleToolCallsOptions): Promise<OpenAIFunctionCallOutput[]>;
}

interface HandedOut {
  tool: AgentTool;
  /** Set when the tool went out in strict mode and some of its `null`s stand for omitted fields. */
  plan: OmissionPlan | undefined;
}

/**
 * Offers a toolset's actions to OpenAI models as function tools, for Chat Completions and the
 * Responses API of the `openai` SDK.
 * @example
 * const adapter = createOpenAIAdapter(toolset);
 * const completion = await openai.chat.completions.create({ model, messages, tools: adapter.getTools({ apps: ['github'] }) });
 * messages.push(completion.choices[0].message, ...(await adapter.handleToolCalls(completion, { entityId: 'user-42' })));
 */
export function createOpenAIAdapter(toolset: ToolsetForAgents, options: OpenAIAdapterOptions = {}): OpenAIAdapter {
  const limits: AgentToolLimits = { maxNameLength: OPENAI_MAX_TOOL_NAME_LENGTH };
  if (options.maxDescriptionLength !== undefined) limits.maxDescriptionLength = options.maxDescriptionLength;
  const strictMode = options.strict ?? false;
  // Every tool handed out so far: the default set of offered tools, and the map back to actions.
  const handedOut = new Map<string, HandedOut>();

  function getTools(
    selection: ToolSelection = {},
    getOptions: { api?: OpenAIApi } = {},
  ): OpenAIChatTool[] | OpenAIResponsesTool[] {
    const api = getOptions.api ?? 'chat';
    const { tools } = createAgentTools(toolset, selection, limits);
    const shaped = tools.map((tool) => {
      const strict = strictMode ? toStrictSchema(tool.inputSchema) : undefined;
      handedOut.set(tool.name, { tool, plan: strict?.plan });
      return {
        name: tool.name,
        description: tool.description,
        parameters: strict?.schema ?? tool.inputSchema,
        strict: strict !== undefined,
      };
    });
    if (api === 'responses')
      return shaped.map(({ name, description, parameters, strict }) => ({
        type: 'function',
        name,
        description,
        parameters,
        strict,
      }));
    // Chat Completions defaults to non-strict; `strict` is only sent when it is on.
    return shaped.map(({ strict, ...definition }) => ({
      type: 'function',
      function: strict ? { ...definition, strict } : definition,
    }));
  }

  async function handleToolCalls(
    response: OpenAIChatCompletionLike | OpenAIChatMessageLike | OpenAIResponseLike,
    handleOptions: HandleToolCallsOptions = {},
  ): Promise<OpenAIToolMessage[] | OpenAIFunctionCallOutput[]> {
    const { tools: sent, onOutcomes, ...executeOptions } = handleOptions;
    const responses = 'output' in response && Array.isArray(response.output);
    const calls = responses
      ? responseCalls(response as OpenAIResponseLike)
      : chatCalls(response as OpenAIChatCompletionLike | OpenAIChatMessageLike);
    if (calls.length === 0) return [];

    const offered = new Map<string, AgentTool>();
    const plans = new Map<string, OmissionPlan>();
    for (const name of sent ? sent.map(sentName) : handedOut.keys()) {
      const entry = name === undefined ? undefined : handedOut.get(name);
      if (!entry || name === undefined) continue;
      offered.set(name, entry.tool);
      if (entry.plan) plans.set(name, entry.plan);
    }
    const prepared = calls.map((call) => {
      const plan = plans.get(call.name);
      return plan ? { ...call, arguments: withoutOmitted(call.arguments, plan) } : call;
    });
    const outcomes = await runToolCalls(
      toolset,
      { tools: [...offered.values()], byName: offered },
      prepared,
      executeOptions,
    );
    onOutcomes?.(outcomes);
    if (responses)
      return outcomes.map((outcome) => ({
        type: 'function_call_output' as const,
        call_id: outcome.id,
        output: outcome.content,
      }));
    return outcomes.map((outcome) => ({ role: 'tool' as const, tool_call_id: outcome.id, content: outcome.content }));
  }

  return { getTools, handleToolCalls } as OpenAIAdapter;
}

function chatCalls(response: OpenAIChatCompletionLike | OpenAIChatMessageLike): ToolCall[] {
  const message = 'choices' in response ? response.choices[0]?.message : response;
  // Every tool call needs its tool message, so a custom tool call is answered too (as not offered).
  return (message?.tool_calls ?? []).map((call) => {
    if (call.function) return { id: call.id, name: call.function.name, arguments: call.function.arguments };
    return { id: call.id, name: call.custom?.name ?? call.type ?? 'unknown', arguments: undefined };
  });
}

function responseCalls(response: OpenAIResponseLike): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const output of response.output) {
    const item = output as FunctionCallItem;
    if (item.type !== 'function_call' || typeof item.call_id !== 'string' || typeof item.name !== 'string') continue;
    // A namespaced function came from somewhere else (tool search); its name never matches ours.
    const name = item.namespace ? `${item.namespace}.${item.name}` : item.name;
    calls.push({ id: item.call_id, name, arguments: item.arguments });
  }
  return calls;
}

function sentName(tool: NonNullable<HandleToolCallsOptions['tools']>[number]): string | undefined {
  if (tool.type !== 'function') return undefined;
  return 'function' in tool && tool.function ? tool.function.name : (tool as { name?: string }).name;
}

// Strict tools send `null` for an omitted field. Arguments that are not a JSON object go through
// untouched, for the runner and the action's schema to refuse.
function withoutOmitted(raw: ToolCall['arguments'], plan: OmissionPlan): ToolCall['arguments'] {
  if (typeof raw !== 'string') return raw;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return raw;
  return restoreOmitted(value, plan) as Record<string, unknown>;
}
