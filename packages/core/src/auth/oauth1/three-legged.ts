import { PlugboardError } from '../../errors.js';
import type { FetchFunction } from '../../http/send-request.js';
import { createRedactor, type Redactor } from '../../redact.js';
import type { OAuth1Settings } from '../../spec/auth-scheme.js';
import { oauth1AuthorizationHeader, oauth1PercentEncode, type OAuth1SigningCredentials } from './sign-request.js';

/** What every step of the three-legged flow needs. */
interface FlowRequestBase {
  settings: OAuth1Settings;
  consumerKey: string;
  consumerSecret: string;
  /** @default globalThis.fetch */
  fetch?: FetchFunction | undefined;
  /** Applied after the flow's own redactor (which knows the consumer and token secrets) to every error. */
  redactor?: Redactor | undefined;
  signal?: AbortSignal | undefined;
}

export interface TemporaryCredentialsRequest extends FlowRequestBase {
  /** Where the provider sends the user back: an absolute URL, or `oob` for out-of-band. */
  callbackUrl: string;
}

export interface TemporaryCredentials {
  token: string;
  tokenSecret: string;
  /** Always `true`: a provider that does not confirm the callback is refused (RFC 5849 section 2.1). */
  callbackConfirmed: boolean;
}

export interface AccessTokenRequest extends FlowRequestBase {
  /** The temporary credentials from `requestTemporaryCredentials`. */
  token: string;
  tokenSecret: string;
  /** `oauth_verifier` from the callback. */
  verifier: string;
}

export interface TokenCredentials {
  token: string;
  tokenSecret: string;
  /** Any other parameter of the response, such as Twitter's `user_id` and `screen_name`. */
  extra: Record<string, string>;
}

/**
 * Step 1 of RFC 5849 section 2: a signed POST to the temporary-credentials endpoint with
 * `oauth_callback`. A response without `oauth_callback_confirmed=true` comes from an OAuth 1.0
 * (not 1.0a) provider, open to session fixation, and is refused.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export async function requestTemporaryCredentials(request: TemporaryCredentialsRequest): Promise<TemporaryCredentials> {
  const { callbackUrl } = request;
  if (typeof callbackUrl !== 'string' || (callbackUrl !== 'oob' && !URL.canParse(callbackUrl))) {
    throw new PlugboardError('INVALID_PARAMS', 'The OAuth 1.0a callback URL must be an absolute URL or "oob".');
  }
  const credentials: OAuth1SigningCredentials = {
    consumerKey: request.consumerKey,
    consumerSecret: request.consumerSecret,
    signatureMethod: request.settings.signatureMethod,
  };
  const fields = await signedPost(request, 'request-token', request.settings.requestTokenUrl, credentials, {
    oauth_callback: callbackUrl,
  });
  if (fields.values['oauth_callback_confirmed'] !== 'true') {
    throw fields.fail('did not confirm the callback (no oauth_callback_confirmed=true), as OAuth 1.0a requires');
  }
  return {
    token: fields.values['oauth_token'],
    tokenSecret: fields.values['oauth_token_secret'],
    callbackConfirmed: true,
  };
}

/**
 * Step 2: where to send the user. The authorization URL keeps its own query, byte for byte, and
 * gets `oauth_token` and the scheme's `authorizationParams` (Trello's `scope`, `expiration`) appended.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.2
 */
export function authorizationRedirectUrl(settings: OAuth1Settings, token: string): string {
  let url: URL;
  try {
    url = new URL(settings.authorizationUrl);
  } catch {
    throw new PlugboardError('INVALID_DEFINITION', 'The OAuth 1.0a authorization URL is not an absolute URL.');
  }
  const added = [
    ['oauth_token', token],
    ...Object.entries(settings.authorizationParams ?? {}).filter(([name]) => name !== 'oauth_token'),
  ];
  const query = added
    .map(([name, value]) => `${oauth1PercentEncode(String(name))}=${oauth1PercentEncode(String(value))}`)
    .join('&');
  // Appended by hand: URLSearchParams would re-encode the existing query (a "%20" becomes "+").
  url.search = url.search.length > 1 ? `${url.search.slice(1)}&${query}` : query;
  return url.toString();
}

