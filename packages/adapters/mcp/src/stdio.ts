import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolsetForAgents } from '@plugboard/core';
import { createMcpServer, type McpServerOptions } from './mcp-server.js';

export interface StdioServerOptions extends McpServerOptions {
  /** @default process.stdin */
  stdin?: Readable | undefined;
  /** @default process.stdout */
  stdout?: Writable | undefined;
}

export interface RunningStdioServer {
  server: McpServer;
  close(): Promise<void>;
}

/**
 * Serves a toolset's actions over stdio, the transport desktop MCP clients spawn servers with.
 * One process serves one user: pass `entityId` or `connectedAccountId`. Nothing but MCP messages
 * may be written to stdout while it runs; log to stderr.
 *
 * @example
 * await serveStdio(toolset, { selection: { apps: ['github'] }, entityId: 'user-42' });
 */
export async function serveStdio(
  toolset: ToolsetForAgents,
  options: StdioServerOptions = {},
): Promise<RunningStdioServer> {
  const { stdin, stdout, ...serverOptions } = options;
  const server = createMcpServer(toolset, serverOptions);
  const transport = new StdioServerTransport(stdin, stdout);
  await server.connect(transport);
  return { server, close: () => server.close() };
}
