export { AI_SDK_MAX_TOOL_NAME_LENGTH, createAISDKAdapter } from './ai-sdk-adapter.js';
export type {
  AISDKAdapter,
  AISDKAdapterOptions,
  AISDKToolCall,
  GetToolsOptions,
  HandleToolCallsOptions,
  PlugboardTool,
  PlugboardToolSet,
} from './ai-sdk-adapter.js';
