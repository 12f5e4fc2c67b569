import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { errorOf } from '@plugboard/fakes';
import type { PlugboardError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { BuiltRequest } from './build-request.js';
import { createSender, sendRequest, type FetchFunction, type SendOptions } from './send-request.js';

interface Call {
  input: Request | URL | string;
  init: RequestInit | undefined;
}

/** A fetch that answers from a list (the last answer repeats) and records what it was given. */
function scriptedFetch(answers: Array<() => Response | Promise<Response>>): { fetch: FetchFunction; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFunction: FetchFunction = async (input, init) => {
    calls.push({ input, init });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)] as () => Response | Promise<Response>;
    return answer();
  };
  return { fetch: fetchFunction, calls };
}

/** A fetch that never answers, and rejects as fetch does when its signal aborts. */
function hangingFetch(): { fetch: FetchFunction; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const fetchFunction: FetchFunction = (_input, init) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal as AbortSignal;
      signals.push(signal);
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { fetch: fetchFunction, signals };
}

function get(url = 'https://api.acme.test/things'): BuiltRequest {
  return { method: 'GET', url: new URL(url), headers: new Headers({ accept: 'application/json' }) };
}

function post(): BuiltRequest {
  return {
    method: 'POST',
    url: new URL('https://api.acme.test/things'),
    headers: new Headers({ 'content-type': 'application/json' }),
    body: '{"title":"t"}',
  };
}

function options(extra: Partial<SendOptions>): SendOptions {
  return { redactor: createRedactor([]), backoffLimitMs: 1, ...extra };
}

const json =
  (body: unknown, init: ResponseInit = {}) =>
  () =>
    new Response(JSON.stringify(body), { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

describe('sendRequest', () => {
  it('calls fetch(url, init) with the method, headers, body and an abort signal, and parses the answer', async () => {
    const { fetch, calls } = scriptedFetch([json({ id: 1 }, { status: 201 })]);
    const response = await sendRequest(post(), options({ fetch }));
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ id: 1 });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.input).toBe('https://api.acme.test/things');
    expect(call?.init?.method).toBe('POST');
    expect(call?.init?.body).toBe('{"title":"t"}');
    expect(new Headers(call?.init?.headers).get('content-type')).toBe('application/json');
    expect(call?.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('retries a GET after network errors as many times as configured, then reports NETWORK_ERROR', async () => {
    const { fetch, calls } = scriptedFetch([
      () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      },
    ]);
    const error = await errorOf<PlugboardError>(sendRequest(get(), options({ fetch, retries: 3 })));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('ECONNRESET');
    expect(calls).toHaveLength(4);
  });

  it('never repeats a POST after a network error', async () => {
    const { fetch, calls } = scriptedFetch([
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    expect((await errorOf<PlugboardError>(sendRequest(post(), options({ fetch })))).code).toBe('NETWORK_ERROR');
    expect(calls).toHaveLength(1);
  });

  it('waits the plain backoff, not Retry-After, before repeating a 500', async () => {
    // Retry-After: 50 s is within maxRetryAfterMs; honouring it would outlast the test.
    const { fetch, calls } = scriptedFetch([
      json({ message: 'oops' }, { status: 500, headers: { 'retry-after': '50' } }),
      json({ ok: true }),
    ]);
    const response = await sendRequest(get(), options({ fetch }));
    expect(response.data).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('does not repeat a 500 whose Retry-After is longer than maxRetryAfterMs, and reports the wait', async () => {
    const { fetch, calls } = scriptedFetch([
      json({ message: 'later' }, { status: 500, headers: { 'retry-after': '120' } }),
    ]);
    const error = await errorOf<PlugboardError>(sendRequest(get(), options({ fetch, maxRetryAfterMs: 1_000 })));
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 500,
      retryable: true,
      details: { retryAfterMs: 120_000 },
    });
    expect(calls).toHaveLength(1);
  });

  it('repeats a POST refused with 503 and Retry-After: 0, but not one without Retry-After', async () => {
    const refused = scriptedFetch([
      json({ message: 'busy' }, { status: 503, headers: { 'retry-after': '0' } }),
      json({ id: 2 }, { status: 201 }),
    ]);
    expect((await sendRequest(post(), options({ fetch: refused.fetch }))).data).toEqual({ id: 2 });
    expect(refused.calls).toHaveLength(2);
    const plain = scriptedFetch([json({ message: 'busy' }, { status: 503 }), json({ id: 3 }, { status: 201 })]);
    expect(await errorOf<PlugboardError>(sendRequest(post(), options({ fetch: plain.fetch })))).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 503,
    });
    expect(plain.calls).toHaveLength(1);
  });

  it('drops the body of a refused answer before repeating the request', async () => {
    let cancelled = false;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"message":"busy"}'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { fetch } = scriptedFetch([() => new Response(body, { status: 503 }), json({ ok: true })]);
    await sendRequest(get(), options({ fetch }));
    expect(cancelled).toBe(true);
  });

  it('reports the body of the last refused answer once retries are spent', async () => {
    const { fetch, calls } = scriptedFetch([
      json({ message: 'first' }, { status: 502 }),
      json({ message: 'last' }, { status: 502 }),
    ]);
    const error = await errorOf<PlugboardError>(sendRequest(get(), options({ fetch, retries: 1 })));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502, details: { body: { message: 'last' } } });
    expect(calls).toHaveLength(2);
  });

  it('gives every attempt its own timeout and aborts the attempt that timed out', async () => {
    const { fetch, signals } = hangingFetch();
    const error = await errorOf<PlugboardError>(sendRequest(get(), options({ fetch, timeoutMs: 20, retries: 1 })));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(error.message).toBe('Request timed out after 20 ms: GET https://api.acme.test/things');
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(signals[0]).not.toBe(signals[1]);
  });

  it('stops at once with ABORTED when the caller aborts during the wait before a retry', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scriptedFetch([
      () => {
        // The server asks for a minute; the caller gives up meanwhile.
        queueMicrotask(() => controller.abort());
        return json({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '60' } })();
      },
    ]);
    const error = await errorOf<PlugboardError>(
      sendRequest(get(), options({ fetch, signal: controller.signal, maxRetryAfterMs: 120_000 })),
    );
    expect(error.code).toBe('ABORTED');
    expect(calls).toHaveLength(1);
  });

  it('passes the caller abort on to the request in flight', async () => {
    const controller = new AbortController();
    const { fetch, signals } = hangingFetch();
    const pending = sendRequest(get(), options({ fetch, signal: controller.signal, retries: 0 }));
    controller.abort();
    expect((await errorOf<PlugboardError>(pending)).code).toBe('ABORTED');
    expect(signals[0]?.aborted).toBe(true);
  });

  it('sends nothing for a caller signal that is already aborted', async () => {
    const { fetch, signals } = hangingFetch();
    const error = await errorOf<PlugboardError>(sendRequest(post(), options({ fetch, signal: AbortSignal.abort() })));
    expect(error.code).toBe('ABORTED');
    // The fetch was handed an aborted signal, which makes a real fetch reject before sending.
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('redacts known secrets from the URL of an error', async () => {
    const { fetch } = scriptedFetch([json({ message: 'nope' }, { status: 401 })]);
    const built = get('https://api.acme.test/things?api_key=sk-secret-value&page=2');
    const error = await errorOf<PlugboardError>(
      sendRequest(built, options({ fetch, redactor: createRedactor(['sk-secret-value']) })),
    );
    expect(error.message).not.toContain('sk-secret-value');
    expect(error.message).toContain('page=2');
  });
});

