import { createRoute, z } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  createAgentTools,
  PlugboardError,
  type AgentToolSet,
  type CredentialOptions,
  type Toolset,
  type ToolSelection,
} from '@plugboard/core';
import { buildMcpServer } from '@plugboard/mcp';
import { createRouter } from '../http/router.js';
import { listQuery, problemResponses } from './fields.js';

const ENTITY_ID = /^[^\u0000-\u001f\u007f]{1,256}$/;

const entityParams = z.object({
  entityId: z
    .string()
    .regex(ENTITY_ID)
    .openapi({ param: { name: 'entityId', in: 'path' }, example: 'user-42', description: 'The end user.' }),
});

const selectionQuery = z.object({
  apps: listQuery.openapi({ type: 'string', example: 'github', description: 'Comma-separated app ids.' }),
  tags: listQuery.openapi({ type: 'string', description: 'Comma-separated; an action with any of them is offered.' }),
  actions: listQuery.openapi({ type: 'string', description: 'Comma-separated action names or aliases.' }),
  mode: z.enum(['actions', 'router']).default('actions').openapi({
    description:
      '`actions`: one tool per selected action; `router`: three meta-tools (search, get a schema, execute) reaching every selected action.',
  }),
  readOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .openapi({ type: 'string', description: 'Only actions that only read.' }),
  connectedAccountId: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: "Run every call with this connection (of the entity) instead of the entity's latest." }),
});

const MCP_DESCRIPTION =
  'A stateless [MCP Streamable HTTP](https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http) ' +
  "endpoint serving the project's actions as tools, run with the entity's connections. Send JSON-RPC messages " +
  '(`initialize`, `tools/list`, `tools/call`) with `Accept: application/json, text/event-stream`; answers are JSON. ' +
  'The query selects the tools, as `GET /v1/tools` does. Upstream failures are tool results with `isError`, never HTTP errors.';

// Selections remembered per project toolset; clients reuse a handful of endpoint URLs.
const MAX_SELECTIONS = 64;

/**
 * The tools a selection offers, selected once per project toolset and selection: selecting among
 * thousands of actions takes tens of milliseconds or more, and every MCP message is a request of
 * its own. The server adds no actions at run time, so a selection never goes stale.
 */
function selectedTools(): (toolset: Toolset, selection: ToolSelection) => AgentToolSet {
  const byToolset = new WeakMap<Toolset, Map<string, AgentToolSet>>();
  return (toolset, selection) => {
    let selections = byToolset.get(toolset);
    if (!selections) byToolset.set(toolset, (selections = new Map()));
    const key = JSON.stringify(selection);
    let offered = selections.get(key);
    if (!offered) {
      offered = createAgentTools(toolset, selection);
      if (selections.size >= MAX_SELECTIONS) selections.delete(selections.keys().next().value as string);
      selections.set(key, offered);
    }
    return offered;
  };
}

const NO_SESSIONS = 'This endpoint is stateless: there is no session to stream to or end. Send messages with POST.';

/**
 * MCP over Streamable HTTP per entity, through `@plugboard/mcp`'s server: the same tools and
 * results as the adapter in-process. Every POST gets a server and transport of its own (stateless),
 * so any instance behind a load balancer can answer any message.
 */
export function mcpRoutes(options: { version: string }) {
  const app = createRouter();
  const toolsFor = selectedTools();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/entities/{entityId}/mcp',
      operationId: 'mcpMessage',
      tags: ['Agent tools'],
      summary: 'MCP over Streamable HTTP',
      description: MCP_DESCRIPTION,
      request: {
        params: entityParams,
        query: selectionQuery,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .record(z.string(), z.unknown())
                .openapi({ example: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }),
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The JSON-RPC response (JSON), or nothing (202) for a notification.',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
        202: { description: 'A notification or response was accepted.' },
        ...problemResponses(400, 404, 406, 415),
      },
    }),
    async (c) => {
      const { entityId } = c.req.valid('param');
      const query = c.req.valid('query');
      const toolset = c.get('toolset');
      const credentials: CredentialOptions = { entityId };
      if (query.connectedAccountId !== undefined) {
        // Checked before any message is read: another project's or entity's connection is not found.
        const connection = await toolset.getConnection(query.connectedAccountId);
        if (connection.entityId !== entityId)
          throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${query.connectedAccountId}.`);
        credentials.connectedAccountId = connection.id;
      }
      // Sorted, so the same selection in another order is the same cache entry.
      const selection: ToolSelection = { mode: query.mode };
      if (query.apps !== undefined) selection.apps = [...query.apps].sort();
      if (query.tags !== undefined) selection.tags = [...query.tags].sort();
      if (query.actions !== undefined) selection.actions = [...query.actions].sort();
      if (query.readOnly) selection.readOnly = true;

      const server = buildMcpServer(toolset, toolsFor(toolset, selection), {
        ...credentials,
        serverInfo: { name: 'plugboard', version: options.version },
      });
      // No session id generator: stateless; JSON answers, since there is nothing to stream.
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
      await server.connect(transport);
      try {
        // The body was read (and checked to be a JSON object) by the route's validator.
        return await transport.handleRequest(c.req.raw, { parsedBody: c.req.valid('json') });
      } finally {
        await transport.close();
        await server.close();
      }
    },
  );

  for (const method of ['get', 'delete'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/entities/{entityId}/mcp',
        operationId: method === 'get' ? 'mcpStream' : 'mcpEndSession',
        tags: ['Agent tools'],
        summary: method === 'get' ? 'MCP server-to-client stream (not offered)' : 'End an MCP session (none to end)',
        description: `${NO_SESSIONS} Answers 405, as the MCP transport specification allows.`,
        request: { params: entityParams },
        responses: {
          405: {
            description: 'Not offered by this stateless endpoint.',
            content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
          },
          ...problemResponses(),
        },
      }),
      (c) =>
        c.json({ jsonrpc: '2.0', error: { code: -32000, message: NO_SESSIONS }, id: null }, 405, { allow: 'POST' }),
    );
  }

  return app;
}
