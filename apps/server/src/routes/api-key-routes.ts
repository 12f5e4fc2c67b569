import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { newApiKey, showApiKey } from '../control/api-keys.js';
import type { ControlStore } from '../control/control-store.js';
import { requireScope } from '../http/authenticate.js';
import { problemOf, problemResponse } from '../http/problem.js';
import { idParam, jsonBody, jsonResponse, problemResponses } from './fields.js';

const scopeField = z.enum(['admin', 'execute']).openapi('ApiKeyScope', {
  description: '`admin`: everything in the project; `execute`: the catalogue, execute, proxy and agent tools only.',
});

const apiKeyField = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: scopeField,
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .openapi('ApiKey', { description: 'An API key; the key itself is shown once, when created.' });

const createdKeyField = z
  .object({
    key: z.string().openapi({ description: 'The API key. Shown this once: only its hash is stored.' }),
    apiKey: apiKeyField,
  })
  .openapi('CreatedApiKey');

export function apiKeyRoutes(control: ControlStore) {
  const app = createRouter();
  app.use('/api-keys', requireScope('admin'));
  app.use('/api-keys/*', requireScope('admin'));

  const notFound = (c: { get(name: 'requestId'): string }, id: string) =>
    problemResponse({
      ...problemOf({ code: 'NOT_FOUND', message: `No API key with id ${id} in this project.` }),
      requestId: c.get('requestId'),
    });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/project',
      operationId: 'getProject',
      tags: ['Project'],
      summary: "The key's project",
      responses: {
        200: jsonResponse(
          'The project the API key belongs to.',
          z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi('Project'),
        ),
        ...problemResponses(),
      },
    }),
    (c) => c.json(c.get('project'), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api-keys',
      operationId: 'listApiKeys',
      tags: ['Project'],
      summary: 'List API keys',
      responses: {
        200: jsonResponse("The project's keys, revoked ones included.", z.object({ items: z.array(apiKeyField) })),
        ...problemResponses(403),
      },
    }),
    async (c) => c.json({ items: (await control.listApiKeys(c.get('project').id)).map(showApiKey) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      operationId: 'createApiKey',
      tags: ['Project'],
      summary: 'Create an API key',
      request: {
        body: jsonBody(z.object({ name: z.string().min(1).max(200), scope: scopeField }).openapi('CreateApiKey')),
      },
      responses: {
        201: jsonResponse('The key, shown once.', createdKeyField),
        ...problemResponses(400, 403),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { key, record } = newApiKey({ projectId: c.get('project').id, name: body.name, scope: body.scope });
      await control.saveApiKey(record);
      return c.json({ key, apiKey: showApiKey(record) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api-keys/{id}/revoke',
      operationId: 'revokeApiKey',
      tags: ['Project'],
      summary: 'Revoke an API key',
      description: 'The key is refused from now on. Revoking the key the request is made with is allowed.',
      request: { params: z.object({ id: idParam('id', 'The API key id.') }) },
      responses: {
        200: jsonResponse('The revoked key.', apiKeyField),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const existing = (await control.listApiKeys(c.get('project').id)).find((key) => key.id === id);
      if (!existing) return notFound(c, id) as never;
      const updated = await control.updateApiKey(c.get('project').id, id, {
        revokedAt: existing.revokedAt ?? new Date().toISOString(),
      });
      return updated ? c.json(showApiKey(updated), 200) : (notFound(c, id) as never);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api-keys/{id}/rotate',
      operationId: 'rotateApiKey',
      tags: ['Project'],
      summary: 'Rotate an API key',
      description:
        'Creates a new key with the same name and scope and retires the old one: at once, or after `gracePeriodSeconds` ' +
        'so running clients can switch over.',
      request: {
        params: z.object({ id: idParam('id', 'The API key id.') }),
        body: {
          required: false,
          content: {
            'application/json': {
              schema: z
                .object({
                  gracePeriodSeconds: z
                    .number()
                    .int()
                    .min(0)
                    .max(30 * 24 * 3600)
                    .default(0),
                })
                .openapi('RotateApiKey'),
            },
          },
        },
      },
      responses: {
        201: jsonResponse(
          "The new key (shown once) and the old key's record.",
          createdKeyField.extend({ previous: apiKeyField }),
        ),
        ...problemResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const projectId = c.get('project').id;
      const gracePeriodSeconds =
        (c.req.valid('json') as { gracePeriodSeconds?: number } | undefined)?.gracePeriodSeconds ?? 0;
      const existing = (await control.listApiKeys(projectId)).find((key) => key.id === id);
      if (!existing || existing.revokedAt !== undefined) return notFound(c, id) as never;
      const { key, record } = newApiKey({ projectId, name: existing.name, scope: existing.scope });
      await control.saveApiKey(record);
      const now = Date.now();
      const retire =
        gracePeriodSeconds === 0
          ? { revokedAt: new Date(now).toISOString() }
          : { expiresAt: new Date(now + gracePeriodSeconds * 1000).toISOString() };
      const previous = await control.updateApiKey(projectId, id, retire);
      return previous
        ? c.json({ key, apiKey: showApiKey(record), previous: showApiKey(previous) }, 201)
        : (notFound(c, id) as never);
    },
  );

  return app;
}