describe('sendRequest with a fetch that throws instead of rejecting', () => {
  it('reports NETWORK_ERROR after the configured retries of an idempotent request', async () => {
    let calls = 0;
    const throwing: FetchFunction = () => {
      calls += 1;
      throw new TypeError('boom');
    };
    const error = await errorOf<PlugboardError>(sendRequest(get(), options({ fetch: throwing, retries: 1 })));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('boom');
    expect(calls).toBe(2);
  });
});

describe('createSender: hooks', () => {
  it('ends with the failure it would have repeated when a beforeRetry hook stops the retries', async () => {
    const { fetch, calls } = scriptedFetch([json({ message: 'busy' }, { status: 503 })]);
    const send = createSender({ fetch, hooks: { beforeRetry: [() => ky.stop] } });
    const error = await errorOf<PlugboardError>(send(get(), options({})));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 503 });
    expect(calls).toHaveLength(1);
  });

  it('never repeats a request whose hook threw, and reports the redacted error', async () => {
    const { fetch, calls } = scriptedFetch([json({ ok: true })]);
    let runs = 0;
    const send = createSender({
      fetch,
      hooks: {
        beforeRequest: [
          () => {
            runs += 1;
            throw new Error('hook failed near sk-secret-value');
          },
        ],
      },
    });
    const error = await errorOf<PlugboardError>(
      send(get(), options({ redactor: createRedactor(['sk-secret-value']) })),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).not.toContain('sk-secret-value');
    expect(runs).toBe(1);
    expect(calls).toHaveLength(0);
  });

  it('sends the request a beforeRequest hook returned, body included', async () => {
    const { fetch, calls } = scriptedFetch([json({ id: 1 }, { status: 201 })]);
    const send = createSender({
      fetch,
      hooks: { beforeRequest: [(request) => new Request(request, { body: '{"title":"changed"}' })] },
    });
    await send(post(), options({}));
    expect(calls[0]?.init?.body).toBe('{"title":"changed"}');
  });
});
