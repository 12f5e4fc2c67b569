import ky, { isHTTPError, isTimeoutError, type Hooks } from 'ky';
import { PlugboardError } from '../errors.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { HttpMethod, HttpResponse } from '../spec/action.js';
import type { BuiltRequest } from './build-request.js';
import { mayRetryRateLimited, rateLimitedError, type RateLimit, type RateLimitReader } from './rate-limit.js';

/** A fetch function: the runtime's, or your own (a proxy agent, a test double). */
export type FetchFunction = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** How requests are sent. Every field has a default suited to third-party REST APIs. */
export interface HttpOptions {
  /**
   * Milliseconds before one attempt is abandoned with a `TIMEOUT` error. It covers the wait for
   * the response headers; retries get a fresh timeout each.
   * @default 30_000
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt. Idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) retry
   * on network errors, timeouts and on 408, 429, 500, 502, 503 and 504. POST and PATCH retry only on 429 and
   * 503 with a `Retry-After` header, when the server says it did not act on the request.
   * @default 2
   */
  retries?: number;
  /**
   * The longest `Retry-After` wait honoured; a longer one returns the error at once (with
   * `retryable: true` and the wait in `details.retryAfterMs`).
   * @default 60_000
   */
  maxRetryAfterMs?: number;
  /**
   * Cap of the exponential backoff between retries (0.3 s, 0.6 s, 1.2 s, ...).
   * @default 10_000
   */
  backoffLimitMs?: number;
}

/**
 * ky's hooks, the extension point of every request a toolset sends to an app's API (executions
 * and `proxy`): log, trace, sign, or answer from a cache. They run in order; Plugboard's own
 * retry rules run after your `afterResponse` hooks, so those see every answer, refused ones too.
 * `options.context.redactor` in a hook is the request's {@link Redactor}, which knows its secrets.
 * @see https://github.com/sindresorhus/ky#hooks
 * @example
 * hooks: {
 *   beforeRequest: [(request) => request.headers.set('traceparent', currentTraceparent())],
 *   afterResponse: [(request, options, response) => log(`${request.method} ${redactorOf(options).url(request.url)} ${response.status}`)],
 * }
 */
export type HttpHooks = Pick<Hooks, 'beforeRequest' | 'afterResponse' | 'beforeRetry'>;

/** What one sender is bound to: the fetch it calls and the hooks every request goes through. */
export interface SenderOptions {
  /** @default globalThis.fetch */
  fetch?: FetchFunction | undefined;
  hooks?: HttpHooks | undefined;
}

export interface SendOptions extends HttpOptions {
  /** Used by `sendRequest` only; a sender made by `createSender` keeps the fetch it was made with. */
  fetch?: FetchFunction | undefined;
  /**
   * Wraps the fetch of this call's attempts (each attempt, retries included, is one call of the
   * wrapped function): how an execution's trace makes every attempt a child span.
   */
  wrapFetch?: ((fetchFunction: FetchFunction) => FetchFunction) | undefined;
  /** The connector's reader of its vendor's rate-limit answers (`Connector.rateLimit`). */
  rateLimit?: RateLimitReader | undefined;
  signal?: AbortSignal | undefined;
  redactor: Redactor;
  /**
   * Whether a non-2xx answer that is not retried is thrown as `UPSTREAM_ERROR`. With false it is
   * returned, for a caller that makes its own error of it (a credential provider's).
   * @default true
   */
  throwHttpErrors?: boolean | undefined;
  /**
   * `'manual'` for a request whose credentials must not follow a redirect to another host: a 3xx
   * answer is then returned (or thrown) as it is.
   * @default 'follow'
   */
  redirect?: RequestRedirect | undefined;
}

/** What a sender returns: the response, with its reason phrase. */
export interface SentResponse extends HttpResponse {
  statusText: string;
}

/**
 * Sends a built request and returns the parsed response, retrying what is safe to repeat. Any
 * failure, including a non-2xx answer, is thrown as a redacted PlugboardError.
 */
export type Sender = (built: BuiltRequest, options: SendOptions) => Promise<SentResponse>;

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
// Statuses whose Retry-After says when to come back; on the others a retry waits the plain backoff.
const RETRY_AFTER_STATUS = new Set([429, 503]);
// The longest delay setTimeout can wait (2^31 - 1 ms); a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647;
// Every method may reach the retry decision; which ones repeat is decided by the rules below, not by ky's list.
const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'post', 'patch'];

