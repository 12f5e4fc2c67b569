import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// An OAuth 1.0a provider for tests, in the manner of Trello's and Twitter's. Everything that checks
// a signature here is written from RFC 5849 with node:crypto and Buffer, sharing no code with
// @plugboard/core's signer, so a test that passes against it proves the signer right, not merely
// self-consistent. Like the whole package, it imports nothing of Plugboard's.

/** The endpoints of a fake OAuth 1.0a server, in the shape of core's `OAuth1Settings`. */
export interface FakeOAuth1Settings {
  requestTokenUrl: string;
  authorizationUrl: string;
  accessTokenUrl: string;
  signatureMethod: FakeSignatureMethod;
  authorizationParams: Record<string, string>;
}

/** Where the endpoints of a fake OAuth 1.0a server live. */
export interface FakeOAuth1Paths {
  /** @default '/oauth/request_token' (Trello: '/1/OAuthGetRequestToken') */
  requestToken: string;
  /** @default '/oauth/authorize' (Trello: '/1/OAuthAuthorizeToken') */
  authorize: string;
  /** @default '/oauth/access_token' (Trello: '/1/OAuthGetAccessToken') */
  accessToken: string;
  /** Requests under this prefix are protected resources: they must be signed with an access token. @default '/1/' */
  resourcePrefix: string;
}

/** What a resource handler answers; `json` wins over `text`. */
export interface FakeOAuth1Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export type FakeSignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

/** Percent-encoding of RFC 5849 section 3.6, byte by byte over UTF-8. */
export function rfc5849Encode(value: string): string {
  let output = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    output += /^[A-Za-z0-9\-._~]$/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return output;
}

