import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  PlugboardError,
  createAgentTools,
  runToolCalls,
  serializeError,
  type AgentTool,
  type AgentToolLimits,
  type AgentToolSet,
  type CredentialOptions,
  type ToolCallOutcome,
  type ToolSelection,
  type ToolsetForAgents,
} from '@plugboard/core';

/** What a tools/call request carries that can tell whose credentials to use. */
export interface McpRequestContext {
  /** The HTTP request's headers (Streamable HTTP); undefined over stdio. */
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined;
  /** The validated access token, when the transport was given one (`request.auth` on Node HTTP). */
  authInfo: AuthInfo | undefined;
  /** The MCP session, for stateful transports. */
  sessionId: string | undefined;
  /** The tool the model called. */
  toolName: string;
}

/** Whose credentials a call runs with: a fixed entity or connection, or one resolved per request. */
export interface McpCredentialOptions {
  /**
   * The end user every call runs for, unless `connectedAccountId` or `resolveCredentials` says otherwise.
   * @default 'default'
   */
  entityId?: string | undefined;
  /** A specific connection every call uses. */
  connectedAccountId?: string | undefined;
  /**
   * Decides the credentials per tools/call request, for servers that serve several users.
   * Wins over `entityId` and `connectedAccountId`. A thrown error becomes an error result for that call.
   *
   * @example
   * resolveCredentials: ({ authInfo }) => ({ entityId: authInfo?.clientId })
   */
  resolveCredentials?: ((context: McpRequestContext) => CredentialOptions | Promise<CredentialOptions>) | undefined;
}

export interface McpServerOptions extends McpCredentialOptions {
  /**
   * Which actions to offer as tools, and how: `{ apps?, actions?, tags?, readOnly?, includeDeprecated?, mode? }`.
   * `mode: 'router'` offers three meta-tools (search, get an action's schema, execute) that reach every
   * selected action, for catalogues too large to list.
   * @default every action of the toolset that is not deprecated, one tool each
   */
  selection?: ToolSelection | undefined;
  /**
   * Tool name and description limits. MCP allows 128-character names, but many clients pass tools on to
   * a model API that allows 64, so the core default of 64 is kept.
   */
  limits?: AgentToolLimits | undefined;
  /** The name and version the server reports to clients. @default { name: 'plugboard', version: <this package's version> } */
  serverInfo?: { name: string; version: string; title?: string } | undefined;
  /** Guidance for the model on using these tools, sent at initialization. */
  instructions?: string | undefined;
}

/**
 * An MCP server exposing a toolset's actions as tools. tools/list returns each action's name,
 * trimmed description, JSON Schema input, output schema (when the action declares an object one)
 * and annotations (`readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`) from the
 * action's effects; tools/call runs the action with the configured
 * credentials and answers `{ content: [{ type: 'text', text }], isError }`, with the data (or
 * `{ error }`) as `structuredContent` when it is an object. Unknown tools, invalid arguments and
 * upstream failures are error results the model can read, never protocol errors.
 *
 * Connect it to any transport of the SDK, or use `serveStdio` / `createStreamableHttpHandler`.
 * Other capabilities (prompts, resources) can be added with the McpServer API; tools are owned
 * by this server, so do not call `registerTool` on it.
 *
 * @example
 * const server = createMcpServer(toolset, { selection: { apps: ['github'] }, entityId: 'user-42' });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(toolset: ToolsetForAgents, options: McpServerOptions = {}): McpServer {
  return buildMcpServer(toolset, createAgentTools(toolset, options.selection ?? {}, options.limits ?? {}), options);
}

/**
 * Builds a server over tools already selected with core's `createAgentTools`, so a stateless HTTP
 * endpoint selects once and builds a cheap server per request. `options.selection` and
 * `options.limits` are not read: the selection is `offered`.
 *
 * @example
 * const offered = createAgentTools(toolset, { apps: ['github'] });
 * // per request:
 * const server = buildMcpServer(toolset, offered, { entityId: 'user-42' });
 */
