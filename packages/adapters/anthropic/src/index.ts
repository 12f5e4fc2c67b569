export { ANTHROPIC_MAX_TOOL_NAME_LENGTH, createAnthropicAdapter } from './anthropic-adapter.js';
export type {
  AnthropicAdapter,
  AnthropicAdapterOptions,
  AnthropicAssistantMessage,
  AnthropicToolResultMessage,
  HandleToolCallsOptions,
} from './anthropic-adapter.js';
