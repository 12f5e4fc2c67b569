import type { ErrorCode, SerializedError } from '@plugboard/core';

/** Codes the server adds to the library's for what only an HTTP API has: keys, routes, sizes. */
export const SERVER_ERROR_CODES = {
  /** No API key, or one that is unknown, revoked or expired. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The key is valid but its scope does not allow the operation (an execute-only key managing keys). */
  FORBIDDEN: 'FORBIDDEN',
  /** No such route, or no such record in the key's project. */
  NOT_FOUND: 'NOT_FOUND',
  /** A webhook delivery still on its retry schedule was asked to be re-sent; it is retried on its own. */
  DELIVERY_PENDING: 'DELIVERY_PENDING',
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Something failed inside the server; the log line with the same request id says what. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/** An RFC 9457 problem, with the stable `code` of the library (or the server) as an extension member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | ServerErrorCode;
  /** Correlates the response with the server's log line. */
  requestId?: string;
  /** Structured detail, already redacted: zod issues, missing field names, the upstream status. */
  details?: unknown;
  retryable?: boolean;
}

// Why a code maps to its status: 4xx when the caller can fix the request, 409 when the state of a
// record is in the way, 502/504 when the vendor failed, 503 when the server's store did.
const STATUS_BY_CODE: Record<string, number> = {
  ACTION_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  INTEGRATION_NOT_FOUND: 404,
  CONNECTION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INVALID_PARAMS: 400,
  INVALID_AUTH_CONFIG: 400,
  INVALID_CONNECTION_PARAMS: 400,
  AUTH_SCHEME_NOT_FOUND: 400,
  UNSUPPORTED_AUTH_MODE: 400,
  CONNECTION_APP_MISMATCH: 400,
  TOOL_NOT_OFFERED: 400,
  OAUTH_STATE_INVALID: 400,
  OAUTH_CALLBACK_ERROR: 400,
  CONNECTION_NOT_ACTIVE: 409,
  CONNECTION_NOT_RECONNECTABLE: 409,
  NO_CREDENTIALS: 409,
  NEEDS_REAUTH: 409,
  CONNECTION_FAILED: 409,
  STORE_CONFLICT: 409,
  DELIVERY_PENDING: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_ERROR: 502,
  INVALID_RESPONSE: 502,
  NETWORK_ERROR: 502,
  OAUTH_ERROR: 502,
  REFRESH_FAILED: 502,
  CREDENTIAL_PROVIDER_ERROR: 502,
  TIMEOUT: 504,
  WAIT_TIMEOUT: 504,
  STORE_ERROR: 503,
  ABORTED: 499,
};

/** The HTTP status a code is answered with; 500 for the rest. */
export function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A problem for a code and message; `type` names the code, so a client can branch on either. */
export function problemOf(
  error: SerializedError | { code: ServerErrorCode; message: string; details?: unknown },
): Problem {
  const status = statusOf(error.code);
  const problem: Problem = {
    type: `urn:plugboard:error:${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
  };
  if (error.details !== undefined) problem.details = error.details;
  if ('retryable' in error && error.retryable !== undefined) problem.retryable = error.retryable;
  return problem;
}

/** The `application/problem+json` response for a problem. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}
