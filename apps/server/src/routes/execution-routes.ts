import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { PlugboardError, type ActionResult, type ProxyParams } from '@plugboard/core';
import { HTTP_METHODS } from '@plugboard/core/internal';
import {
  actionResultField,
  credentialFields,
  credentialOptions,
  jsonBody,
  jsonObjectField,
  jsonResponse,
  problemResponses,
} from './fields.js';

// Failures that mean the request could not run at all (nothing was sent): answered as problems with
// a 4xx status. Anything that failed while running (the vendor said no, timed out) is a 200 result.
const REQUEST_ERRORS = new Set([
  'ACTION_NOT_FOUND',
  'APP_NOT_FOUND',
  'CONNECTION_NOT_FOUND',
  'INTEGRATION_NOT_FOUND',
  'INVALID_PARAMS',
  'CONNECTION_APP_MISMATCH',
  'CONNECTION_NOT_ACTIVE',
  'NO_CREDENTIALS',
]);

/** Throws the error of a result that could not run, so it is answered as a problem. */
function throwIfNotRun(result: ActionResult<unknown>): void {
  if (!result.successful && REQUEST_ERRORS.has(result.error.code)) {
    const { code, message, ...rest } = result.error;
    throw new PlugboardError(code, message, rest);
  }
}

const resultResponses = {
  200: jsonResponse(
    "The action ran: its data, or (`successful: false`) the error it ended in, such as `UPSTREAM_ERROR` with the vendor's status.",
    actionResultField,
  ),
  ...problemResponses(400, 404, 409, 413),
};

export function executionRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/actions/{name}/execute',
      operationId: 'executeAction',
      tags: ['Execution'],
      summary: 'Execute an action',
      description:
        'Runs an action for an entity, a connection, or with custom auth (first match wins: `auth`, `connectedAccountId`, ' +
        "then the entity's active connection). The input is validated first: invalid input is a 400 and nothing is sent.",
      request: {
        params: z.object({
          name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'GITHUB_GET_A_PULL_REQUEST' }),
        }),
        body: jsonBody(
          z
            .object({
              input: jsonObjectField
                .default({})
                .openapi({ example: { owner: 'octocat', repo: 'hello-world', pull_number: 1 } }),
              ...credentialFields,
            })
            .openapi('ExecuteAction'),
        ),
      },
      responses: resultResponses,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await c
        .get('toolset')
        .executeAction(c.req.valid('param').name, body.input, { ...credentialOptions(body), signal: c.req.raw.signal });
      throwIfNotRun(result);
      return c.json(result as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/proxy',
      operationId: 'proxy',
      tags: ['Execution'],
      summary: 'Send an authenticated request',
      description:
        "A raw request to an app's API with the same credential resolution as actions; the answer is the vendor's " +
        'status, headers and data, as a result.',
      request: {
        body: jsonBody(
          z
            .object({
              app: z.string().min(1).openapi({ example: 'github' }),
              method: z.enum(HTTP_METHODS),
              path: z.string().min(1).openapi({ example: '/repos/{owner}/{repo}' }),
              pathParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
              query: z
                .record(
                  z.string(),
                  z.union([
                    z.string(),
                    z.number(),
                    z.boolean(),
                    z.array(z.union([z.string(), z.number(), z.boolean()])),
                  ]),
                )
                .optional(),
              body: z.unknown().optional(),
              bodyEncoding: z.enum(['json', 'form']).optional(),
              headers: z.record(z.string(), z.string()).optional(),
              ...credentialFields,
            })
            .openapi('ProxyRequest'),
        ),
      },
      responses: resultResponses,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const params: ProxyParams = {
        app: body.app,
        method: body.method,
        path: body.path,
        ...credentialOptions(body),
        signal: c.req.raw.signal,
      };
      if (body.pathParams !== undefined) params.pathParams = body.pathParams;
      if (body.query !== undefined) params.query = body.query;
      if (body.body !== undefined) params.body = body.body;
      if (body.bodyEncoding !== undefined) params.bodyEncoding = body.bodyEncoding;
      if (body.headers !== undefined) params.headers = body.headers;
      const result = await c.get('toolset').proxy(params);
      throwIfNotRun(result);
      return c.json(result as never, 200);
    },
  );

  return app;
}
