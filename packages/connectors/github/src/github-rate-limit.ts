import type { RateLimit, RateLimitAnswer } from '@plugboard/core';

// GitHub: "If you continue to make requests while rate limited ... wait at least one minute".
const SECONDARY_DEFAULT_WAIT_MS = 60_000;
const SECONDARY_MESSAGE = /secondary rate limit/i;

function messageOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string')
    return (body as { message: string }).message;
  return '';
}

/**
 * GitHub's rate-limit answers, as its documentation describes them: a 403 or 429 with
 * `x-ratelimit-remaining: 0` is the primary limit (wait until `x-ratelimit-reset`, epoch seconds);
 * a 403 or 429 with `retry-after` (seconds), or with a "secondary rate limit" message, is a
 * secondary limit (wait `retry-after`, else until the reset when the quota is spent, else a minute).
 * @see https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 * @see https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
 */
export function githubRateLimit(answer: RateLimitAnswer, now: number = Date.now()): RateLimit | undefined {
  if (answer.status !== 403 && answer.status !== 429) return undefined;
  const { headers } = answer;
  const retryAfter = headers.get('retry-after');
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  const untilReset =
    reset !== null && /^\d+$/.test(reset) ? Math.max(0, Number(reset) * 1000 - now) : SECONDARY_DEFAULT_WAIT_MS;
  const secondary = retryAfter !== null || SECONDARY_MESSAGE.test(messageOf(answer.body));
  if (secondary) {
    if (retryAfter !== null && /^\d+$/.test(retryAfter))
      return { retryAfterMs: Number(retryAfter) * 1000, kind: 'secondary' };
    return { retryAfterMs: remaining === '0' ? untilReset : SECONDARY_DEFAULT_WAIT_MS, kind: 'secondary' };
  }
  if (remaining === '0') return { retryAfterMs: untilReset, kind: 'primary' };
  return undefined;
}
