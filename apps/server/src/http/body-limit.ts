import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import type { ServerEnv } from './server-env.js';

export interface BodyLimitOptions {
  maxSize: number;
  onError: NonNullable<Parameters<typeof honoBodyLimit>[0]['onError']>;
}

/**
 * Hono's body limit, with its common case answered from the headers alone. Hono's middleware reads
 * `c.req.raw.body` first, which makes @hono/node-server build a full Web `Request` and a stream
 * over the socket for every request (a large share of a small request's CPU) where the validator's
 * `json()` would read the body directly. A body with a Content-Length and no Transfer-Encoding is
 * judged by its length, exactly as Hono judges it; GET and HEAD carry no body; everything else
 * (chunked bodies) goes through Hono's middleware, which counts the bytes as they arrive.
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler<ServerEnv> {
  const counting = honoBodyLimit(options);
  return async (c, next) => {
    const { method, headers } = c.req.raw;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = headers.get('content-length');
    if (length !== null && !headers.has('transfer-encoding')) {
      return Number.parseInt(length || '0', 10) > options.maxSize ? options.onError(c) : next();
    }
    return counting(c, next);
  };
}
