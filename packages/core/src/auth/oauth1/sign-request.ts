import OAuth from 'oauth-1.0a';
import { bytesToBase64 } from '../../encoding.js';
import { PlugboardError } from '../../errors.js';
import type { BuiltRequest } from '../../http/build-request.js';

/**
 * The signature methods Plugboard implements. RSA-SHA1 is not among them: no connector needs it yet.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

/** The client credentials and, once a user has connected, the token credentials that sign a request. */
export interface OAuth1SigningCredentials {
  consumerKey: string;
  consumerSecret: string;
  /** The token credentials (or, during the flow, the temporary credentials). Omitted for the temporary-credentials request. */
  token?: string | undefined;
  tokenSecret?: string | undefined;
  signatureMethod: OAuth1SignatureMethod;
}

/** The parts of a request that RFC 5849 signs. */
export interface OAuth1Request {
  method: string;
  /** The final URL, query included. Never modified. */
  url: URL | string;
  /** The final body. Its parameters are signed only when `contentType` is `application/x-www-form-urlencoded`. */
  body?: string | undefined;
  contentType?: string | null | undefined;
}

export interface OAuth1SigningOptions {
  /**
   * `oauth_nonce`. Set it only to reproduce a known signature.
   * @default 32 hex characters (16 bytes) from `crypto.getRandomValues`
   */
  nonce?: string | undefined;
  /**
   * `oauth_timestamp`, in seconds since the epoch.
   * @default the current time
   */
  timestamp?: number | undefined;
  /**
   * More protocol parameters to sign and send in the header, each named `oauth_...`.
   * @example { oauth_callback: 'https://myapp.example/callback' }
   * @example { oauth_verifier: 'hfdp7dh39dks9884' }
   */
  extraParams?: Readonly<Record<string, string>> | undefined;
  /** The `realm` header parameter. It is not signed. */
  realm?: string | undefined;
  /**
   * Send `oauth_version="1.0"`. RFC 5849 makes it optional; some older providers require it.
   * @default true
   */
  includeVersion?: boolean | undefined;
}

// The protocol parameters this module sets itself; extraParams may not replace them.
const OWN_PROTOCOL_PARAMETERS = new Set([
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_signature',
]);
const HMAC_HASHES = { 'HMAC-SHA1': 'SHA-1', 'HMAC-SHA256': 'SHA-256' } as const;
// RFC 9110 token: what an HTTP method may be made of.
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A lone surrogate has no UTF-8 form, so it cannot be percent-encoded (encodeURIComponent throws).
const LONE_SURROGATE = /\p{Cs}/u;
// What a quoted-string in a header may not hold: control characters and anything beyond Latin-1.
const HEADER_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

function refuse(message: string): never {
  throw new PlugboardError('INVALID_PARAMS', message);
}

function checkEncodable(value: unknown, label: string): string {
  if (typeof value !== 'string') refuse(`The OAuth 1.0a ${label} must be a string.`);
  if (LONE_SURROGATE.test(value))
    refuse(`The OAuth 1.0a ${label} contains a lone surrogate, which has no UTF-8 encoding.`);
  return value;
}

/**
 * Percent-encoding of RFC 5849 section 3.6: everything but ALPHA, DIGIT, `-`, `.`, `_` and `~`
 * is encoded as UTF-8 `%XX` with uppercase hex, so a space is `%20`, never `+`.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.6
 */
export function oauth1PercentEncode(value: string): string {
  return percentEncode(checkEncodable(value, 'value'));
}

// oauth-1.0a's encoder: encodeURIComponent plus the five characters it leaves alone (! ' ( ) *).
const percentEncode = (value: string): string => OAuth.prototype.percentEncode(value);

function isFormContentType(contentType: string | null | undefined): boolean {
  return (
    typeof contentType === 'string' &&
    contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
  );
}

/**
 * The base string URI of RFC 5849 section 3.4.1.2 (scheme and host lowercase, default port
 * dropped, no userinfo, query or fragment) and the parsed URL it came from, a copy of the input.
 */
