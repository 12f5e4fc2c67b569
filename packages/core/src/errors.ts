/**
 * Stable error codes. The strings are part of the public contract: match on `error.code`,
 * never on the message.
 */
export const ErrorCodes = {
  /** No action with that name (or alias) is registered. */
  ACTION_NOT_FOUND: 'ACTION_NOT_FOUND',
  /** No connector with that id is registered. */
  APP_NOT_FOUND: 'APP_NOT_FOUND',
  /** The input failed the action's schema, or a value could not be placed safely. Nothing was sent. */
  INVALID_PARAMS: 'INVALID_PARAMS',
  /** A connector, action or auth scheme definition is malformed. */
  INVALID_DEFINITION: 'INVALID_DEFINITION',
  /** A connector implements a connector spec version this core does not support. */
  INCOMPATIBLE_SPEC_VERSION: 'INCOMPATIBLE_SPEC_VERSION',
  /** Two connectors or actions claim the same id or name. */
  DUPLICATE_DEFINITION: 'DUPLICATE_DEFINITION',
  /** The app has no auth scheme for the requested auth mode. */
  AUTH_SCHEME_NOT_FOUND: 'AUTH_SCHEME_NOT_FOUND',
  /** The auth mode needs a flow this toolset cannot run here. */
  UNSUPPORTED_AUTH_MODE: 'UNSUPPORTED_AUTH_MODE',
  /** An integration's `authConfig` misses developer fields or has invalid ones. */
  INVALID_AUTH_CONFIG: 'INVALID_AUTH_CONFIG',
  /** `connectedAccountParams` miss user fields or have invalid ones. */
  INVALID_CONNECTION_PARAMS: 'INVALID_CONNECTION_PARAMS',
  INTEGRATION_NOT_FOUND: 'INTEGRATION_NOT_FOUND',
  CONNECTION_NOT_FOUND: 'CONNECTION_NOT_FOUND',
  /** The connection exists but is not `ACTIVE`. */
  CONNECTION_NOT_ACTIVE: 'CONNECTION_NOT_ACTIVE',
  /** `initiateConnection({ connectionId })` names a connection that is not `EXPIRED` or `FAILED`. */
  CONNECTION_NOT_RECONNECTABLE: 'CONNECTION_NOT_RECONNECTABLE',
  /** The connection belongs to another app than the action. */
  CONNECTION_APP_MISMATCH: 'CONNECTION_APP_MISMATCH',
  /** No credentials could be resolved for the app and the app does not allow `NO_AUTH`. */
  NO_CREDENTIALS: 'NO_CREDENTIALS',
  /** The upstream API answered with a non-2xx status. */
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** The upstream API answered 2xx but the body did not match the action's output schema. */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** The request did not complete within the timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The request failed before a response arrived (DNS, refused connection, reset). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** The caller aborted the request through its `AbortSignal`. */
  ABORTED: 'ABORTED',
  /** A compare-and-swap write lost to a concurrent writer. */
  STORE_CONFLICT: 'STORE_CONFLICT',
  /** The store failed to read or write. */
  STORE_ERROR: 'STORE_ERROR',
  /** `waitUntilActive` gave up. */
  WAIT_TIMEOUT: 'WAIT_TIMEOUT',
  /** The connection ended in `FAILED` or `EXPIRED` while waiting for it. */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  /** A custom action's `run` threw something that is not a PlugboardError. */
  ACTION_FAILED: 'ACTION_FAILED',
  /** An OAuth callback's `state` is unknown, expired or already used. The connection is untouched. */
  OAUTH_STATE_INVALID: 'OAUTH_STATE_INVALID',
  /** An OAuth callback is malformed (no code, no verifier) or the provider answered with an error. */
  OAUTH_CALLBACK_ERROR: 'OAUTH_CALLBACK_ERROR',
  /** An authorization or token endpoint refused a request (`invalid_client`, a wrong verifier, ...). */
  OAUTH_ERROR: 'OAUTH_ERROR',
  /** The refresh token (or stored login) no longer works; the user must connect again. */
  NEEDS_REAUTH: 'NEEDS_REAUTH',
  /** Refreshing failed for a reason that may pass (5xx, timeout); the connection stays `ACTIVE`. */
  REFRESH_FAILED: 'REFRESH_FAILED',
  /** A required setting (an option or environment variable) is missing or malformed. */
  CONFIGURATION_ERROR: 'CONFIGURATION_ERROR',
  /** A credential provider failed to supply credentials. */
  CREDENTIAL_PROVIDER_ERROR: 'CREDENTIAL_PROVIDER_ERROR',
  /** A model called a tool that was not offered to it. */
  TOOL_NOT_OFFERED: 'TOOL_NOT_OFFERED',
  /**
   * Stored secrets cannot be decrypted with the configured keys (a wrong or missing key, or data
   * that was tampered with), or a secret key is malformed. Nothing was changed.
   */
  SECRET_KEY_INVALID: 'SECRET_KEY_INVALID',
  /**
   * The vendor's rate limit (or cost budget) is used up and the wait it asks for was longer than
   * `maxRetryAfterMs`, or the request could not be retried; `details.retryAfterMs` says how long to wait.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * A webhook's signature does not match its body and secret, its timestamp is outside the
   * tolerance (replays), or its `webhook-*` headers are missing. Refuse the webhook.
   */
  WEBHOOK_VERIFICATION_FAILED: 'WEBHOOK_VERIFICATION_FAILED',
} as const;

/** One of the stable error codes (`ErrorCodes`). */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

// A registry-wide symbol, so two installed copies of @plugboard/core recognise each other's errors.
const errorMarker = Symbol.for('plugboard.error');

/** The optional parts of a `PlugboardError`. */
export interface PlugboardErrorOptions {
  /** HTTP status of the upstream response, when there was one. */
  status?: number | undefined;
  /** Whether trying again later may succeed. */
  retryable?: boolean | undefined;
  /** Structured, already-redacted detail: zod issues, the upstream error body, missing field names. */
  details?: unknown;
}

/**
 * The one error class of Plugboard. Every error carries a stable `code`.
 *
 * Messages and details are redacted before they reach this constructor: nothing in an error,
 * its `JSON.stringify` or its `util.inspect` output contains a credential.
 */
export class PlugboardError extends Error {
  readonly code: ErrorCode;
  declare readonly status?: number;
  declare readonly retryable?: boolean;
  declare readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: PlugboardErrorOptions = {}) {
    super(message);
    this.name = 'PlugboardError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryable !== undefined) this.retryable = options.retryable;
    if (options.details !== undefined) this.details = options.details;
    Object.defineProperty(this, errorMarker, { value: true, enumerable: false });
  }

  /**
   * Whether `value` is a PlugboardError (with `code`, when given): the one error guard. `instanceof`
   * fails when two copies of core are installed; this does not.
   * @example if (PlugboardError.isInstance(error, 'NO_CREDENTIALS')) { ... }
   */
  static isInstance(value: unknown, code?: ErrorCode): value is PlugboardError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[errorMarker] === true &&
      (code === undefined || (value as PlugboardError).code === code)
    );
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** The plain-object form of an error, as it appears in an action result. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  status?: number;
  retryable?: boolean;
  details?: unknown;
}

/** The plain form of an error, as a failed result carries it: `{ code, message, status?, retryable?, details? }`. */
export function serializeError(error: PlugboardError): SerializedError {
  const serialized: SerializedError = { code: error.code, message: error.message };
  if (error.status !== undefined) serialized.status = error.status;
  if (error.retryable !== undefined) serialized.retryable = error.retryable;
  if (error.details !== undefined) serialized.details = error.details;
  return serialized;
}
