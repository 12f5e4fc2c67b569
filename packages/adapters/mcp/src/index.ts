export { buildMcpServer, createMcpServer, toCallToolResult, toMcpTool } from './mcp-server.js';
export type { McpCredentialOptions, McpRequestContext, McpServerOptions } from './mcp-server.js';
export { serveStdio } from './stdio.js';
export type { RunningStdioServer, StdioServerOptions } from './stdio.js';
export { createStreamableHttpHandler, serveHttp } from './streamable-http.js';
export type {
  McpHttpHandler,
  McpHttpRequest,
  RunningHttpServer,
  ServeHttpOptions,
  StreamableHttpOptions,
} from './streamable-http.js';
export { MCP_CLI_USAGE, UsageError, runMcpCli } from './run-mcp-cli.js';
export type { McpCliIo } from './run-mcp-cli.js';
