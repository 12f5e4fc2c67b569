import { PlugboardError } from '../errors.js';

/**
 * A refused answer as a connector's `rateLimit` reads it. The body is parsed like a response's
 * data (JSON, text, or bytes), because some vendors say "rate limit" only in the message.
 */
export interface RateLimitAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What a connector's `rateLimit` returns for an answer that is the vendor's rate limit. */
export interface RateLimit {
  /** Milliseconds until the vendor allows the request again. */
  retryAfterMs: number;
  /** The vendor's name for the limit, kept in the error's details (`primary`, `secondary`). */
  kind?: string;
}

/**
 * Tells a rate-limit answer from other errors, for vendors whose answer is not (only) a 429 with
 * `Retry-After`: GitHub answers 403 with `x-ratelimit-remaining: 0`, or a "secondary rate limit" message.
 * Returns undefined for any other answer.
 * @example rateLimit: ({ status, headers }) => status === 403 && headers.get('x-ratelimit-remaining') === '0' ? { retryAfterMs: 60_000 } : undefined
 */
export type RateLimitReader = (answer: RateLimitAnswer) => RateLimit | undefined;

/**
 * Whether a rate-limited request may be sent again after `limit.retryAfterMs`: never beyond
 * `maxRetryAfterMs`, and a request that is not idempotent only when the answer is a 429 or 503
 * with `Retry-After` (the server says it did not act), as for any other answer.
 */
export function mayRetryRateLimited(
  limit: RateLimit,
  answer: Pick<RateLimitAnswer, 'status' | 'headers'>,
  idempotent: boolean,
  maxRetryAfterMs: number,
): boolean {
  if (limit.retryAfterMs > maxRetryAfterMs) return false;
  return idempotent || ((answer.status === 429 || answer.status === 503) && answer.headers.has('retry-after'));
}

/** The `RATE_LIMITED` error for a rate-limit answer that is not retried (or no longer), from its upstream error. */
export function rateLimitedError(limit: RateLimit, upstream: PlugboardError): PlugboardError {
  const seconds = Math.ceil(limit.retryAfterMs / 1000);
  const details = typeof upstream.details === 'object' && upstream.details !== null ? upstream.details : {};
  return new PlugboardError(
    'RATE_LIMITED',
    `Rate limited${limit.kind ? ` (${limit.kind} limit)` : ''}, try again in ${seconds} s. ${upstream.message}`,
    {
      status: upstream.status,
      retryable: true,
      details: { ...details, retryAfterMs: limit.retryAfterMs, ...(limit.kind ? { kind: limit.kind } : {}) },
    },
  );
}
