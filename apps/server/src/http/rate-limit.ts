import type { MiddlewareHandler } from 'hono';
import { problemOf, problemResponse } from './problem.js';
import type { ServerEnv } from './server-env.js';

/**
 * A token bucket per API key, in memory: `perMinute` requests, refilled continuously, so a key
 * may burst up to its minute's allowance and then runs at the steady rate. With several server
 * instances each keeps its own buckets.
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): MiddlewareHandler<ServerEnv> {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  const perMillisecond = perMinute / 60_000;
  return async (c, next) => {
    if (perMinute <= 0) return next();
    const keyId = c.get('apiKey').id;
    const time = now();
    const bucket = buckets.get(keyId) ?? { tokens: perMinute, updatedAt: time };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.updatedAt) * perMillisecond);
    bucket.updatedAt = time;
    buckets.set(keyId, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMillisecond / 1000));
      c.set('errorCode', 'RATE_LIMITED');
      return problemResponse(
        {
          ...problemOf({
            code: 'RATE_LIMITED',
            message: `This API key made more than ${perMinute} requests a minute. Try again in ${retryAfterSeconds} s.`,
            details: { retryAfterMs: retryAfterSeconds * 1000 },
            retryable: true,
          }),
          requestId: c.get('requestId'),
        },
        { 'retry-after': String(retryAfterSeconds), 'ratelimit-limit': String(perMinute), 'ratelimit-remaining': '0' },
      );
    }
    bucket.tokens -= 1;
    c.header('ratelimit-limit', String(perMinute));
    c.header('ratelimit-remaining', String(Math.floor(bucket.tokens)));
    await next();
  };
}
