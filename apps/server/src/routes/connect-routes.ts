import { createRoute, z } from '@hono/zod-openapi';
import { createConnectHandler, createConnectLink } from '@plugboard/connect';
import { PlugboardError } from '@plugboard/core';
import type { ControlStore } from '../control/control-store.js';
import { requireScope } from '../http/authenticate.js';
import { createRouter } from '../http/router.js';
import type { ProjectToolsets } from '../projects/project-toolsets.js';
import { authModeField, jsonBody, jsonResponse, problemResponses } from './fields.js';

/** Where the connect page is served; its OAuth callback, `<public URL>/connect/callback`, is the redirect URI to register. */
export const CONNECT_BASE_PATH = '/connect';

export interface ConnectRoutesOptions {
  control: ControlStore;
  toolsets: ProjectToolsets;
  publicUrl: string;
  /** Signs links and session cookies; every instance behind one public URL needs the same. */
  secret: string;
}

/**
 * `POST /v1/connect-links` (admin keys): a short-lived, single-use link to the connect page for
 * one entity, in the key's project. Mounted under `/v1`, after authentication.
 */
export function connectLinkRoutes(options: Pick<ConnectRoutesOptions, 'publicUrl' | 'secret'>) {
  const app = createRouter();
  app.use('/connect-links', requireScope('admin'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/connect-links',
      operationId: 'createConnectLink',
      tags: ['Connections'],
      summary: 'Create a connect link',
      description:
        "A link to send one user (by email, in your app): it opens this server's connect page, where the user enters " +
        'the fields the auth scheme needs or continues to the OAuth provider, and ends on a success page with the ' +
        'connection `ACTIVE`. It works once and expires (default 10 minutes). Give `integrationId`, or `app` to let the ' +
        'user choose among its integrations, or `connectionId` to re-connect an `EXPIRED` or `FAILED` connection in place. ' +
        `OAuth providers send the user back to \`<public URL>${CONNECT_BASE_PATH}/callback\`: register that redirect URI.`,
      request: {
        body: jsonBody(
          z
            .object({
              entityId: z.string().min(1).optional().openapi({ example: 'user-42', description: 'Default "default".' }),
              integrationId: z.string().min(1).optional(),
              app: z.string().min(1).optional().openapi({ example: 'shopify' }),
              authModes: z.array(authModeField).min(1).optional().openapi({ description: 'With `app`: only these.' }),
              connectionId: z.string().min(1).optional().openapi({ description: 'Re-connect this connection.' }),
              ttlSeconds: z.number().int().min(1).max(604_800).optional().openapi({ example: 600 }),
              returnUrl: z.string().url().optional().openapi({ description: 'Offered on the success page.' }),
            })
            .openapi('CreateConnectLink'),
        ),
      },
      responses: {
        201: jsonResponse(
          'The link.',
          z
            .object({
              id: z.string(),
              url: z.string().openapi({ example: 'https://plugboard.example/connect/link?token=...' }),
              expiresAt: z.string().openapi({ example: '2026-12-05T19:10:00.000Z' }),
            })
            .openapi('ConnectLink'),
        ),
        ...problemResponses(400, 403, 404, 413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const link = await createConnectLink({
        toolset: c.get('toolset'),
        secret: options.secret,
        baseUrl: `${options.publicUrl}${CONNECT_BASE_PATH}`,
        tenant: c.get('project').id,
        ...(body.entityId !== undefined ? { entityId: body.entityId } : {}),
        ...(body.integrationId !== undefined ? { integrationId: body.integrationId } : {}),
        ...(body.app !== undefined ? { app: body.app } : {}),
        ...(body.authModes !== undefined ? { authModes: body.authModes } : {}),
        ...(body.connectionId !== undefined ? { connectionId: body.connectionId } : {}),
        ...(body.ttlSeconds !== undefined ? { ttlMs: body.ttlSeconds * 1000 } : {}),
        ...(body.returnUrl !== undefined ? { returnUrl: body.returnUrl } : {}),
      });
      return c.json(link, 201);
    },
  );
  return app;
}

/** The connect page itself, at `/connect/*`: no API key, the signed link and then the session cookie are the proof. */
export function connectPageRoutes(options: ConnectRoutesOptions) {
  const handler = createConnectHandler({
    secret: options.secret,
    basePath: CONNECT_BASE_PATH,
    publicUrl: options.publicUrl,
    async toolset(tenant) {
      const project =
        tenant !== undefined && /^proj_[a-z0-9]{16}$/.test(tenant)
          ? await options.control.getProject(tenant)
          : undefined;
      if (!project) throw new PlugboardError('INVALID_PARAMS', 'The link names no project of this server.');
      return options.toolsets.get(project.id);
    },
  });
  const app = createRouter();
  app.all(`${CONNECT_BASE_PATH}/*`, (c) => handler(c.req.raw));
  return app;
}