function baseStringUri(input: URL | string): { url: URL; baseUri: string } {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    refuse('An OAuth 1.0a request needs an absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    refuse(`An OAuth 1.0a request must use http or https, not ${url.protocol.slice(0, -1)}.`);
  // The WHATWG parser has already lowercased the scheme and host and dropped a default port
  // (80 for http, 443 for https); `pathname` is the path exactly as it goes on the wire.
  return { url, baseUri: `${url.protocol}//${url.host}${url.pathname}` };
}

/**
 * The query and form-body parameters of RFC 5849 section 3.4.1.3.1, decoded as
 * application/x-www-form-urlencoded (`+` is a space, `a=b=c` has the value `b=c`).
 */
function requestParameters(url: URL, request: OAuth1Request): Array<[string, string]> {
  const pairs = [...new URLSearchParams(url.search)];
  if (typeof request.body === 'string' && isFormContentType(request.contentType)) {
    // A leading "&" stops URLSearchParams from dropping a leading "?", which in a body is part of a name.
    pairs.push(...new URLSearchParams(`&${request.body}`));
  }
  return pairs;
}

/**
 * The protocol parameters of one request, in the order RFC 5849 lists them, without the signature.
 */
function protocolParameters(
  credentials: OAuth1SigningCredentials,
  options: OAuth1SigningOptions,
): Array<[string, string]> {
  if (!Object.hasOwn(HMAC_HASHES, credentials.signatureMethod) && credentials.signatureMethod !== 'PLAINTEXT') {
    refuse(
      `Unsupported OAuth 1.0a signature method ${JSON.stringify(String(credentials.signatureMethod))}; expected HMAC-SHA1, HMAC-SHA256 or PLAINTEXT.`,
    );
  }
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
    refuse('The OAuth 1.0a timestamp must be a positive whole number of seconds.');
  const nonce = options.nonce ?? createNonce();
  if (typeof nonce !== 'string' || nonce === '') refuse('The OAuth 1.0a nonce must be a non-empty string.');
  const parameters: Array<[string, string]> = [
    ['oauth_consumer_key', checkEncodable(credentials.consumerKey, 'consumer key')],
  ];
  if (credentials.token !== undefined) parameters.push(['oauth_token', checkEncodable(credentials.token, 'token')]);
  parameters.push(
    ['oauth_signature_method', credentials.signatureMethod],
    ['oauth_timestamp', String(timestamp)],
    ['oauth_nonce', checkEncodable(nonce, 'nonce')],
  );
  if (options.includeVersion ?? true) parameters.push(['oauth_version', '1.0']);
  for (const [name, value] of Object.entries(options.extraParams ?? {})) {
    if (!name.startsWith('oauth_'))
      refuse(
        `The extra OAuth 1.0a parameter "${name}" must start with "oauth_": it is sent in the Authorization header, which carries only protocol parameters.`,
      );
    if (OWN_PROTOCOL_PARAMETERS.has(name))
      refuse(`The OAuth 1.0a parameter "${name}" is set by the signer and cannot be given as an extra parameter.`);
    parameters.push([checkEncodable(name, 'parameter name'), checkEncodable(value, `parameter "${name}"`)]);
  }
  return parameters;
}

/**
 * The signature base string of RFC 5849 section 3.4.1.1 for a request and its protocol parameters
 * (everything but `oauth_signature`).
 *
 * oauth-1.0a encodes, sorts and joins the string, but its own URL and parameter handling departs
 * from the RFC (it keeps the host's case, a default port and a fragment, does not decode `+` or
 * names, truncates values holding `=`, drops a form field that the query repeats, mutates its
 * input and mistakes `constructor` for an existing key), so it is given only what it gets right:
 * the base string URI normalized here with the WHATWG URL parser and the query and form
 * parameters already decoded as application/x-www-form-urlencoded, repeated names as arrays.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 */
export function oauth1SignatureBaseString(
  request: OAuth1Request,
  protocol: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>,
): string {
  const method = String(request.method).toUpperCase();
  if (!METHOD_TOKEN.test(method)) refuse('The OAuth 1.0a request method is not a valid HTTP method.');
  const { url, baseUri } = baseStringUri(request.url);
  const protocolPairs = Array.isArray(protocol)
    ? (protocol as ReadonlyArray<readonly [string, string]>)
    : Object.entries(protocol);
  const protocolNames = new Set(protocolPairs.map(([name]) => name));
  // A prototype-less object: a parameter named "constructor" or "toString" is just a name here.
  const data: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const add = (name: string, value: string) => {
    // Refused rather than signed: oauth-1.0a copies parameters into plain objects, where
    // "__proto__" cannot be a key, and many servers' parameter parsers drop or choke on it.
    if (name === '__proto__') refuse('A parameter named "__proto__" cannot be signed with OAuth 1.0a.');
    const existing = data[name];
    if (existing === undefined) data[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else data[name] = [existing, value];
  };
  for (const [name, value] of requestParameters(url, request)) {
    // RFC 5849 section 3.1: each protocol parameter appears once per request.
    if (protocolNames.has(name) || name === 'oauth_signature')
      refuse(`The request already carries the OAuth 1.0a parameter "${name}" in its query or body.`);
    add(name, value);
  }
  for (const [name, value] of protocolPairs) {
    if (name === 'oauth_signature' || name === 'realm') continue;
    add(checkEncodable(name, 'parameter name'), checkEncodable(value, `parameter "${name}"`));
  }
  // No "?" in the URI, so oauth-1.0a parses no query of its own. The method is encoded here
  // (section 3.4.1.1 item 1), which it does not do.
  return baseStringSigner.getBaseString({ method: percentEncode(method), url: baseUri, data }, {} as OAuth.Data);
}

/**
 * The value of the `Authorization: OAuth ...` header for one request: the protocol parameters
 * and their signature over the method, the URL and any form-encoded body. JSON and other bodies
 * are not signed (RFC 5849 section 3.4.1.3.1). The request and options are not modified.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 * @example await oauth1AuthorizationHeader({ method: 'GET', url: 'https://api.trello.com/1/members/me' }, credentials)
 */
export async function oauth1AuthorizationHeader(
  request: OAuth1Request,
  credentials: OAuth1SigningCredentials,
  options: OAuth1SigningOptions = {},
): Promise<string> {
  const parameters = protocolParameters(credentials, options);
  const signer = new OAuth({
    consumer: { key: credentials.consumerKey, secret: checkEncodable(credentials.consumerSecret, 'consumer secret') },
    signature_method: credentials.signatureMethod,
    // Web Crypto signs asynchronously; oauth-1.0a's synchronous hook is never the signer here.
    hash_function: unusedHashFunction,
  });
  // Consumer secret and token secret, each encoded, joined by "&" even when empty (section 3.4.2).
  const signingKey = signer.getSigningKey(
    credentials.tokenSecret === undefined ? '' : checkEncodable(credentials.tokenSecret, 'token secret'),
  );
  // Built for PLAINTEXT too: it refuses what cannot be sent (a URL that is not http(s), a protocol
  // parameter repeated in the query) whatever the method.
  const baseString = oauth1SignatureBaseString(request, parameters);
  const signature =
    credentials.signatureMethod === 'PLAINTEXT'
      ? signingKey // section 3.4.4: the key is the signature
      : await hmacBase64(HMAC_HASHES[credentials.signatureMethod], signingKey, baseString);
  // Section 3.5.1: every protocol parameter, encoded, as name="value", in name order.
  const headerData = Object.fromEntries([
    ...parameters,
    ['oauth_signature', signature],
  ]) as unknown as OAuth.Authorization;
  const { Authorization: header } = signer.toHeader(headerData);
  if (options.realm === undefined) return header;
  // oauth-1.0a writes the realm as given; it is a quoted-string (RFC 2617), so it is escaped here.
  if (typeof options.realm !== 'string' || HEADER_UNSAFE.test(options.realm))
    refuse('The OAuth 1.0a realm must be one line of Latin-1 text.');
  const realm = options.realm.replace(/[\\"]/g, '\\$&');
  return `OAuth realm="${realm}", ${header.slice('OAuth '.length)}`;
}

/**
 * A copy of a built request with its `Authorization` header set to an OAuth 1.0a signature over
 * the final URL and, when the body is `application/x-www-form-urlencoded`, its fields. Signing
 * comes last, after every other placement. The input request is not modified.
 */
export async function signBuiltRequest(
  built: BuiltRequest,
  credentials: OAuth1SigningCredentials,
  options: OAuth1SigningOptions = {},
): Promise<BuiltRequest> {
  const headers = new Headers(built.headers);
  const authorization = await oauth1AuthorizationHeader(
    { method: built.method, url: built.url, body: built.body, contentType: headers.get('content-type') },
    credentials,
    options,
  );
  headers.set('authorization', authorization);
  const signed: BuiltRequest = { method: built.method, url: new URL(built.url), headers };
  if (built.body !== undefined) signed.body = built.body;
  return signed;
}

function unusedHashFunction(): string {
  throw new Error('oauth-1.0a hash_function is not used');
}

// Only getBaseString is used from this one: it needs no consumer.
const baseStringSigner = new OAuth({ consumer: { key: '', secret: '' } });

const NONCE_BYTES = 16;
// Random bytes are drawn 4 KiB at a time (crypto.getRandomValues costs about as much for 16 bytes
// as for 4,096) and each byte is used once. HEX maps a byte to its two hex digits.
const randomPool = new Uint8Array(4096);
let randomPoolOffset = randomPool.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** 16 random bytes as hex: unguessable, and plain enough for every provider's nonce rules. */
function createNonce(): string {
  if (randomPoolOffset + NONCE_BYTES > randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomPoolOffset = 0;
  }
  let nonce = '';
  for (let index = randomPoolOffset; index < randomPoolOffset + NONCE_BYTES; index++)
    nonce += HEX[randomPool[index] as number];
  randomPoolOffset += NONCE_BYTES;
  return nonce;
}

// Imported HMAC keys by hash and signing key, so a connection's requests import theirs once
// (importKey costs more than the signature itself). Bounded: the least recently used key goes
// first. Module-private, never logged or exposed; a CryptoKey made non-extractable holds it.
const HMAC_KEY_CACHE_SIZE = 256;
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function hmacKey(hash: 'SHA-1' | 'SHA-256', key: string): Promise<CryptoKey> {
  const cacheKey = `${hash}\n${key}`;
  let cryptoKey = hmacKeys.get(cacheKey);
  if (cryptoKey) {
    // Most recently used goes last.
    hmacKeys.delete(cacheKey);
  } else {
    cryptoKey = crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash }, false, ['sign']);
    // A failed import is not kept.
    cryptoKey.catch(() => hmacKeys.get(cacheKey) === cryptoKey && hmacKeys.delete(cacheKey));
    if (hmacKeys.size >= HMAC_KEY_CACHE_SIZE) hmacKeys.delete(hmacKeys.keys().next().value as string);
  }
  hmacKeys.set(cacheKey, cryptoKey);
  return cryptoKey;
}

async function hmacBase64(hash: 'SHA-1' | 'SHA-256', key: string, text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(hash, key), encoder.encode(text)));
  return bytesToBase64(digest);
}
