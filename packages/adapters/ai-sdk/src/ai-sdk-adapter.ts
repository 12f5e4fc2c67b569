import { createAgentTools, runToolCalls } from '@plugboard/core';
import type {
  ActionResult,
  AgentTool,
  AgentToolLimits,
  ExecuteOptions,
  ToolCall,
  ToolCallOutcome,
  ToolSelection,
  ToolsetForAgents,
} from '@plugboard/core';
import { jsonSchema, tool } from 'ai';
import type { JSONSchema7, JSONValue, Tool, ToolModelMessage, ToolResultPart } from 'ai';

/**
 * The longest tool name the adapter hands out. The AI SDK sets no limit of its own, but OpenAI,
 * Anthropic and Google all refuse names over 64 characters (`^[a-zA-Z0-9_-]{1,64}$`).
 */
export const AI_SDK_MAX_TOOL_NAME_LENGTH = 64;

export interface AISDKAdapterOptions {
  /**
   * Longest description sent to the model; longer ones are cut at a sentence or word.
   * Every tool description costs input tokens on every request.
   * @default 1024
   */
  maxDescriptionLength?: number;
}

/**
 * One action as an AI SDK tool. Its input is the JSON object the model wrote (the action's zod
 * schema checks it when it runs); its output is the action's result, failures included.
 */
export type PlugboardTool = Tool<Record<string, unknown>, ActionResult>;

/** The tools `getTools` returns, keyed by the name the model sees. */
export type PlugboardToolSet = Record<string, PlugboardTool>;

export interface GetToolsOptions extends Omit<ExecuteOptions, 'signal'> {
  /**
   * Give each tool an `execute` function, so that `generateText` and `streamText` run the calls
   * themselves (with the credentials chosen here). `false` leaves it off: the SDK then stops at the
   * tool calls and you run them with `handleToolCalls`.
   * @default true
   */
  execute?: boolean;
}

/** A tool call as the AI SDK reports it (`result.toolCalls`, a step's `toolCalls`, a `tool-call` part). */
export interface AISDKToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** Run by the provider (e.g. a provider's web search): there is nothing to answer. */
  providerExecuted?: boolean | undefined;
  /** The SDK could not parse the call (unknown tool, input that is not JSON) and has answered it already. */
  invalid?: boolean | undefined;
}

export interface HandleToolCallsOptions extends ExecuteOptions {
  /**
   * The tools sent with the request that produced the calls. A call to any other tool is refused
   * with a `TOOL_NOT_OFFERED` result.
   * @default every tool this adapter's `getTools` has returned
   */
  tools?: Readonly<Record<string, unknown>>;
  /** Called once with every call's outcome (action run, result, content), e.g. for logging. */
  onOutcomes?: (outcomes: ToolCallOutcome[]) => void;
}

export interface AISDKAdapter {
  /**
   * The selected actions as AI SDK tools, ready for `generateText({ tools })` or
   * `streamText({ tools })`. Each tool's `execute` runs its action for the entity or connection
   * given here and never throws: invalid input and upstream failures come back as results the
   * model reads (`error-json` output, `{ error: { code, message } }`).
   * Every filter given must match; none given offers every action of the toolset.
   * @example
   * const result = await generateText({
   *   model,
   *   prompt: 'What changed in pull request 1347 of octocat/Hello-World?',
   *   tools: adapter.getTools({ apps: ['github'] }, { entityId: 'user-42' }),
   *   stopWhen: stepCountIs(5),
   * });
   */
  getTools(selection?: ToolSelection, options?: GetToolsOptions): PlugboardToolSet;
  /**
   * For tools without `execute` (`getTools(selection, { execute: false })`): runs every tool call
   * in parallel and returns the one tool message that answers them, or `null` when there is none
   * to answer. Never throws for a tool call. Calls the SDK marked `invalid` (an unknown tool, input
   * that is not JSON) are skipped, because `generateText` already answered them in
   * `response.messages`; calls the provider ran itself are skipped too.
   * @example
   * const result = await generateText({ model, messages, tools });
   * messages.push(...result.response.messages);
   * const answers = await adapter.handleToolCalls(result.toolCalls, { entityId: 'user-42', tools });
   * if (answers) messages.push(answers);
   */
  handleToolCalls(
    toolCalls: readonly AISDKToolCall[] | { toolCalls: readonly AISDKToolCall[] },
    options?: HandleToolCallsOptions,
  ): Promise<ToolModelMessage | null>;
}

