import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { PlugboardError } from '@plugboard/core';
import { authFieldField, authModeField, jsonObjectField, jsonResponse, listQuery, problemResponses } from './fields.js';

const appField = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    authModes: z.array(authModeField),
    actionCount: z.number().int(),
    version: z.string(),
  })
  .openapi('App');

const authSchemeField = z
  .object({
    mode: authModeField,
    displayName: z.string(),
    fields: z.array(authFieldField),
    placements: z.array(z.object({ in: z.string(), name: z.string() })),
    oauth2: jsonObjectField.optional(),
    oauth1: jsonObjectField.optional(),
    basicWithJwt: jsonObjectField.optional(),
  })
  .openapi('AuthScheme');

const actionField = z
  .object({
    name: z.string().openapi({ example: 'GITHUB_GET_A_PULL_REQUEST' }),
    description: z.string(),
    app: z.string().optional(),
    tags: z.array(z.string()),
    aliases: z.array(z.string()),
    inputJsonSchema: jsonObjectField.openapi({ description: 'JSON Schema (draft 2020-12) of the input.' }),
    effects: z.object({
      readOnly: z.boolean().optional(),
      destructive: z.boolean().optional(),
      idempotent: z.boolean().optional(),
    }),
    scopes: z.array(z.string()),
    deprecated: z.boolean(),
  })
  .openapi('Action');

const MAX_PAGE = 500;
const MAX_QUERY = 500;
const MAX_SEARCH_RESULTS = 50;

/** `true` or `false` in a query parameter; absent is false. */
const booleanQuery = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => value === 'true');

/** Cursors are opaque to clients; today they hold the offset. */
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

export function catalogueRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/apps',
      operationId: 'listApps',
      tags: ['Catalogue'],
      summary: 'List apps',
      description: 'Every app this server can act on, with its auth modes and number of actions.',
      responses: {
        200: jsonResponse('The apps.', z.object({ items: z.array(appField) })),
        ...problemResponses(),
      },
    }),
    (c) => c.json({ items: c.get('toolset').listApps() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/apps/{app}',
      operationId: 'getApp',
      tags: ['Catalogue'],
      summary: 'Get an app and its auth schemes',
      request: {
        params: z.object({ app: z.string().openapi({ param: { name: 'app', in: 'path' }, example: 'github' }) }),
      },
      responses: {
        200: jsonResponse(
          'The app, with the fields each auth scheme needs.',
          appField.extend({ authSchemes: z.array(authSchemeField) }),
        ),
        ...problemResponses(404),
      },
    }),
    (c) => {
      const toolset = c.get('toolset');
      const id = c.req.valid('param').app;
      const summary = toolset.listApps().find((candidate) => candidate.id === id);
      // The library's APP_NOT_FOUND, with its suggestions of registered apps.
      if (!summary) toolset.getAuthSchemeForApp(id);
      const authSchemes = (summary?.authModes ?? []).map((mode) => toolset.getAuthSchemeForApp(id, mode));
      return c.json({ ...summary!, authSchemes } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/actions',
      operationId: 'listActions',
      tags: ['Catalogue'],
      summary: 'List actions',
      description: 'Actions with their input JSON Schema, filtered by app and tags, a page at a time.',
      request: {
        query: z.object({
          app: z.string().optional().openapi({ example: 'github' }),
          tags: listQuery.openapi({
            type: 'string',
            description: 'Comma-separated; an action with any of them matches.',
          }),
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
          cursor: z.string().optional().openapi({ description: 'The `nextCursor` of the previous page.' }),
        }),
      },
      responses: {
        200: jsonResponse(
          'One page of actions.',
          z.object({ items: z.array(actionField), nextCursor: z.string().nullable() }),
        ),
        ...problemResponses(400, 404),
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const offset = decodeCursor(query.cursor);
      if (offset === undefined) throw new PlugboardError('INVALID_PARAMS', 'The cursor is not one this server gave.');
      const filter: { app?: string; tags?: string[] } = {};
      if (query.app !== undefined) {
        c.get('toolset').getAuthSchemeForApp(query.app);
        filter.app = query.app;
      }
      if (query.tags !== undefined) filter.tags = query.tags;
      const all = c.get('toolset').listActions(filter);
      const items = all.slice(offset, offset + query.limit);
      const next = offset + items.length;
      return c.json({ items, nextCursor: next < all.length ? encodeCursor(next) : null } as never, 200);
    },
  );

  // Before `/actions/{name}`, which would otherwise take `search` for an action name.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/actions/search',
      operationId: 'searchActions',
      tags: ['Catalogue'],
      summary: 'Search actions',
      description:
        'Actions ranked by how well they match what you want to do, in plain words (BM25 over names, ' +
        'descriptions, tags and parameters; `searchActions` in the library). Best first.',
      request: {
        query: z.object({
          q: z.string().trim().min(1).max(MAX_QUERY).openapi({ example: 're-run the failed CI job' }),
          app: listQuery.openapi({ type: 'string', example: 'github', description: 'Comma-separated app ids.' }),
          tags: listQuery.openapi({
            type: 'string',
            description: 'Comma-separated; an action with any of them matches.',
          }),
          limit: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(10),
          readOnly: booleanQuery.openapi({ type: 'string', description: 'Only actions that only read.' }),
          includeDeprecated: booleanQuery.openapi({
            type: 'string',
            description: 'Include deprecated actions, ranked after the others.',
          }),
        }),
      },
      responses: {
        200: jsonResponse(
          'The matches, best first.',
          z.object({
            items: z.array(
              z
                .object({
                  name: z.string(),
                  app: z.string().optional(),
                  description: z.string(),
                  score: z.number().openapi({ description: 'Relevance; comparable only within one search.' }),
                })
                .openapi('ActionSearchResult'),
            ),
          }),
        ),
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const toolset = c.get('toolset');
      // An unknown app is the library's APP_NOT_FOUND (404, with suggestions), not an empty result.
      for (const id of query.app ?? []) toolset.getAuthSchemeForApp(id);
      const items = await toolset.searchActions(query.q, {
        apps: query.app,
        tags: query.tags,
        limit: query.limit,
        readOnly: query.readOnly,
        includeDeprecated: query.includeDeprecated,
      });
      return c.json({ items } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/actions/{name}',
      operationId: 'getAction',
      tags: ['Catalogue'],
      summary: 'Get an action',
      description: 'One action by name or alias, with its input JSON Schema.',
      request: {
        params: z.object({
          name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'GITHUB_GET_A_PULL_REQUEST' }),
        }),
      },
      responses: {
        200: jsonResponse('The action.', actionField),
        ...problemResponses(404),
      },
    }),
    (c) => c.json(c.get('toolset').getAction(c.req.valid('param').name) as never, 200),
  );

  return app;
}
