/** How deliveries are retried. */
export interface WebhookRetryPolicy {
  /**
   * The base of the exponential backoff: the first retry comes between this and twice this after
   * the first failure, the n-th between `initialDelayMs * 2^(n-1)` and twice that (random jitter,
   * so receivers coming back up are not hit by every sender at once). @default 30_000
   */
  initialDelayMs: number;
  /** How long after the event retries go on; then the delivery is marked `failed`. @default 86_400_000 (24 hours) */
  retryForMs: number;
  /** How long one attempt waits for the receiver's answer. @default 10_000 */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: WebhookRetryPolicy = {
  initialDelayMs: 30_000,
  retryForMs: 24 * 60 * 60 * 1000,
  timeoutMs: 10_000,
};

// 2^16 times the base is far past any retry window; the cap only keeps the numbers finite.
const MAX_EXPONENT = 16;

/**
 * When to try again after `failedAttempts` failures (1 after the first), or `undefined` when that
 * would fall past the retry window: the delivery has failed for good.
 */
export function nextAttemptAt(
  policy: WebhookRetryPolicy,
  failedAttempts: number,
  createdAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | undefined {
  const base = policy.initialDelayMs * 2 ** Math.min(MAX_EXPONENT, Math.max(0, failedAttempts - 1));
  const next = new Date(now.getTime() + Math.round(base * (1 + random())));
  return next.getTime() <= createdAt.getTime() + policy.retryForMs ? next : undefined;
}
