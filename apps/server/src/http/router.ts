import { OpenAPIHono } from '@hono/zod-openapi';
import { problemOf, problemResponse } from './problem.js';
import type { ServerEnv } from './server-env.js';

/**
 * A router whose request validation answers like the library does: `INVALID_PARAMS` with the
 * zod issues (paths and messages; zod does not echo the values, so no secret is repeated back).
 */
export function createRouter(): OpenAPIHono<ServerEnv> {
  return new OpenAPIHono<ServerEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      c.set('errorCode', 'INVALID_PARAMS');
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.map(String),
        code: issue.code,
        message: issue.message,
      }));
      const where = result.target === 'json' ? 'body' : result.target;
      const first = issues[0];
      return problemResponse({
        ...problemOf({
          code: 'INVALID_PARAMS',
          message: `The request ${where} is invalid${first ? `: ${first.path.join('.') || '(root)'}: ${first.message}` : ''}.`,
          details: { issues },
        }),
        requestId: c.get('requestId'),
      });
    },
  });
}
