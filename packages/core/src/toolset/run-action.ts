import { safeParseAsync, type $ZodType } from 'zod/v4/core';
import { PlugboardError, serializeError, type SerializedError } from '../errors.js';
import { buildRequest } from '../http/build-request.js';
import type { FetchFunction, HttpOptions, Sender } from '../http/send-request.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { Action, HttpRequestOptions, HttpResponse, ParsedRequestSpec, QueryValue } from '../spec/action.js';
import type { Connector } from '../spec/connector.js';
import type { ResolvedAuth } from './resolve-auth.js';

/**
 * What every execution returns. Failures, including upstream API errors, are results rather
 * than exceptions, so an agent can read them.
 */
export type ActionResult<T = unknown> =
  | { successful: true; data: T; error: null }
  | { successful: false; data: null; error: SerializedError };

export interface RequesterOptions {
  connector: Connector;
  auth: ResolvedAuth;
  http: HttpOptions;
  /** The toolset's sender (its ky instance, fetch and hooks). */
  sender: Sender;
  /** Wraps each HTTP attempt's fetch (the execution's trace). */
  wrapFetch?: ((fetchFunction: FetchFunction) => FetchFunction) | undefined;
  signal: AbortSignal | undefined;
  redactor: Redactor;
}

/**
 * An authenticated request function bound to one app and one set of credentials. A 401 on
 * credentials that can be refreshed is answered once: refresh, then the same request again.
 */
export function createRequester(options: RequesterOptions) {
  const { connector } = options;
  let auth = options.auth;
  const send = async (resolved: ResolvedAuth, request: HttpRequestOptions) => {
    let built = buildRequest({
      baseUrl: resolved.baseUrl ?? connector.baseUrl,
      method: request.method,
      path: request.path,
      ...(request.pathParams ? { pathParams: request.pathParams } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.bodyEncoding ? { bodyEncoding: request.bodyEncoding } : {}),
      headers: { ...connector.headers, ...request.headers },
      auth: resolved.parameters,
      ...(resolved.body ? { authBody: resolved.body } : {}),
    });
    // Signing comes last, over the final URL and body.
    if (resolved.sign) built = await resolved.sign(built);
    return options.sender(built, {
      ...options.http,
      signal: options.signal,
      redactor: options.redactor,
      rateLimit: connector.rateLimit,
      wrapFetch: options.wrapFetch,
    });
  };
  return async <T = unknown>(request: HttpRequestOptions): Promise<HttpResponse<T>> => {
    const used = auth;
    try {
      return (await send(used, request)) as HttpResponse<T>;
    } catch (error) {
      if (
        !(PlugboardError.isInstance(error) && error.code === 'UPSTREAM_ERROR' && error.status === 401 && used.refresh)
      )
        throw error;
      // Later requests of the same action share the fresh credentials; a concurrent 401 shares the refresh.
      if (auth === used) auth = await used.refresh();
      options.redactor.add(auth.secrets);
      return (await send(auth, request)) as HttpResponse<T>;
    }
  };
}

const METHODS_WITH_QUERY_INPUT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Maps validated input onto a declarative request: path parameters by name, then the keys the
 * spec lists for query and body, then every other key to the query (GET, HEAD, DELETE, OPTIONS)
 * or the body (the rest).
 */
export function mapInputToRequest(spec: ParsedRequestSpec, input: unknown): HttpRequestOptions {
  const request: HttpRequestOptions = {
    method: spec.method,
    path: spec.path,
    bodyEncoding: spec.bodyEncoding,
    headers: spec.headers,
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    if (input !== undefined) request.body = input;
    return request;
  }
  const values = input as Record<string, unknown>;
  const pathNames = new Set(spec.pathParams.map((param) => param.name));
  const pathParams: Record<string, string | number> = {};
  for (const name of pathNames) {
    const value = values[name];
    if (value !== undefined && value !== null) pathParams[name] = value as string | number;
  }
  const query: Record<string, QueryValue> = {};
  const body: Record<string, unknown> = {};
  const queryNames = new Set(spec.query ?? []);
  const bodyNames = new Set(spec.body ?? []);
  const restToQuery = METHODS_WITH_QUERY_INPUT.has(spec.method);
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || pathNames.has(name)) continue;
    if (queryNames.has(name)) query[name] = value as QueryValue;
    else if (bodyNames.has(name)) body[name] = value;
    else if (restToQuery) query[name] = value as QueryValue;
    else body[name] = value;
  }
  request.pathParams = pathParams;
  if (Object.keys(query).length > 0) request.query = query;
  if (Object.keys(body).length > 0) request.body = body;
  return request;
}

/** Validates with a zod schema, or throws `INVALID_PARAMS` carrying the zod issues (never the values). */
export async function validateInput(action: Action, input: unknown): Promise<unknown> {
  const parsed = await safeParseAsync(action.input as $ZodType, input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String),
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ');
  throw new PlugboardError('INVALID_PARAMS', `Invalid input for ${action.name}: ${summary}`, { details: { issues } });
}

export async function validateOutput(action: Action, data: unknown): Promise<unknown> {
  if (!action.output) return data;
  const parsed = await safeParseAsync(action.output, data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String),
    code: issue.code,
    message: issue.message,
  }));
  throw new PlugboardError('INVALID_RESPONSE', `The response of ${action.name} does not match its output schema.`, {
    details: { issues },
  });
}

/** Turns anything thrown into a failed result, redacting what is not already a PlugboardError. */
export function failure(error: unknown, redactor: Redactor = createRedactor([])): ActionResult<never> {
  if (PlugboardError.isInstance(error)) return { successful: false, data: null, error: serializeError(error) };
  const message = error instanceof Error ? error.message : String(error);
  return { successful: false, data: null, error: { code: 'ACTION_FAILED', message: redactor.text(message) } };
}

export function success<T>(data: T): ActionResult<T> {
  return { successful: true, data, error: null };
}

/** A PlugboardError with every message and detail passed through the redactor once more. */
export function redactError(error: PlugboardError, redactor: Redactor): PlugboardError {
  return new PlugboardError(error.code, redactor.text(error.message), {
    status: error.status,
    retryable: error.retryable,
    details: error.details === undefined ? undefined : redactor.value(error.details),
  });
}
