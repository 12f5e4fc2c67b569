import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { createAnthropicAdapter, type AnthropicAssistantMessage } from '@plugboard/anthropic';
import type { ToolSelection } from '@plugboard/core';
import { createOpenAIAdapter, type OpenAIChatCompletionLike, type OpenAIResponseLike } from '@plugboard/openai';
import { credentialFields, credentialOptions, jsonBody, jsonResponse, listQuery, problemResponses } from './fields.js';

const formatField = z.enum(['openai', 'openai-responses', 'anthropic']).openapi('ToolFormat', {
  description:
    '`openai`: Chat Completions function tools; `openai-responses`: Responses API tools; `anthropic`: Messages API tools.',
});

const selectionFields = {
  apps: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  actions: z.array(z.string()).optional(),
};

function selectionOf(source: {
  apps?: string[] | undefined;
  tags?: string[] | undefined;
  actions?: string[] | undefined;
}): ToolSelection {
  const selection: ToolSelection = {};
  if (source.apps !== undefined) selection.apps = source.apps;
  if (source.tags !== undefined) selection.tags = source.tags;
  if (source.actions !== undefined) selection.actions = source.actions;
  return selection;
}

/** Agent tools through the `@plugboard/openai` and `@plugboard/anthropic` adapters: the same definitions and answers as in-process. */
export function toolRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tools',
      operationId: 'listTools',
      tags: ['Agent tools'],
      summary: 'Tool definitions for a model',
      description: "The selected actions as tool definitions, ready for the vendor SDK's `tools` parameter.",
      request: {
        query: z.object({
          format: formatField,
          apps: listQuery.openapi({ type: 'string', example: 'github' }),
          tags: listQuery.openapi({ type: 'string' }),
          actions: listQuery.openapi({ type: 'string' }),
        }),
      },
      responses: {
        200: jsonResponse(
          'The tools.',
          z.object({ format: formatField, tools: z.array(z.record(z.string(), z.unknown())) }),
        ),
        ...problemResponses(400, 404),
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const selection = selectionOf(query);
      const toolset = c.get('toolset');
      const tools =
        query.format === 'anthropic'
          ? createAnthropicAdapter(toolset).getTools(selection)
          : createOpenAIAdapter(toolset).getTools(selection, { api: query.format === 'openai' ? 'chat' : 'responses' });
      return c.json({ format: query.format, tools } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tools/execute',
      operationId: 'executeToolCalls',
      tags: ['Agent tools'],
      summary: "Run a model's tool calls",
      description:
        "Runs every tool call of a model's answer in parallel and returns what to append to the conversation: `tool` " +
        'messages (Chat Completions), `function_call_output` items (Responses), or one `user` message of `tool_result` ' +
        'blocks (Anthropic). Calls to tools outside the selection are answered with `TOOL_NOT_OFFERED`.',
      request: {
        body: jsonBody(
          z
            .object({
              format: formatField,
              response: z.record(z.string(), z.unknown()).openapi({
                description:
                  "The model's answer: a ChatCompletion or assistant message, a Response, or an Anthropic message.",
              }),
              ...selectionFields,
              ...credentialFields,
            })
            .openapi('ExecuteToolCalls'),
        ),
      },
      responses: {
        200: jsonResponse('The answers to append.', z.object({ format: formatField, results: z.unknown() })),
        ...problemResponses(400, 404, 413),
      },
    }),
    async (c) => {
      const { format, response, apps, tags, actions, ...credentials } = c.req.valid('json');
      const selection = selectionOf({ apps, tags, actions });
      const options = { ...credentialOptions(credentials), signal: c.req.raw.signal };
      const toolset = c.get('toolset');
      // A connection that is not the project's is a 404 for the whole request, as on every other route.
      if (credentials.connectedAccountId !== undefined) await toolset.getConnection(credentials.connectedAccountId);
      let results: unknown;
      if (format === 'anthropic') {
        const adapter = createAnthropicAdapter(toolset);
        adapter.getTools(selection);
        results = await adapter.handleToolCalls(response as unknown as AnthropicAssistantMessage, options);
      } else {
        const adapter = createOpenAIAdapter(toolset);
        adapter.getTools(selection, { api: format === 'openai' ? 'chat' : 'responses' });
        results = await adapter.handleToolCalls(
          response as unknown as OpenAIChatCompletionLike & OpenAIResponseLike,
          options,
        );
      }
      return c.json({ format, results } as never, 200);
    },
  );

  return app;
}