/**
 * Step 3: a POST signed with the temporary credentials and `oauth_verifier`, answered with the
 * token credentials. Providers make the temporary credentials single-use.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.3
 */
export async function requestAccessToken(request: AccessTokenRequest): Promise<TokenCredentials> {
  if (typeof request.verifier !== 'string' || request.verifier === '')
    throw new PlugboardError('INVALID_PARAMS', 'The OAuth 1.0a verifier is missing.');
  const credentials: OAuth1SigningCredentials = {
    consumerKey: request.consumerKey,
    consumerSecret: request.consumerSecret,
    token: request.token,
    tokenSecret: request.tokenSecret,
    signatureMethod: request.settings.signatureMethod,
  };
  const fields = await signedPost(request, 'access-token', request.settings.accessTokenUrl, credentials, {
    oauth_verifier: request.verifier,
  });
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields.values)) {
    if (name === 'oauth_token' || name === 'oauth_token_secret') continue;
    Object.defineProperty(extra, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return { token: fields.values['oauth_token'], tokenSecret: fields.values['oauth_token_secret'], extra };
}

interface TokenResponse {
  /** The response fields; `oauth_token` and `oauth_token_secret` are present and non-empty. */
  values: Record<string, string> & { oauth_token: string; oauth_token_secret: string };
  /** An OAUTH_ERROR about this (successful but unusable) response, its body redacted. */
  fail(reason: string): PlugboardError;
}

async function signedPost(
  request: FlowRequestBase & { tokenSecret?: string; verifier?: string },
  endpoint: 'request-token' | 'access-token',
  endpointUrl: string,
  credentials: OAuth1SigningCredentials,
  extraParams: Record<string, string>,
): Promise<TokenResponse> {
  const secrets = [request.consumerSecret, request.tokenSecret, request.verifier];
  let redactor = redactorFor(secrets, request.redactor);
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new PlugboardError('INVALID_DEFINITION', `The OAuth 1.0a ${endpoint} URL is not an absolute URL.`);
  }
  const authorization = await oauth1AuthorizationHeader({ method: 'POST', url }, credentials, { extraParams });
  // A PLAINTEXT signature is the secrets themselves, in the header's own encoding.
  const signature = /oauth_signature="([^"]*)"/.exec(authorization)?.[1];
  if (signature !== undefined) {
    secrets.push(signature, safeDecode(signature));
    redactor = redactorFor(secrets, request.redactor);
  }
  const target = `POST ${redactor.url(url)}`;
  const fetchFunction = request.fetch ?? globalThis.fetch;
  let response: Response;
  let text: string;
  try {
    // No redirects: a token endpoint that redirects is misconfigured, and following one would
    // replay a signed, single-use request somewhere else.
    response = await fetchFunction(url, {
      method: 'POST',
      headers: { authorization, accept: 'application/x-www-form-urlencoded, application/json;q=0.9, */*;q=0.1' },
      redirect: 'manual',
      ...(request.signal ? { signal: request.signal } : {}),
    });
    text = await response.text();
  } catch (error) {
    if (request.signal?.aborted) {
      const timedOut = (request.signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
      throw new PlugboardError(
        timedOut ? 'TIMEOUT' : 'ABORTED',
        `The OAuth 1.0a ${endpoint} request was ${timedOut ? 'timed out' : 'aborted'}: ${target}`,
        timedOut ? { retryable: true } : {},
      );
    }
    const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
    const reason =
      typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'unknown error';
    throw new PlugboardError(
      'NETWORK_ERROR',
      `The OAuth 1.0a ${endpoint} request failed before a response (${redactor.text(reason)}): ${target}`,
      { retryable: true },
    );
  }

  const contentType = response.headers.get('content-type') ?? '';
  const parsed = parseBody(text, contentType);
  const fail = (reason: string, extraSecrets: string[] = []): PlugboardError => {
    const failRedactor = redactorFor([...secrets, ...extraSecrets], request.redactor);
    const body = failRedactor.value(parsed.value);
    const problem = parsed.fields?.['oauth_problem'] ?? parsed.fields?.['error'];
    const summary = describe(parsed);
    const details: Record<string, unknown> = { body };
    if (problem !== undefined) details['error'] = failRedactor.text(problem);
    return new PlugboardError(
      'OAUTH_ERROR',
      `The OAuth 1.0a ${endpoint} endpoint ${reason}: ${target}${summary ? ` (${failRedactor.text(summary)})` : ''}`,
      { status: response.status, retryable: response.status >= 500 || response.status === 429, details },
    );
  };
  if (!response.ok) {
    const status =
      response.status === 0
        ? 'an opaque redirect'
        : `status ${response.status}${response.statusText ? ` ${redactor.text(response.statusText)}` : ''}`;
    throw fail(`refused the request with ${status}`);
  }
  const fields = parsed.fields;
  const token = fields?.['oauth_token'];
  const tokenSecret = fields?.['oauth_token_secret'];
  if (!fields || !token || !tokenSecret) {
    throw fail('answered without oauth_token and oauth_token_secret', tokenSecret ? [tokenSecret] : []);
  }
  return {
    values: { ...fields, oauth_token: token, oauth_token_secret: tokenSecret },
    fail: (reason) => fail(reason, [tokenSecret]),
  };
}

