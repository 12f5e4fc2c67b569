import { utf8ToBase64 } from '../../encoding.js';
import { PlugboardError } from '../../errors.js';
import { sendRequest, type FetchFunction, type HttpOptions } from '../../http/send-request.js';
import { createRedactor } from '../../redact.js';
import type { OAuth2ClientAuthMethod } from '../../spec/auth-scheme.js';

export interface OAuth2Client {
  clientId: string;
  /** Absent for public clients, which send only `client_id`. */
  clientSecret?: string | undefined;
  authMethod: OAuth2ClientAuthMethod;
}

/** A successful token response (RFC 6749 section 5.1), whether it came as JSON or form-encoded. */
export interface TokenSet {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  /** Seconds, as the provider sent it. */
  expires_in?: number;
  scope?: string;
  id_token?: string;
  /** Every other string field the provider sent (`refresh_token_expires_in`, a Shopify `associated_user_scope`). */
  [field: string]: string | number | undefined;
}

export interface TokenRequestOptions {
  tokenUrl: string;
  client: OAuth2Client;
  /** The grant's own parameters: `grant_type`, `code`, `redirect_uri`, `code_verifier`, `refresh_token`, `scope`. */
  params: Record<string, string | undefined>;
  fetch?: FetchFunction | undefined;
  http?: HttpOptions | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `client_secret_basic` (RFC 6749 section 2.3.1): the id and secret are form-urlencoded first, then
 * joined with ":" and base64-encoded, which matters for secrets with reserved characters.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasic(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${utf8ToBase64(`${encode(clientId)}:${encode(clientSecret)}`)}`;
}

/**
 * `client_secret_post` (RFC 6749 section 2.3.1): the id and secret travel in the form body.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretPost(body: URLSearchParams, clientId: string, clientSecret: string): void {
  body.set('client_id', clientId);
  body.set('client_secret', clientSecret);
}

/**
 * Sends one request to a token endpoint and returns the token set. OAuth error answers, including
 * the ones some providers send with status 200, become `OAUTH_ERROR` with the provider's `error`
 * code in `details.error`; everything secret in the exchange is redacted from the error.
 */
export async function requestToken(options: TokenRequestOptions): Promise<TokenSet> {
  const { client } = options;
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(options.params)) if (value !== undefined) body.set(name, value);
  const headers = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' });
  if (client.clientSecret !== undefined && client.authMethod === 'client_secret_basic') {
    headers.set('authorization', clientSecretBasic(client.clientId, client.clientSecret));
  } else if (client.clientSecret !== undefined) {
    clientSecretPost(body, client.clientId, client.clientSecret);
  } else {
    body.set('client_id', client.clientId);
  }
  const redactor = createRedactor([
    client.clientSecret,
    options.params['code'],
    options.params['code_verifier'],
    options.params['refresh_token'],
    options.params['client_assertion'],
  ]);
  let url: URL;
  try {
    url = new URL(options.tokenUrl);
  } catch {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The token URL ${JSON.stringify(options.tokenUrl)} is not an absolute URL.`,
    );
  }
  let data: unknown;
  try {
    const response = await sendRequest(
      { method: 'POST', url, headers, body: body.toString() },
      { ...options.http, fetch: options.fetch, signal: options.signal, redactor },
    );
    data = response.data;
  } catch (error) {
    if (PlugboardError.isInstance(error) && error.code === 'UPSTREAM_ERROR') {
      const oauthError = readOAuthError((error.details as { body?: unknown } | undefined)?.body);
      if (oauthError) throw toOAuthError(oauthError, error.status, options.tokenUrl, redactor.text);
    }
    throw error;
  }
  const parsed = parseTokenResponse(data);
  const oauthError = readOAuthError(parsed);
  if (oauthError) throw toOAuthError(oauthError, 200, options.tokenUrl, redactor.text);
  if (typeof parsed['access_token'] !== 'string' || parsed['access_token'] === '') {
    throw new PlugboardError(
      'OAUTH_ERROR',
      `The token endpoint ${redactor.url(options.tokenUrl)} answered without an access_token.`,
      {
        details: { fields: Object.keys(parsed) },
      },
    );
  }
  return parsed as TokenSet;
}

/** Token responses come as JSON (RFC 6749) or, from some providers, form-encoded. */
export function parseTokenResponse(data: unknown): Record<string, string | number> {
  let record: Record<string, unknown>;
  if (typeof data === 'string') record = Object.fromEntries(new URLSearchParams(data));
  else if (typeof data === 'object' && data !== null && !Array.isArray(data)) record = data as Record<string, unknown>;
  else return {};
  const output: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string' || typeof value === 'number') output[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) output[name] = value.join(' ');
  }
  if (typeof output['expires_in'] === 'string' && /^\d+$/.test(output['expires_in']))
    output['expires_in'] = Number(output['expires_in']);
  return output;
}

interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

function readOAuthError(body: unknown): OAuthErrorBody | undefined {
  const record = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body;
  if (typeof record !== 'object' || record === null) return undefined;
  const error = (record as Record<string, unknown>)['error'];
  if (typeof error !== 'string' || error === '') return undefined;
  const description = (record as Record<string, unknown>)['error_description'];
  return typeof description === 'string' ? { error, error_description: description } : { error };
}

function toOAuthError(
  body: OAuthErrorBody,
  status: number | undefined,
  tokenUrl: string,
  redact: (text: string) => string,
): PlugboardError {
  const description = body.error_description ? `: ${redact(body.error_description)}` : '';
  return new PlugboardError(
    'OAUTH_ERROR',
    `The token endpoint refused the request (${redact(body.error)}${description}).`,
    {
      status,
      retryable: status !== undefined && status >= 500,
      details: {
        error: redact(body.error),
        errorDescription: body.error_description && redact(body.error_description),
        tokenUrl: createRedactor([]).url(tokenUrl),
      },
    },
  );
}

/** When a token set expires, as an ISO string, or `undefined` when the provider did not say. */
export function expiresAtOf(tokens: { expires_in?: unknown }, now: number = Date.now()): string | undefined {
  const seconds = typeof tokens.expires_in === 'string' ? Number(tokens.expires_in) : tokens.expires_in;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  return new Date(now + seconds * 1000).toISOString();
}

/** Token fields as stored credentials: strings only, without `expires_in` (kept as `expiresAt`). */
export function tokenCredentials(tokens: TokenSet): Record<string, string> {
  const output: Record<string, string> = {};
  for (const [name, value] of Object.entries(tokens)) {
    if (name === 'expires_in' || value === undefined) continue;
    output[name] = String(value);
  }
  return output;
}
