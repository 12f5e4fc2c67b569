import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import type { CreateIntegrationParams } from '@plugboard/core';
import { requireScope } from '../http/authenticate.js';
import {
  authFieldField,
  authModeField,
  idParam,
  integrationField,
  jsonBody,
  jsonObjectField,
  jsonResponse,
  problemResponses,
} from './fields.js';

const integrationId = z.object({ id: idParam('id', 'The integration id.') });

export function integrationRoutes() {
  const app = createRouter();
  app.use('/integrations', requireScope('admin'));
  app.use('/integrations/*', requireScope('admin'));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/integrations',
      operationId: 'createIntegration',
      tags: ['Integrations'],
      summary: 'Create an integration',
      description:
        "Configures one app and auth mode: your OAuth app's client id and secret, scopes, or nothing for modes the user fills in. " +
        'Secret fields are write-only: they are stored sealed and read back as "[REDACTED]".',
      request: {
        body: jsonBody(
          z
            .object({
              app: z.string().min(1).openapi({ example: 'github' }),
              authMode: authModeField.optional(),
              authConfig: jsonObjectField
                .optional()
                .openapi({ example: { client_id: 'Iv1.abc', client_secret: '...', scopes: ['repo'] } }),
              name: z.string().min(1).optional(),
            })
            .openapi('CreateIntegration'),
        ),
      },
      responses: {
        201: jsonResponse('The integration.', integrationField),
        ...problemResponses(400, 403, 404, 413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const params: CreateIntegrationParams = { app: body.app };
      if (body.authMode !== undefined) params.authMode = body.authMode;
      if (body.authConfig !== undefined) params.authConfig = body.authConfig;
      if (body.name !== undefined) params.name = body.name;
      return c.json((await c.get('toolset').createIntegration(params)) as never, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations',
      operationId: 'listIntegrations',
      tags: ['Integrations'],
      summary: 'List integrations',
      request: { query: z.object({ app: z.string().optional() }) },
      responses: {
        200: jsonResponse("The project's integrations.", z.object({ items: z.array(integrationField) })),
        ...problemResponses(403),
      },
    }),
    async (c) => {
      const { app: appId } = c.req.valid('query');
      const items = await c.get('toolset').listIntegrations(appId === undefined ? {} : { app: appId });
      return c.json({ items } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/{id}',
      operationId: 'getIntegration',
      tags: ['Integrations'],
      summary: 'Get an integration',
      request: { params: integrationId },
      responses: {
        200: jsonResponse('The integration.', integrationField),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => c.json((await c.get('toolset').getIntegration(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/{id}/expected-params',
      operationId: 'getExpectedParams',
      tags: ['Integrations'],
      summary: 'Fields a user supplies to connect',
      description: 'The fields an end user fills in to connect through this integration (an API key, a shop name).',
      request: { params: integrationId },
      responses: {
        200: jsonResponse(
          'The auth mode and its user fields.',
          z.object({ authScheme: authModeField, expectedParams: z.array(authFieldField) }),
        ),
        ...problemResponses(403, 404),
      },
    }),
    async (c) =>
      c.json(
        (await c.get('toolset').getExpectedParamsForUser({ integrationId: c.req.valid('param').id })) as never,
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/integrations/{id}',
      operationId: 'deleteIntegration',
      tags: ['Integrations'],
      summary: 'Delete an integration',
      description: 'Deletes the integration and every connection made through it.',
      request: { params: integrationId },
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await c.get('toolset').deleteIntegration(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