/**
 * A rejection of fetch itself (no response), told apart from errors thrown by hooks. An Error,
 * because ky hands its retry decision a wrapper around anything else.
 */
class FetchFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('fetch failed');
  }
}

// One ky instance per fetch function for the senders made on the fly (token endpoints, tests).
const sendersByFetch = new WeakMap<FetchFunction, Sender>();
let globalFetchSender: Sender | undefined;

/**
 * Sends a built request with a sender bound to `options.fetch` (made once per fetch function).
 * A toolset sends with its own sender instead, which carries the toolset's hooks.
 */
export function sendRequest(built: BuiltRequest, options: SendOptions): Promise<SentResponse> {
  const fetchFunction = options.fetch;
  if (!fetchFunction) {
    globalFetchSender ??= createSender();
    return globalFetchSender(built, options);
  }
  let sender = sendersByFetch.get(fetchFunction);
  if (!sender) {
    sender = createSender({ fetch: fetchFunction });
    sendersByFetch.set(fetchFunction, sender);
  }
  return sender(built, options);
}

/**
 * Creates one ky instance bound to a fetch and hooks, and returns the function that sends with it.
 * ky does the attempts, the per-attempt timeout, the waits and the abort; Plugboard's rules decide,
 * as ky's `shouldRetry`, which failures and refused answers are repeated and after how long.
 *
 * The given fetch is called as `fetch(url, init)` with the method, headers, body and signal of the
 * request the hooks produced, as a proxy agent or a test double expects.
 */
export function createSender(senderOptions: SenderOptions = {}): Sender {
  const fetchFunction = senderOptions.fetch;
  const attemptFetch = async (input: RequestInfo | URL, given?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, given);
    // The runtime's fetch takes ky's request as it is: unpacking it would build a second one.
    if (!fetchFunction) return fetch(request).catch((error: unknown) => Promise.reject(new FetchFailure(error)));
    const init: RequestInit = { method: request.method, headers: request.headers, signal: request.signal };
    if (request.redirect !== 'follow') init.redirect = request.redirect;
    // The body is read back from the request, so a hook that replaced the request sends its body.
    if (request.body !== null) init.body = await request.text();
    try {
      return await fetchFunction(request.url, init);
    } catch (error) {
      throw new FetchFailure(error);
    }
  };
  const client = ky.create({
    fetch: attemptFetch,
    hooks: senderOptions.hooks ?? {},
    // Every method reaches shouldRetry, which decides; ky's own status lists are not used.
    retry: { methods: ALL_METHODS },
  });

  return async (built, options) => {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const retries = options.retries ?? 2;
    const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    const backoffLimitMs = options.backoffLimitMs ?? 10_000;
    const idempotent = IDEMPOTENT.has(built.method);
    const { signal, rateLimit } = options;
    // The wait shouldRetry chose, handed to ky through retry.delay.
    let nextDelay = 0;
    // What ends the call if a beforeRetry hook stops the retries.
    let lastFailure: unknown;
    let lastRead: { response: Response; limit: RateLimit | undefined } | undefined;

    /** The connector's reading of a refused answer (some vendors say "rate limit" only in the body). */
    const rateLimitOf = async (response: Response): Promise<RateLimit | undefined> => {
      if (!rateLimit) return undefined;
      if (lastRead?.response === response) return lastRead.limit;
      const body = await readBody(response.clone()).catch(() => null);
      const limit = rateLimit({ status: response.status, headers: response.headers, body });
      lastRead = { response, limit };
      return limit;
    };

    /**
     * Plugboard's rules, asked by ky after each failed attempt while retries are left: whether to
     * repeat, and (in nextDelay) after how long. Errors thrown by hooks are never repeated.
     */
    const shouldRetry = async ({ error, retryCount }: { error: Error; retryCount: number }): Promise<boolean> => {
      // A caller who aborted meanwhile gets ABORTED from ky's wait, which checks the signal first.
      let delay: number | undefined;
      if (isHTTPError(error)) {
        const { response } = error;
        const limit = await rateLimitOf(response);
        if (limit !== undefined) {
          delay = mayRetryRateLimited(limit, response, idempotent, maxRetryAfterMs) ? limit.retryAfterMs : undefined;
        } else {
          delay = delayBeforeRetry(response, idempotent, maxRetryAfterMs, () => backoff(retryCount, backoffLimitMs));
        }
        // The refused answer is not read; dropping its body frees the connection.
        if (delay !== undefined) response.body?.cancel().catch(() => undefined);
      } else if (idempotent && (error instanceof FetchFailure || isTimeoutError(error))) {
        // Network errors and timeouts: the server may have acted, so only idempotent requests repeat.
        delay = backoff(retryCount, backoffLimitMs);
      }
      if (delay === undefined) return false;
      nextDelay = delay;
      lastFailure = error;
      return true;
    };

    let response: Response | undefined;
    try {
      if (timeoutMs > MAX_TIMER_MS) throw new RangeError(`The timeout cannot be greater than ${MAX_TIMER_MS} ms`);
      response = await client(built.url.href, {
        method: built.method,
        headers: built.headers,
        ...(built.body !== undefined ? { body: built.body } : {}),
        ...(signal ? { signal } : {}),
        ...(options.redirect ? { redirect: options.redirect } : {}),
        ...(options.wrapFetch ? { fetch: options.wrapFetch(attemptFetch) } : {}),
        timeout: timeoutMs,
        retry: { limit: retries, shouldRetry, delay: () => nextDelay },
        context: { redactor: options.redactor },
      });
      // A beforeRetry hook returned ky.stop: the call ends with the failure it would have repeated.
      if (response === undefined) throw lastFailure;
    } catch (error) {
      if (!isHTTPError(error)) {
        throw await toPlugboardError(error instanceof FetchFailure ? error.cause : error, built, options);
      }
      const limit = await rateLimitOf(error.response);
      if (limit !== undefined) {
        // The upstream error carries the vendor's message and request id; RATE_LIMITED keeps them.
        throw rateLimitedError(limit, await toPlugboardError(new UpstreamStatus(error.response), built, options));
      }
      if (options.throwHttpErrors !== false) {
        throw await toPlugboardError(new UpstreamStatus(error.response), built, options);
      }
      response = error.response;
    }
    try {
      return {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        data: await readBody(response),
      };
    } catch (error) {
      throw await toPlugboardError(error, built, options);
    }
  };
}

