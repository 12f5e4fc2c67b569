import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { BuiltRequest } from './build-request.js';
import type { RateLimitReader } from './rate-limit.js';
import { sendRequest, type FetchFunction } from './send-request.js';

// A vendor that says "rate limit" with a 403 and a header, as GitHub does.
const reader: RateLimitReader = ({ status, headers, body }) => {
  if (status !== 403) return undefined;
  if (headers.get('x-quota-left') === '0') return { retryAfterMs: Number(headers.get('x-wait-ms')), kind: 'primary' };
  if (typeof body === 'object' && body !== null && /slow down/.test(String((body as { message?: unknown }).message)))
    return { retryAfterMs: 5, kind: 'secondary' };
  return undefined;
};

function answers(list: Array<() => Response>): { fetch: FetchFunction; count: () => number } {
  let calls = 0;
  return {
    fetch: async () => {
      calls += 1;
      return (list[Math.min(calls - 1, list.length - 1)] as () => Response)();
    },
    count: () => calls,
  };
}

const limited =
  (waitMs: number, extra: Record<string, string> = {}) =>
  () =>
    new Response('{"message":"quota"}', {
      status: 403,
      headers: { 'content-type': 'application/json', 'x-quota-left': '0', 'x-wait-ms': String(waitMs), ...extra },
    });
const ok = () => new Response('{"done":true}', { status: 200, headers: { 'content-type': 'application/json' } });

const request = (method: 'GET' | 'POST'): BuiltRequest => ({
  method,
  url: new URL('https://api.acme.test/things?token=s3cret'),
  headers: new Headers(),
});
const options = (fetchFunction: FetchFunction) => ({
  fetch: fetchFunction,
  redactor: createRedactor(['s3cret']),
  rateLimit: reader,
  backoffLimitMs: 1,
});

describe("a connector's rateLimit reader", () => {
  it('retries an idempotent request after the wait the answer gives', async () => {
    const server = answers([limited(5), ok]);
    const response = await sendRequest(request('GET'), options(server.fetch));
    expect(response.data).toEqual({ done: true });
    expect(server.count()).toBe(2);
  });

  it('reads the body: a message alone can mark the answer as a rate limit', async () => {
    const server = answers([
      () =>
        new Response('{"message":"please slow down"}', {
          status: 403,
          headers: { 'content-type': 'application/json' },
        }),
      ok,
    ]);
    await expect(sendRequest(request('GET'), options(server.fetch))).resolves.toMatchObject({ status: 200 });
    expect(server.count()).toBe(2);
  });

  it('gives RATE_LIMITED with retryAfterMs when the wait is longer than maxRetryAfterMs, without waiting', async () => {
    const server = answers([limited(120_000)]);
    const error = await sendRequest(request('GET'), { ...options(server.fetch), maxRetryAfterMs: 60_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(PlugboardError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      status: 403,
      retryable: true,
      details: { retryAfterMs: 120_000, kind: 'primary', body: { message: 'quota' } },
    });
    expect((error as Error).message).not.toContain('s3cret');
    expect(server.count()).toBe(1);
  });

  it('does not repeat a POST refused with 403, which is not a 429 or 503 with Retry-After', async () => {
    const server = answers([limited(5), ok]);
    await expect(sendRequest(request('POST'), options(server.fetch))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(server.count()).toBe(1);
  });

  it('repeats a POST answered 429 with Retry-After, as for any other answer', async () => {
    const server = answers([
      () => new Response('{}', { status: 429, headers: { 'retry-after': '0', 'x-quota-left': '0', 'x-wait-ms': '5' } }),
      ok,
    ]);
    const reader429: RateLimitReader = ({ status }) => (status === 429 ? { retryAfterMs: 5 } : undefined);
    await expect(
      sendRequest(request('POST'), { ...options(server.fetch), rateLimit: reader429 }),
    ).resolves.toMatchObject({ status: 200 });
    expect(server.count()).toBe(2);
  });

  it('stops after the retries allowed and answers RATE_LIMITED', async () => {
    const server = answers([limited(1)]);
    await expect(sendRequest(request('GET'), { ...options(server.fetch), retries: 2 })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(server.count()).toBe(3);
  });

  it('leaves other errors alone', async () => {
    const server = answers([() => new Response('{"message":"forbidden"}', { status: 403 })]);
    await expect(sendRequest(request('GET'), options(server.fetch))).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 403,
    });
  });
});
