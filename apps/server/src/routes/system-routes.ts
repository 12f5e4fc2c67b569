import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { jsonResponse } from './fields.js';
import type { Toolset } from '@plugboard/core';
import type { ControlStore } from '../control/control-store.js';
import type { ProjectToolsets } from '../projects/project-toolsets.js';

/** Liveness, readiness and the OAuth callback: the routes that need no API key. */
export function systemRoutes(deps: {
  control: ControlStore;
  toolsets: ProjectToolsets;
  /** A toolset over an empty store: it answers callbacks for unknown projects as for an unknown state. */
  emptyToolset: Toolset;
}) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      tags: ['System'],
      security: [],
      summary: 'Liveness',
      description: 'The process answers. Checks nothing else.',
      responses: {
        200: jsonResponse('Alive.', z.object({ status: z.literal('ok') })),
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      tags: ['System'],
      security: [],
      summary: 'Readiness',
      description: 'The store that holds projects and keys can be read. 503 when it cannot.',
      responses: {
        200: jsonResponse('Ready.', z.object({ status: z.literal('ready') })),
        503: jsonResponse('Not ready.', z.object({ status: z.literal('unavailable'), reason: z.string() })),
      },
    }),
    async (c) => {
      try {
        await deps.control.check();
        return c.json({ status: 'ready' as const }, 200);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'the store cannot be read';
        return c.json({ status: 'unavailable' as const, reason }, 503);
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/oauth/callback/{projectId}',
      operationId: 'oauthCallback',
      tags: ['Connections'],
      security: [],
      summary: 'OAuth callback',
      description:
        'Where OAuth 2.0 and 1.0a providers send users back (the redirect URI to register with the provider). Completes the ' +
        'connection and shows a page saying whether it worked. Needs no API key: the single-use `state` is the proof.',
      request: { params: z.object({ projectId: z.string().openapi({ param: { name: 'projectId', in: 'path' } }) }) },
      responses: {
        200: { description: 'Connected (an HTML page).', content: { 'text/html': { schema: z.string() } } },
        400: {
          description: 'The callback could not be completed (an HTML page with the reason).',
          content: { 'text/html': { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param');
      const project = /^proj_[a-z0-9]{16}$/.test(projectId) ? await deps.control.getProject(projectId) : undefined;
      // An unknown project answers exactly like an unknown state: nothing tells a caller which projects exist.
      const toolset = project ? await deps.toolsets.get(project.id) : deps.emptyToolset;
      return toolset.handleCallback(c.req.raw) as never;
    },
  );

  return app;
}