/** The redactor of the request a hook is looking at (`options.context.redactor`), or one that redacts by key only. */
export function redactorOf(options: { context?: Record<string, unknown> }): Redactor {
  return (options.context?.['redactor'] as Redactor | undefined) ?? createRedactor([]);
}

/** Exponential backoff before retry number `attempt`: 0.3 s, 0.6 s, 1.2 s, ..., capped. */
function backoff(attempt: number, limitMs: number): number {
  return Math.min(limitMs, 300 * 2 ** (attempt - 1));
}

/**
 * Milliseconds to wait before repeating a request refused with `response`, or undefined when it
 * must not be repeated: idempotent requests on 408, 429, 500, 502, 503 and 504, POST and PATCH
 * only on 429 and 503 with Retry-After; never when the server asks for a longer wait than allowed.
 */
function delayBeforeRetry(
  response: Response,
  idempotent: boolean,
  maxRetryAfterMs: number,
  plainBackoff: () => number,
): number | undefined {
  const { status, headers } = response;
  const allowed = idempotent
    ? RETRYABLE_STATUS.has(status)
    : RETRY_AFTER_STATUS.has(status) && headers.has('retry-after');
  if (!allowed) return undefined;
  const wait = retryAfterMs(headers, status);
  if (wait !== undefined && wait > maxRetryAfterMs) return undefined;
  // Only a 429 or 503 waits as the response asks; a rate-limit window header (GitHub sends
  // X-RateLimit-Reset on every answer) is never taken for a retry delay on a 500 or 503.
  return wait !== undefined && RETRY_AFTER_STATUS.has(status) ? wait : plainBackoff();
}

/**
 * Waits `ms` (capped at the longest timer Node allows), or rejects with the abort reason as soon as
 * `signal` aborts: the one sleep of Plugboard's packages, for retries, polling and lock back-off.
 * @example await abortableDelay(250, request.signal);
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A non-2xx response on its way to becoming an UPSTREAM_ERROR. */
class UpstreamStatus {
  constructor(readonly response: Response) {}
}

