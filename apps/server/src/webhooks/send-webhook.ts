import { signWebhook } from '@plugboard/webhooks';
import type { WebhookAttempt } from './webhook-outbox.js';

/**
 * One attempt: the body POSTed to the endpoint with fresh Standard Webhooks headers (the id stays,
 * the timestamp and signature are made now, so a receiver's 5-minute tolerance holds on retries).
 * Only a 2xx answer counts as delivered; a redirect is not followed. The answer's body is not read
 * or kept: it is the receiver's, and may hold anything.
 */
export async function sendWebhook(params: {
  url: string;
  /** The endpoint's secret, then the one it replaced while that is still honoured: each signs. */
  secrets: readonly string[];
  id: string;
  body: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
}): Promise<{ delivered: boolean; attempt: WebhookAttempt }> {
  const started = new Date();
  const clock = performance.now();
  const headers = {
    ...signWebhook(params.secrets, { id: params.id, timestamp: started, body: params.body }),
    'content-type': 'application/json',
    'user-agent': 'plugboard-webhooks',
  };
  try {
    const response = await params.fetch(params.url, {
      method: 'POST',
      headers,
      body: params.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(params.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    const attempt: WebhookAttempt = {
      at: started.toISOString(),
      durationMs: Math.round(performance.now() - clock),
      responseStatus: response.status,
    };
    if (!delivered) attempt.error = `HTTP_${response.status}`;
    return { delivered, attempt };
  } catch (error) {
    return {
      delivered: false,
      attempt: { at: started.toISOString(), durationMs: Math.round(performance.now() - clock), error: reasonOf(error) },
    };
  }
}

// A short, secret-free reason: the error's code, never its message (which may echo the URL).
function reasonOf(error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string' && /^[A-Z_]+$/.test(cause.code)) return cause.code;
  return 'NETWORK_ERROR';
}