export function buildMcpServer(toolset: ToolsetForAgents, offered: AgentToolSet, options: McpServerOptions): McpServer {
  const server = new McpServer(options.serverInfo ?? { name: 'plugboard', version: packageVersion() }, {
    capabilities: { tools: {} },
    ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
  });
  const tools: Tool[] = offered.tools.map(toMcpTool);

  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    let credentials: CredentialOptions;
    try {
      credentials = await credentialsFor(options, {
        headers: extra.requestInfo?.headers,
        authInfo: extra.authInfo,
        sessionId: extra.sessionId,
        toolName: name,
      });
    } catch (error) {
      const serialized = PlugboardError.isInstance(error)
        ? serializeError(error)
        : // The message of a foreign error may hold anything, a token included: keep it out.
          serializeError(
            new PlugboardError(
              'CONFIGURATION_ERROR',
              'The server could not decide whose credentials to use for this call.',
            ),
          );
      return errorResult(JSON.stringify({ error: serialized }), { error: serialized });
    }
    const [outcome] = await runToolCalls(
      toolset,
      offered,
      [{ id: String(extra.requestId), name, arguments: request.params.arguments }],
      {
        ...credentials,
        signal: extra.signal,
      },
    );
    // runToolCalls answers every call it is given, so one call gives one outcome.
    return toCallToolResult(outcome as ToolCallOutcome, offered.byName.get(name));
  });
  return server;
}

/**
 * A tool as tools/list shows it. Annotations are hints for the client (which may ask before a
 * destructive call); `openWorldHint` is true for every action, since each reaches a third-party API,
 * and false for the router's search and schema tools, which only read the catalogue.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool
 */
export function toMcpTool(tool: AgentTool): Tool {
  const { effects } = tool;
  const annotations: NonNullable<Tool['annotations']> = {
    readOnlyHint: effects.readOnly === true,
    openWorldHint: tool.router === undefined || tool.router.kind === 'execute',
  };
  // MCP reads destructive and idempotent only for tools that write; unknown ones keep the client's default.
  if (effects.readOnly !== true && effects.destructive !== undefined) annotations.destructiveHint = effects.destructive;
  if (effects.readOnly !== true && effects.idempotent !== undefined) annotations.idempotentHint = effects.idempotent;
  const mcpTool: Tool = {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    annotations,
  };
  // MCP output schemas describe `structuredContent`, which is always an object.
  if (tool.outputSchema?.['type'] === 'object') mcpTool.outputSchema = tool.outputSchema as Tool['outputSchema'];
  return mcpTool;
}

/**
 * An outcome of core's runner as an MCP tool result. A failed call of a tool with an output schema
 * carries no `structuredContent`, which would have to match that schema; its text says `{ error }`.
 */
export function toCallToolResult(outcome: ToolCallOutcome, tool?: AgentTool): CallToolResult {
  const structured = outcome.result.successful ? outcome.result.data : { error: outcome.result.error };
  const result: CallToolResult = { content: [{ type: 'text', text: outcome.content }], isError: outcome.isError };
  const typed = tool?.outputSchema?.['type'] === 'object';
  if (isPlainObject(structured) && !(typed && outcome.isError)) result.structuredContent = structured;
  return result;
}

async function credentialsFor(options: McpCredentialOptions, context: McpRequestContext): Promise<CredentialOptions> {
  if (options.resolveCredentials) return options.resolveCredentials(context);
  const credentials: CredentialOptions = {};
  if (options.connectedAccountId !== undefined) credentials.connectedAccountId = options.connectedAccountId;
  if (options.entityId !== undefined) credentials.entityId = options.entityId;
  return credentials;
}

function errorResult(text: string, structuredContent: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true, structuredContent };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let version: string | undefined;
function packageVersion(): string {
  version ??= (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  return version;
}