/** Parsed JSON when the body is JSON, text when it is text, bytes otherwise, `null` when empty. */
export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205 || response.status === 304) return null;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType !== '' && !/json|text|xml|x-www-form-urlencoded|javascript/i.test(contentType)) {
    return new Uint8Array(await response.arrayBuffer());
  }
  const text = await response.text();
  if (text === '') return null;
  if (/json/i.test(contentType) || (contentType === '' && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Milliseconds to wait as a response asks, or undefined when it does not say. `Retry-After` counts
 * on any status; a rate-limit reset time only on a 429, or a 403 whose quota is spent.
 */
function retryAfterMs(headers: Headers, status: number): number | undefined {
  let raw = headers.get('Retry-After') ?? headers.get('X-RateLimit-Retry-After');
  const quotaSpent =
    status === 429 ||
    (status === 403 && (headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining')) === '0');
  if (raw === null && quotaSpent)
    raw = headers.get('RateLimit-Reset') ?? headers.get('X-RateLimit-Reset') ?? headers.get('X-Rate-Limit-Reset');
  if (raw === null) return undefined;
  let wait = Number(raw) * 1000;
  if (Number.isNaN(wait)) wait = Date.parse(raw) - Date.now();
  else if (wait >= Date.parse('2024-01-01')) wait -= Date.now();
  return Number.isNaN(wait) ? undefined : Math.max(0, wait);
}

async function toPlugboardError(error: unknown, built: BuiltRequest, options: SendOptions): Promise<PlugboardError> {
  const { redactor } = options;
  const target = `${built.method} ${redactor.url(built.url)}`;
  if (PlugboardError.isInstance(error)) return error;
  if (error instanceof UpstreamStatus) {
    const { response } = error;
    let body: unknown;
    try {
      body = await readBody(response);
    } catch {
      body = null;
    }
    const redactedBody = body instanceof Uint8Array ? `[${body.byteLength} bytes]` : redactor.value(body);
    const upstreamMessage = describeUpstreamBody(redactedBody);
    // The reason phrase and request id come from the server, which may echo a credential back.
    const statusText = `${response.status}${response.statusText ? ` ${redactor.text(response.statusText)}` : ''}`;
    const details: Record<string, unknown> = { body: redactedBody };
    const wait = retryAfterMs(response.headers, response.status);
    if (wait !== undefined) details['retryAfterMs'] = wait;
    const requestId = response.headers.get('x-github-request-id') ?? response.headers.get('x-request-id');
    if (requestId) details['requestId'] = redactor.text(requestId);
    return new PlugboardError(
      'UPSTREAM_ERROR',
      `Request failed with status ${statusText}: ${target}${upstreamMessage ? ` (${redactor.text(upstreamMessage)})` : ''}`,
      { status: response.status, retryable: RETRYABLE_STATUS.has(response.status), details },
    );
  }
  if (isTimeoutError(error)) {
    return new PlugboardError('TIMEOUT', `Request timed out after ${options.timeoutMs ?? 30_000} ms: ${target}`, {
      retryable: true,
    });
  }
  if (options.signal?.aborted) {
    return new PlugboardError('ABORTED', `Request aborted by the caller: ${target}`);
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const reason =
    typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'unknown error';
  return new PlugboardError(
    'NETWORK_ERROR',
    `Request failed before a response (${redactor.text(String(reason))}): ${target}`,
    { retryable: true },
  );
}

/** The human part of a typical API error body: `message`, `error_description`, `error.message`. */
function describeUpstreamBody(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 200) || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const nested =
    typeof record['error'] === 'object' && record['error'] !== null
      ? (record['error'] as Record<string, unknown>)
      : undefined;
  const candidates = [
    record['message'],
    record['error_description'],
    nested?.['message'],
    record['errors'] && typeof record['errors'] === 'string' ? record['errors'] : undefined,
    record['error'],
  ];
  const found = candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate.length > 0,
  );
  return (found ?? describeFieldErrors(record['errors']))?.slice(0, 200);
}

/** Validation errors keyed by field, as Rails-style APIs send them: `{ email: ['has already been taken'] }`. */
function describeFieldErrors(errors: unknown): string | undefined {
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return undefined;
  const parts = Object.entries(errors as Record<string, unknown>).map(([field, messages]) => {
    const list = Array.isArray(messages)
      ? messages.filter((message) => typeof message === 'string')
      : typeof messages === 'string'
        ? [messages]
        : [];
    return list.length > 0 ? `${field} ${list.join(', ')}` : undefined;
  });
  const text = parts.filter((part): part is string => part !== undefined).join('; ');
  return text === '' ? undefined : text;
}