/** Percent-decoding to bytes, then UTF-8 (invalid sequences become U+FFFD, as browsers do). */
function percentDecode(value: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index++) {
    const hex = value.slice(index + 1, index + 3);
    if (value[index] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      const codePoint = value.codePointAt(index) ?? 0;
      if (codePoint > 0xffff) index++;
      bytes.push(...Buffer.from(String.fromCodePoint(codePoint), 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** application/x-www-form-urlencoded decoding (HTML 4.01 section 17.13.4): `+` is a space. */
export function parseFormEncoded(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    pairs.push([percentDecode(name.replaceAll('+', ' ')), percentDecode(value.replaceAll('+', ' '))]);
  }
  return pairs;
}

function compareBytes(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

export interface ReferenceRequest {
  method: string;
  /** `scheme://authority/path?query`, as the request was made. */
  url: string;
  /** Every protocol parameter but `oauth_signature`, decoded. */
  protocol: ReadonlyArray<readonly [string, string]>;
  body?: string | undefined;
  contentType?: string | null | undefined;
}

/** The signature base string of RFC 5849 section 3.4.1, computed from the RFC alone. */
export function referenceBaseString(request: ReferenceRequest): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(request.url);
  if (!match) throw new Error(`not an absolute URL: ${request.url}`);
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.replace(/^.*@/, '');
  const portMatch = /^(.*?)(?::(\d*))?$/.exec(authority)!;
  const host = portMatch[1]!.toLowerCase();
  const port = portMatch[2];
  const defaultPort =
    (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443') || port === '' || port === undefined;
  const baseUri = `${scheme}://${host}${defaultPort ? '' : `:${port}`}${match[3] === '' ? '/' : match[3]}`;

  const parameters: Array<[string, string]> = [];
  if (match[4] !== undefined) parameters.push(...parseFormEncoded(match[4]));
  const mediaType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (request.body !== undefined && mediaType === 'application/x-www-form-urlencoded')
    parameters.push(...parseFormEncoded(request.body));
  for (const [name, value] of request.protocol)
    if (name !== 'oauth_signature' && name !== 'realm') parameters.push([name, value]);

  const normalized = parameters
    .map(([name, value]) => [rfc5849Encode(name), rfc5849Encode(value)] as const)
    .sort((left, right) => compareBytes(left[0], right[0]) || compareBytes(left[1], right[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${rfc5849Encode(request.method.toUpperCase())}&${rfc5849Encode(baseUri)}&${rfc5849Encode(normalized)}`;
}

/** The expected `oauth_signature` (decoded) for a base string and the two secrets. */
export function referenceSignature(
  method: FakeSignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret = '',
): string {
  const key = `${rfc5849Encode(consumerSecret)}&${rfc5849Encode(tokenSecret)}`;
  if (method === 'PLAINTEXT') return key;
  return createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
    .update(baseString)
    .digest('base64');
}

/** The parameters of an `Authorization: OAuth ...` header, decoded, in order; `undefined` when it is not one. */
export function parseOAuthHeader(header: string | undefined): Array<[string, string]> | undefined {
  if (header === undefined || !/^OAuth(\s|$)/i.test(header)) return undefined;
  const pairs: Array<[string, string]> = [];
  const pattern = /\s*([^\s=,]+)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/gy;
  const rest = header.replace(/^OAuth\s*/i, '');
  let matched: RegExpExecArray | null;
  let consumed = 0;
  while ((matched = pattern.exec(rest)) !== null) {
    consumed = pattern.lastIndex;
    const raw = matched[2]!.replace(/\\(.)/g, '$1');
    pairs.push([matched[1]!, matched[1] === 'realm' ? raw : percentDecode(raw)]);
    if (consumed >= rest.length) break;
  }
  if (consumed < rest.trimEnd().length) return undefined;
  return pairs;
}

export interface FakeOAuth1ServerOptions {
  consumerKey?: string;
  consumerSecret?: string;
  /** The signature methods the provider accepts. @default all three */
  signatureMethods?: FakeSignatureMethod[];
  /** Whether the simulated user approves at the authorize endpoint. @default true */
  approve?: boolean;
  /** Answer `oauth_callback_confirmed=true`, as OAuth 1.0a providers do; `false` imitates an OAuth 1.0 provider. @default true */
  confirmCallback?: boolean;
  /** Requests whose timestamp is further than this from the server clock are refused. @default 300 */
  maxClockSkewSeconds?: number;
  /** The server clock, in seconds. @default the real clock */
  now?: () => number;
  /** Content type of token responses; Twitter says `text/html`. @default 'application/x-www-form-urlencoded' */
  tokenContentType?: string;
  /** Extra fields of the access-token response. @default { user_id: '42', screen_name: 'jane' } */
  accessTokenExtra?: Record<string, string>;
  /** Where the endpoints live. */
  paths?: Partial<FakeOAuth1Paths>;
  /**
   * Answers a protected resource request once its signature is verified. Return undefined for the
   * default answer, a JSON echo of the request (`{ ok, method, path, query, token, form?, json? }`).
   */
  resourceHandler?: (
    request: FakeOAuth1Request,
    access: { token: string },
  ) => FakeOAuth1Reply | undefined | Promise<FakeOAuth1Reply | undefined>;
  /**
   * Decides a protected resource request that carries no `Authorization: OAuth` header (an API that
   * also takes an API key in the query, like Trello). Return a reply to answer it (an error or
   * data); undefined refuses it as an unsigned request.
   */
  unsignedHandler?: (request: FakeOAuth1Request) => FakeOAuth1Reply | undefined | Promise<FakeOAuth1Reply | undefined>;
  /** How a refused resource request is answered. @default JSON `{ message, error }` */
  resourceRefusal?: (problem: string, status: number) => FakeOAuth1Reply;
}

export interface FakeOAuth1Request {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** The decoded protocol parameters of the Authorization header. */
  oauth: Record<string, string> | undefined;
  /** The base string the server computed, when it got that far. */
  baseString?: string;
  status: number;
  /** Why the request was refused (an `oauth_problem` value), when it was. */
  problem?: string;
}

interface TemporaryCredential {
  secret: string;
  callback: string;
  verifier?: string;
  used: boolean;
  /** The query of the authorize request (scope, expiration, ...). */
  authorizationQuery?: Record<string, string>;
}

export interface FakeOAuth1Server {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  requests: FakeOAuth1Request[];
  /** The endpoints of this server, for a given signature method. */
  settings(signatureMethod?: FakeSignatureMethod, authorizationParams?: Record<string, string>): FakeOAuth1Settings;
  /** Token credentials issued without the flow, for tests of signed requests alone. */
  issueAccessToken(): { token: string; tokenSecret: string };
  temporaryCredentials: Map<string, TemporaryCredential>;
  accessTokens: Map<string, string>;
  close(): Promise<void>;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly problem: string,
  ) {}
}

const random = (bytes: number) => randomBytes(bytes).toString('hex');

export async function startFakeOAuth1Server(options: FakeOAuth1ServerOptions = {}): Promise<FakeOAuth1Server> {
  const consumerKey = options.consumerKey ?? `ck-${random(8)}`;
  const consumerSecret = options.consumerSecret ?? `cs-${random(16)}`;
  const accepted = new Set(options.signatureMethods ?? ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT']);
  const maxSkew = options.maxClockSkewSeconds ?? 300;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const temporaryCredentials = new Map<string, TemporaryCredential>();
  const accessTokens = new Map<string, string>();
  const seenNonces = new Set<string>();
  const requests: FakeOAuth1Request[] = [];
  let baseUrl = '';

  /** Checks one signed request; returns its protocol parameters. */
  const verify = (
    record: FakeOAuth1Request,
    tokenSecretOf: (token: string | undefined) => string | undefined,
  ): Record<string, string> => {
    const pairs = parseOAuthHeader(record.headers['authorization']);
    if (!pairs) throw new Refusal(401, 'parameter_absent');
    const oauth: Record<string, string> = {};
    for (const [name, value] of pairs) {
      if (Object.hasOwn(oauth, name)) throw new Refusal(400, 'parameter_rejected');
      oauth[name] = value;
    }
    record.oauth = oauth;
    const method = oauth['oauth_signature_method'] as FakeSignatureMethod | undefined;
    const required = [
      'oauth_consumer_key',
      'oauth_signature_method',
      'oauth_signature',
      ...(method === 'PLAINTEXT' ? [] : ['oauth_timestamp', 'oauth_nonce']),
    ];
    if (required.some((name) => oauth[name] === undefined)) throw new Refusal(400, 'parameter_absent');
    if (oauth['oauth_version'] !== undefined && oauth['oauth_version'] !== '1.0')
      throw new Refusal(400, 'version_rejected');
    if (!method || !accepted.has(method)) throw new Refusal(400, 'signature_method_rejected');
    if (oauth['oauth_consumer_key'] !== consumerKey) throw new Refusal(401, 'consumer_key_unknown');
    const tokenSecret = tokenSecretOf(oauth['oauth_token']);
    if (tokenSecret === undefined) throw new Refusal(401, 'token_rejected');
    const timestamp = oauth['oauth_timestamp'];
    if (timestamp !== undefined && (!/^[1-9]\d*$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > maxSkew))
      throw new Refusal(401, 'timestamp_refused');

    const protocol = Object.entries(oauth).filter(([name]) => name !== 'oauth_signature' && name !== 'realm');
    record.baseString = referenceBaseString({
      method: record.method,
      // Behind a proxy (or `rerouteFetch` with `forwardedHeaders`), the client signed the public URL.
      url: `${record.headers['x-forwarded-proto'] ?? 'http'}://${record.headers['x-forwarded-host'] ?? record.headers['host'] ?? ''}${record.url}`,
      protocol,
      body: record.body,
      contentType: record.headers['content-type'],
    });
    const expected = Buffer.from(referenceSignature(method, record.baseString, consumerSecret, tokenSecret));
    const received = Buffer.from(oauth['oauth_signature'] ?? '');
    if (expected.length !== received.length || !timingSafeEqual(expected, received))
      throw new Refusal(401, 'signature_invalid');

    if (timestamp !== undefined) {
      const nonceKey = [oauth['oauth_consumer_key'], oauth['oauth_token'] ?? '', timestamp, oauth['oauth_nonce']].join(
        '\n',
      );
      if (seenNonces.has(nonceKey)) throw new Refusal(401, 'nonce_used');
      seenNonces.add(nonceKey);
    }
    return oauth;
  };

  const tokenResponse = (fields: Record<string, string>) => ({
    status: 200,
    headers: { 'content-type': options.tokenContentType ?? 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  const paths: FakeOAuth1Paths = {
    requestToken: '/oauth/request_token',
    authorize: '/oauth/authorize',
    accessToken: '/oauth/access_token',
    resourcePrefix: '/1/',
    ...options.paths,
  };
  const isResource = (path: string) =>
    path.startsWith(paths.resourcePrefix) &&
    path !== paths.requestToken &&
    path !== paths.authorize &&
    path !== paths.accessToken;
  const asReply = (reply: FakeOAuth1Reply): { status: number; headers?: Record<string, string>; body?: string } => ({
    status: reply.status ?? 200,
    headers: {
      ...(reply.json !== undefined
        ? { 'content-type': 'application/json' }
        : reply.text !== undefined
          ? { 'content-type': 'text/plain; charset=utf-8' }
          : {}),
      ...reply.headers,
    },
    body: reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ''),
  });

  const handle = async (
    record: FakeOAuth1Request,
  ): Promise<{ status: number; headers?: Record<string, string>; body?: string }> => {
    const query = new URLSearchParams(record.url.includes('?') ? record.url.slice(record.url.indexOf('?')) : '');
    if (record.path === paths.requestToken && record.method === 'POST') {
      const oauth = verify(record, (token) => (token === undefined ? '' : undefined));
      const callback = oauth['oauth_callback'];
      if (callback === undefined || callback === '') throw new Refusal(400, 'parameter_absent');
      const token = `tt-${random(8)}`;
      const secret = `tts-${random(16)}`;
      temporaryCredentials.set(token, { secret, callback, used: false });
      return tokenResponse({
        oauth_token: token,
        oauth_token_secret: secret,
        ...(options.confirmCallback === false ? {} : { oauth_callback_confirmed: 'true' }),
      });
    }
    if (record.path === paths.authorize && record.method === 'GET') {
      const token = query.get('oauth_token') ?? '';
      const temporary = temporaryCredentials.get(token);
      if (!temporary || temporary.used)
        return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Invalid or expired request token' };
      temporary.authorizationQuery = Object.fromEntries(query);
      const separator = temporary.callback.includes('?') ? '&' : '?';
      if (options.approve === false) {
        return {
          status: 302,
          headers: { location: `${temporary.callback}${separator}denied=${encodeURIComponent(token)}` },
        };
      }
      temporary.verifier = `v-${random(10)}`;
      if (temporary.callback === 'oob')
        return {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: `Your verification code is ${temporary.verifier}`,
        };
      return {
        status: 302,
        headers: {
          location: `${temporary.callback}${separator}oauth_token=${encodeURIComponent(token)}&oauth_verifier=${encodeURIComponent(temporary.verifier)}`,
        },
      };
    }
    if (record.path === paths.accessToken && record.method === 'POST') {
      const oauth = verify(record, (token) =>
        token === undefined ? undefined : temporaryCredentials.get(token)?.secret,
      );
      const temporary = temporaryCredentials.get(oauth['oauth_token'] ?? '')!;
      if (temporary.used) throw new Refusal(401, 'token_used');
      if (temporary.verifier === undefined) throw new Refusal(401, 'permission_unknown');
      if (oauth['oauth_verifier'] !== temporary.verifier) throw new Refusal(401, 'verifier_invalid');
      // RFC 5849 section 2.3: temporary credentials are revoked once exchanged.
      temporary.used = true;
      const issued = issueAccessToken();
      return tokenResponse({
        oauth_token: issued.token,
        oauth_token_secret: issued.tokenSecret,
        ...(options.accessTokenExtra ?? { user_id: '42', screen_name: 'jane' }),
      });
    }
    if (isResource(record.path)) {
      if (options.unsignedHandler && parseOAuthHeader(record.headers['authorization']) === undefined) {
        const answer = await options.unsignedHandler(record);
        if (answer) return asReply(answer);
      }
      const oauth = verify(record, (token) => (token === undefined ? undefined : accessTokens.get(token)));
      const custom = await options.resourceHandler?.(record, { token: oauth['oauth_token'] ?? '' });
      if (custom) return asReply(custom);
      const contentType = record.headers['content-type'] ?? '';
      const payload: Record<string, unknown> = {
        ok: true,
        method: record.method,
        path: record.path,
        query: parseFormEncoded(query.toString()),
        token: oauth['oauth_token'],
      };
      if (/x-www-form-urlencoded/i.test(contentType)) payload['form'] = parseFormEncoded(record.body);
      if (/json/i.test(contentType)) payload['json'] = JSON.parse(record.body) as unknown;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
  };

  const issueAccessToken = () => {
    const token = `at-${random(8)}`;
    const tokenSecret = `ats-${random(16)}`;
    accessTokens.set(token, tokenSecret);
    return { token, tokenSecret };
  };

  const sockets = new Set<Socket>();
  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    const url = incoming.url ?? '/';
    const record: FakeOAuth1Request = {
      method: incoming.method ?? 'GET',
      url,
      path: url.split('?')[0] ?? '/',
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      oauth: undefined,
      status: 0,
    };
    requests.push(record);
    let reply: { status: number; headers?: Record<string, string>; body?: string };
    try {
      reply = await handle(record);
    } catch (error) {
      if (!(error instanceof Refusal)) {
        record.problem = 'internal_error';
        record.status = 500;
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(String(error));
        return;
      }
      record.problem = error.problem;
      // Token endpoints answer like the OAuth Problem Reporting extension; the API answers JSON.
      reply =
        isResource(record.path) && options.resourceRefusal
          ? asReply(options.resourceRefusal(error.problem, error.status))
          : isResource(record.path)
            ? {
                status: error.status,
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  message: `Could not authenticate you (${error.problem}).`,
                  error: error.problem,
                }),
              }
            : {
                status: error.status,
                headers: { 'content-type': 'text/plain' },
                body: `oauth_problem=${error.problem}`,
              };
      if (error.status === 401) reply.headers = { ...reply.headers, 'www-authenticate': `OAuth realm="${baseUrl}"` };
    }
    record.status = reply.status;
    outgoing.writeHead(reply.status, reply.headers ?? {});
    outgoing.end(reply.body ?? '');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    consumerKey,
    consumerSecret,
    requests,
    settings: (signatureMethod = 'HMAC-SHA1', authorizationParams = {}) => ({
      requestTokenUrl: `${baseUrl}${paths.requestToken}`,
      authorizationUrl: `${baseUrl}${paths.authorize}`,
      accessTokenUrl: `${baseUrl}${paths.accessToken}`,
      signatureMethod,
      authorizationParams,
    }),
    issueAccessToken,
    temporaryCredentials,
    accessTokens,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
