export { OPENAI_MAX_TOOL_NAME_LENGTH, createOpenAIAdapter } from './openai-adapter.js';
export type {
  HandleToolCallsOptions,
  OpenAIAdapter,
  OpenAIAdapterOptions,
  OpenAIApi,
  OpenAIChatCompletionLike,
  OpenAIChatMessageLike,
  OpenAIChatTool,
  OpenAIFunctionCallOutput,
  OpenAIResponseLike,
  OpenAIResponsesTool,
  OpenAIToolMessage,
} from './openai-adapter.js';
