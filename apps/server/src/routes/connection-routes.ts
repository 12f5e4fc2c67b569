import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import {
  PlugboardError,
  type ConnectionFilter,
  type ConnectionStatus,
  type InitiateConnectionParams,
} from '@plugboard/core';
import { CONNECTION_STATUSES } from '@plugboard/core/internal';
import { requireScope } from '../http/authenticate.js';
import {
  authModeField,
  connectionField,
  connectionStatusField,
  idParam,
  jsonBody,
  jsonObjectField,
  jsonResponse,
  listQuery,
  problemResponses,
} from './fields.js';

const connectionId = z.object({ id: idParam('id', 'The connection (connected account) id.') });

/** Where OAuth providers send users back when the caller gives no `redirectUri`. */
export function callbackUrl(publicUrl: string, projectId: string): string {
  return `${publicUrl}/v1/oauth/callback/${projectId}`;
}

export function connectionRoutes(options: { publicUrl: string }) {
  const app = createRouter();
  app.use('/connections', requireScope('admin'));
  app.use('/connections/*', requireScope('admin'));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connections',
      operationId: 'initiateConnection',
      tags: ['Connections'],
      summary: 'Initiate a connection',
      description:
        "Starts connecting an entity's account. For OAuth modes the answer has a `redirectUrl` to send the user to " +
        "(the provider returns them to this server's callback, `<public URL>/v1/oauth/callback/<project id>`, unless you give " +
        '`redirectUri`); for API keys, tokens and Basic credentials the connection is `ACTIVE` at once. ' +
        'With `connectionId`, re-connects that `EXPIRED` (`NEEDS_REAUTH`) or `FAILED` connection in place: the answer has ' +
        'its id, and it becomes `ACTIVE` (at once, or after the OAuth callback) with a `connection.active` webhook for that ' +
        'id; a connection in another status is refused with `CONNECTION_NOT_RECONNECTABLE` (409).',
      request: {
        body: jsonBody(
          z
            .object({
              integrationId: z.string().min(1).optional(),
              connectionId: z
                .string()
                .min(1)
                .optional()
                .openapi({
                  description:
                    'Re-connect this `EXPIRED` or `FAILED` connection in place (same id, entity and integration); ' +
                    '`integrationId`, `app`, `authMode` and `entityId` may be left out, and must be its own if given.',
                }),
              app: z
                .string()
                .min(1)
                .optional()
                .openapi({ description: "Instead of `integrationId`: the app's integration for `authMode`." }),
              authMode: authModeField.optional(),
              entityId: z.string().min(1).optional().openapi({ example: 'user-42', description: 'Default "default".' }),
              redirectUri: z.string().url().optional(),
              connectedAccountParams: jsonObjectField.optional().openapi({ example: { api_key: '...' } }),
              authorizationParams: z.record(z.string(), z.string()).optional(),
              grantType: z.enum(['authorization_code', 'client_credentials']).optional(),
            })
            .openapi('InitiateConnection'),
        ),
      },
      responses: {
        201: jsonResponse(
          'The connection request.',
          z
            .object({
              id: z.string(),
              integrationId: z.string(),
              status: connectionStatusField,
              redirectUrl: z.string().nullable(),
            })
            .openapi('ConnectionRequest'),
        ),
        ...problemResponses(400, 403, 404, 409, 413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const params: InitiateConnectionParams = {
        redirectUri: body.redirectUri ?? callbackUrl(options.publicUrl, c.get('project').id),
      };
      if (body.integrationId !== undefined) params.integrationId = body.integrationId;
      // The project's toolset sees only the project's connections: another project's id is a 404.
      if (body.connectionId !== undefined) params.connectionId = body.connectionId;
      if (body.app !== undefined) params.app = body.app;
      if (body.authMode !== undefined) params.authMode = body.authMode;
      if (body.entityId !== undefined) params.entityId = body.entityId;
      if (body.connectedAccountParams !== undefined) params.connectedAccountParams = body.connectedAccountParams;
      if (body.authorizationParams !== undefined) params.authorizationParams = body.authorizationParams;
      if (body.grantType !== undefined) params.grantType = body.grantType;
      const request = await c.get('toolset').initiateConnection(params);
      return c.json(
        {
          id: request.connectedAccountId,
          integrationId: request.integrationId,
          status: request.connectionStatus,
          redirectUrl: request.redirectUrl ?? null,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections',
      operationId: 'listConnections',
      tags: ['Connections'],
      summary: 'List connections',
      description: 'Most recently updated first, filtered by entity, app, integration and status.',
      request: {
        query: z.object({
          entityId: z.string().optional(),
          app: z.string().optional(),
          integrationId: z.string().optional(),
          status: listQuery.openapi({
            type: 'string',
            description: 'Comma-separated statuses, e.g. `ACTIVE,EXPIRED`.',
          }),
        }),
      },
      responses: {
        200: jsonResponse('The connections.', z.object({ items: z.array(connectionField) })),
        ...problemResponses(400, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const filter: ConnectionFilter = {};
      if (query.entityId !== undefined) filter.entityId = query.entityId;
      if (query.app !== undefined) filter.app = query.app;
      if (query.integrationId !== undefined) filter.integrationId = query.integrationId;
      if (query.status !== undefined) {
        const unknown = query.status.filter((status) => !(CONNECTION_STATUSES as readonly string[]).includes(status));
        if (unknown.length > 0) {
          throw new PlugboardError(
            'INVALID_PARAMS',
            `Unknown connection status ${unknown.join(', ')}; use ${CONNECTION_STATUSES.join(', ')}.`,
          );
        }
        filter.status = query.status as ConnectionStatus[];
      }
      return c.json({ items: await c.get('toolset').listConnections(filter) } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections/{id}',
      operationId: 'getConnection',
      tags: ['Connections'],
      summary: 'Get a connection',
      request: { params: connectionId },
      responses: {
        200: jsonResponse('The connection, without credentials.', connectionField),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => c.json((await c.get('toolset').getConnection(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connections/{id}/refresh',
      operationId: 'refreshConnection',
      tags: ['Connections'],
      summary: "Refresh a connection's tokens now",
      description:
        'OAuth 2.0 with a refresh token or client credentials, and Basic with JWT. A refused refresh marks the connection `EXPIRED` (`NEEDS_REAUTH`).',
      request: { params: connectionId },
      responses: {
        200: jsonResponse('The refreshed connection.', connectionField),
        ...problemResponses(400, 403, 404, 409),
      },
    }),
    async (c) => c.json((await c.get('toolset').refreshConnection(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/connections/{id}',
      operationId: 'deleteConnection',
      tags: ['Connections'],
      summary: 'Delete a connection',
      request: { params: connectionId },
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await c.get('toolset').deleteConnection(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