// Only the three redacting operations are used here, whatever else a Redactor offers.
type Redact = Pick<Redactor, 'text' | 'value' | 'url'>;

function redactorFor(secrets: Iterable<string | undefined>, outer: Redact | undefined): Redact {
  const own = createRedactor(secrets);
  if (!outer) return own;
  return {
    text: (input) => outer.text(own.text(input)),
    value: (input) => outer.value(own.value(input)),
    url: (input) => outer.url(own.url(input)),
  };
}

interface ParsedBody {
  /** The body as it goes into error details: an object for form or JSON, text otherwise. */
  value: unknown;
  /** String fields, when the body is a form or a flat JSON object. */
  fields: Record<string, string> | undefined;
}

/**
 * Token responses are form-encoded (RFC 5849 section 2.1), whatever content type a provider
 * labels them with (Twitter says text/html); a few providers answer JSON.
 */
function parseBody(text: string, contentType: string): ParsedBody {
  const trimmed = text.trim();
  if (/json/i.test(contentType) || /^[[{]/.test(trimmed)) {
    try {
      const json = JSON.parse(trimmed) as unknown;
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
        const fields: Record<string, string> = {};
        for (const [name, value] of Object.entries(json)) {
          if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            setField(fields, name, String(value));
        }
        return { value: json, fields };
      }
      return { value: json, fields: undefined };
    } catch {
      // Not JSON after all: read it as a form or text below.
    }
  }
  // A form body is one line of name=value pairs; prose and HTML are kept as text.
  if (trimmed !== '' && /^[^\s<>]+$/.test(trimmed) && trimmed.includes('=')) {
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(`&${trimmed}`))
      if (!Object.hasOwn(fields, name)) setField(fields, name, value);
    return { value: fields, fields };
  }
  return { value: trimmed === '' ? null : text, fields: undefined };
}

function setField(fields: Record<string, string>, name: string, value: string): void {
  // defineProperty, so a field named "__proto__" stays a field.
  Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
}

/** The human part of an error body: `oauth_problem`, a JSON message, or the start of the text. */
function describe(parsed: ParsedBody): string | undefined {
  const fields = parsed.fields;
  if (fields) {
    const message = fields['oauth_problem'] ?? fields['error_description'] ?? fields['message'] ?? fields['error'];
    if (message) return message.slice(0, 200);
  }
  const value = parsed.value as { errors?: Array<{ message?: unknown }> } | string | null;
  if (typeof value === 'string') return value.trim().slice(0, 200) || undefined;
  const nested = value?.errors?.[0]?.message;
  return typeof nested === 'string' ? nested.slice(0, 200) : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