/**
 * Offers a toolset's actions to any model through the Vercel AI SDK (`ai`).
 * @example
 * import { generateText, stepCountIs } from 'ai';
 * const adapter = createAISDKAdapter(toolset);
 * const { text } = await generateText({
 *   model,
 *   prompt: 'Star the repository vercel/ai for me.',
 *   tools: adapter.getTools({ apps: ['github'] }, { entityId: 'user-42' }),
 *   stopWhen: stepCountIs(5),
 * });
 */
export function createAISDKAdapter(toolset: ToolsetForAgents, options: AISDKAdapterOptions = {}): AISDKAdapter {
  const limits: AgentToolLimits = { maxNameLength: AI_SDK_MAX_TOOL_NAME_LENGTH };
  if (options.maxDescriptionLength !== undefined) limits.maxDescriptionLength = options.maxDescriptionLength;
  // Every tool handed out so far: the default set of offered tools, and the map back to actions.
  const handedOut = new Map<string, AgentTool>();

  return {
    getTools(selection = {}, toolOptions = {}) {
      const { execute = true, ...executeOptions } = toolOptions;
      const offered = createAgentTools(toolset, selection, limits);
      const tools: PlugboardToolSet = {};
      for (const agentTool of offered.tools) {
        handedOut.set(agentTool.name, agentTool);
        const shared = {
          description: agentTool.description,
          inputSchema: jsonSchema<Record<string, unknown>>(agentTool.inputSchema as JSONSchema7),
          toModelOutput: ({ output }: { output: ActionResult }) => toModelOutput(output),
        };
        tools[agentTool.name] = execute
          ? tool<Record<string, unknown>, ActionResult>({
              ...shared,
              execute: async (input, { toolCallId, abortSignal }) => {
                const call: ToolCall = { id: toolCallId, name: agentTool.name, arguments: toArguments(input) };
                const [outcome] = await runToolCalls(
                  toolset,
                  offered,
                  [call],
                  abortSignal ? { ...executeOptions, signal: abortSignal } : executeOptions,
                );
                // runToolCalls answers every call it is given, so there is exactly one outcome.
                return (outcome as ToolCallOutcome).result;
              },
            })
          : tool<Record<string, unknown>, ActionResult>({
              ...shared,
              outputSchema: jsonSchema<ActionResult>(ACTION_RESULT_SCHEMA),
            });
      }
      return tools;
    },

    async handleToolCalls(response, handleOptions = {}) {
      const { tools: sent, onOutcomes, ...executeOptions } = handleOptions;
      const toolCalls = 'toolCalls' in response ? response.toolCalls : response;
      const calls: ToolCall[] = toolCalls
        .filter((call) => !call.providerExecuted && !call.invalid)
        .map((call) => ({ id: call.toolCallId, name: call.toolName, arguments: toArguments(call.input) }));
      if (calls.length === 0) return null;
      const offered = new Map<string, AgentTool>();
      for (const name of sent ? Object.keys(sent) : handedOut.keys()) {
        const agentTool = handedOut.get(name);
        if (agentTool) offered.set(name, agentTool);
      }
      const outcomes = await runToolCalls(
        toolset,
        { tools: [...offered.values()], byName: offered },
        calls,
        executeOptions,
      );
      onOutcomes?.(outcomes);
      return {
        role: 'tool',
        content: outcomes.map(
          (outcome): ToolResultPart => ({
            type: 'tool-result',
            toolCallId: outcome.id,
            toolName: outcome.name,
            output: toModelOutput(outcome.result),
          }),
        ),
      };
    },
  };
}

// The shape of executeAction's result, for tools whose output arrives from outside (handleToolCalls,
// or a client adding tool results in a chat UI).
const ACTION_RESULT_SCHEMA: JSONSchema7 = {
  type: 'object',
  properties: {
    successful: { type: 'boolean' },
    data: {},
    error: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      ],
    },
  },
  required: ['successful', 'data', 'error'],
};

/**
 * What the model reads: the data, or `{ error }` marked as an error so that providers with an
 * error flag (Anthropic's `is_error`) set it. The provider serializes it, once.
 */
function toModelOutput(result: ActionResult): ToolResultPart['output'] {
  return result.successful
    ? { type: 'json', value: (result.data ?? null) as JSONValue }
    : { type: 'error-json', value: { error: result.error } as unknown as JSONValue };
}

// The SDK hands over the parsed JSON the model wrote, or the raw text when it could not parse it.
// Objects and text go through as they are (the runner parses text as JSON); anything else goes
// through as JSON text, which the runner parses back for the action's input schema to refuse.
function toArguments(input: unknown): ToolCall['arguments'] {
  if (input === undefined || input === null || typeof input === 'string') return input;
  if (typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>;
  return JSON.stringify(input);
}
