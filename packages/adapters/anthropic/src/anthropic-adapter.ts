import type Anthropic from '@anthropic-ai/sdk';
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

/**
 * The Messages API's limit on a tool name (`^[a-zA-Z0-9_-]{1,64}$`).
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use
 */
export const ANTHROPIC_MAX_TOOL_NAME_LENGTH = 64;

export interface AnthropicAdapterOptions {
  /**
   * Longest description sent to Claude; longer ones are cut at a sentence or word.
   * The API sets no limit, but every tool description costs input tokens on every request.
   * @default 1024
   */
  maxDescriptionLength?: number;
}

/** An assistant message as `messages.create` returns it, or as you keep it in your history. */
export interface AnthropicAssistantMessage {
  content: Anthropic.Message['content'] | Anthropic.MessageParam['content'];
}

/** The user turn that answers every `tool_use` block of an assistant message. */
export interface AnthropicToolResultMessage {
  role: 'user';
  /** One `tool_result` per `tool_use`, in the order of the `tool_use` blocks. */
  content: Anthropic.ToolResultBlockParam[];
}

export interface HandleToolCallsOptions extends ExecuteOptions {
  /**
   * The tools sent with the request that produced the message. A call to any other tool is
   * refused with a `TOOL_NOT_OFFERED` result.
   * @default every tool this adapter's `getTools` has returned
   */
  tools?: readonly Pick<Anthropic.Tool, 'name'>[];
  /** Called once with every call's outcome (action run, result, content sent), e.g. for logging. */
  onOutcomes?: (outcomes: ToolCallOutcome[]) => void;
}

export interface AnthropicAdapter {
  /**
   * The selected actions as Anthropic tool definitions, ready for `messages.create({ tools })`.
   * Every filter given must match; none given offers every action of the toolset.
   * @example
   * const tools = adapter.getTools({ apps: ['github'], tags: ['read'] });
   */
  getTools(selection?: ToolSelection): Anthropic.Tool[];
  /**
   * Runs every `tool_use` block of an assistant message in parallel and returns the one user
   * message that answers them all, or `null` when the message asks for no tool. Never throws for a
   * tool call: invalid input, upstream failures and tools that were not offered come back as
   * `tool_result` blocks with `is_error: true` and `{ error: { code, message } }` content.
   * @example
   * messages.push({ role: 'assistant', content: message.content });
   * const results = await adapter.handleToolCalls(message, { entityId: 'user-42' });
   * if (results) messages.push(results);
   */
  handleToolCalls(
    message: AnthropicAssistantMessage,
    options?: HandleToolCallsOptions,
  ): Promise<AnthropicToolResultMessage | null>;
}

/**
 * Offers a toolset's actions to Claude through the Messages API of `@anthropic-ai/sdk`.
 * @example
 * const adapter = createAnthropicAdapter(toolset);
 * const message = await anthropic.messages.create({ model, max_tokens: 1024, messages, tools: adapter.getTools({ apps: ['github'] }) });
 */
export function createAnthropicAdapter(
  toolset: ToolsetForAgents,
  options: AnthropicAdapterOptions = {},
): AnthropicAdapter {
  const limits: AgentToolLimits = { maxNameLength: ANTHROPIC_MAX_TOOL_NAME_LENGTH };
  if (options.maxDescriptionLength !== undefined) limits.maxDescriptionLength = options.maxDescriptionLength;
  // Every tool handed out so far: the default set of offered tools, and the map back to actions.
  const handedOut = new Map<string, AgentTool>();

  return {
    getTools(selection = {}) {
      const { tools } = createAgentTools(toolset, selection, limits);
      return tools.map((tool) => {
        handedOut.set(tool.name, tool);
        return {
          name: tool.name,
          description: tool.description,
          input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
        };
      });
    },

    async handleToolCalls(message, handleOptions = {}) {
      const { tools: sent, onOutcomes, ...executeOptions } = handleOptions;
      const calls: ToolCall[] = [];
      for (const block of typeof message.content === 'string' ? [] : message.content) {
        if (block.type === 'tool_use')
          calls.push({ id: block.id, name: block.name, arguments: toArguments(block.input) });
      }
      if (calls.length === 0) return null;
      const offered = new Map<string, AgentTool>();
      for (const name of sent ? sent.map((tool) => tool.name) : handedOut.keys()) {
        const tool = handedOut.get(name);
        if (tool) offered.set(name, tool);
      }
      const outcomes = await runToolCalls(
        toolset,
        { tools: [...offered.values()], byName: offered },
        calls,
        executeOptions,
      );
      onOutcomes?.(outcomes);
      return {
        role: 'user',
        content: outcomes.map((outcome) => ({
          type: 'tool_result',
          tool_use_id: outcome.id,
          content: outcome.content,
          ...(outcome.isError ? { is_error: true } : {}),
        })),
      };
    },
  };
}

// Claude sends `input` as a JSON object. Anything else goes through as JSON text, which the runner
// parses back to the same value for the action's input schema to refuse.
function toArguments(input: unknown): ToolCall['arguments'] {
  if (input === undefined || input === null) return input;
  if (typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>;
  return JSON.stringify(input);
}
