import type { MiddlewareHandler } from 'hono';
import type { ApiKeyScope } from '../control/control-store.js';
import type { KeyVerifier } from '../control/key-cache.js';
import type { ProjectToolsets } from '../projects/project-toolsets.js';
import { problemOf, problemResponse } from './problem.js';
import type { ServerEnv } from './server-env.js';

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/**
 * Finds the project of the request's API key and its toolset. Every failure is the same 401, so
 * a caller learns nothing about which keys or projects exist.
 */
export function authenticate(keys: KeyVerifier, toolsets: ProjectToolsets): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const key = presentedKey(c.req.raw.headers);
    const verified = key === undefined ? undefined : await keys.verify(key);
    if (!verified) {
      c.set('errorCode', 'UNAUTHENTICATED');
      return problemResponse(
        {
          ...problemOf({
            code: 'UNAUTHENTICATED',
            message:
              key === undefined
                ? 'This route needs an API key: send "Authorization: Bearer <key>".'
                : 'The API key is not valid: it is unknown, revoked or expired.',
          }),
          requestId: c.get('requestId'),
        },
        { 'www-authenticate': 'Bearer realm="plugboard"' },
      );
    }
    c.set('project', verified.project);
    c.set('apiKey', verified.key);
    c.set('toolset', await toolsets.get(verified.project.id));
    await next();
  };
}

/** Refuses keys whose scope does not cover the route: execute-only keys run actions but manage nothing. */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const key = c.get('apiKey');
    if (scope === 'admin' && key.scope !== 'admin') {
      c.set('errorCode', 'FORBIDDEN');
      return problemResponse({
        ...problemOf({
          code: 'FORBIDDEN',
          message: `This route needs an admin key; the key ${key.id} may only execute actions.`,
        }),
        requestId: c.get('requestId'),
      });
    }
    await next();
  };
}
