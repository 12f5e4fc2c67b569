import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OAuth 2.0 authorization server and protected resource for tests, built on node:http only.
 * It follows RFC 6749 (authorization code, refresh token and client credentials grants), RFC 7636
 * (PKCE, S256 and plain) and RFC 6750 (bearer tokens), with GitHub and Google as models for the
 * places where providers differ (form-encoded token responses, refresh without rotation).
 *
 * The server simulates the user: a valid authorization request is approved (or denied, see
 * `denyNext`) at once and answered with a 302 to the client's redirect URI, so a test follows the
 * authorization URL with `authorizeAndFollow` and gets the callback URL back.
 */

export type FakeGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';
export type FakeClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'any';
/** How one token request authenticated its client; `none` is a public client sending only `client_id`. */
export type FakeUsedClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/**
 * How a requested `redirect_uri` is matched against a registered one:
 * - `'exact'`: simple string comparison (RFC 6749 section 3.1.2.3);
 * - `'any-loopback-port'`: exact, except that a registered `http://127.0.0.1`, `http://[::1]` or
 *   `http://localhost` URI matches the same URI on any port, as native apps need (RFC 8252 section 7.3);
 * - `'subdirectory'`: GitHub's rule for OAuth apps: the same scheme, the registered host or one of its
 *   sub-domains, the same port (any port for a loopback host), and the registered path or a path below it;
 * - a function deciding for one registered URI.
 * @see https://datatracker.ietf.org/doc/html/rfc8252#section-7.3
 * @see https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls
 */
export type FakeRedirectUriMatching =
  | 'exact'
  | 'any-loopback-port'
  | 'subdirectory'
  | ((requested: string, registered: string) => boolean);

export interface FakeOAuth2Client {
  clientId: string;
  /** Absent for a public client, which sends only `client_id` and cannot use `client_credentials`. */
  clientSecret?: string | undefined;
  /** Absolute URIs without fragment; `redirect_uri` must match one of them by `redirectUriMatching`. */
  redirectUris: string[];
  /** @default 'exact' */
  redirectUriMatching?: FakeRedirectUriMatching | undefined;
  /**
   * The client's own token lifetimes and refresh behaviour, where a provider sets them per client
   * (GitHub: OAuth apps get tokens that never expire and no refresh token; GitHub Apps with expiring
   * user tokens get 8-hour access tokens and 6-month refresh tokens used once). Each one left out
   * takes the server's option of the same name.
   */
  accessTokenTtlSeconds?: number | undefined;
  refreshTokenTtlSeconds?: number | undefined;
  issueRefreshToken?: boolean | undefined;
  rotateRefreshTokens?: boolean | undefined;
  /**
   * The scope granted to this client whatever it asks for, in the server's `scopeSeparator`
   * (`''` for a GitHub App, whose permissions are set on the app, not requested). @default the requested scope
   */
  grantedScope?: string | undefined;
  /** Prefixes of the tokens issued to this client (GitHub: `gho_`, or `ghu_` and `ghr_`). @default 'fake_at_' and 'fake_rt_' */
  tokenPrefixes?: { accessToken?: string | undefined; refreshToken?: string | undefined } | undefined;
}

/**
 * The situations a token endpoint error stands for, so that a provider's own error codes can replace
 * the RFC 6749 ones: `client_authentication` (`invalid_client`), `code` (an unknown, used, expired or
 * foreign authorization code), `code_verifier` (PKCE), `redirect_uri` (it differs from the
 * authorization request's, or is not registered; also the authorization endpoint's redirect with
 * `redirectUriMismatch: 'redirect-to-registered'`), `refresh_token` (unknown, revoked, rotated,
 * expired or foreign), `grant_type` (unsupported) and `scope`.
 */
export type FakeOAuth2ErrorSituation =
  | 'client_authentication'
  | 'code'
  | 'code_verifier'
  | 'redirect_uri'
  | 'refresh_token'
  | 'grant_type'
  | 'scope';

/** A provider's own answer for one error situation. */
export interface FakeOAuth2ErrorOverride {
  /** The `error` code answered instead of the RFC 6749 one, e.g. GitHub's `bad_verification_code`. */
  error: string;
  /** @default the fake's own description */
  description?: string | undefined;
  /** Added as `error_uri`. */
  uri?: string | undefined;
}

export interface FakeOAuth2Options {
  /** @default [{ clientId: 'client-abc', clientSecret: 'secret-xyz', redirectUris: DEFAULT_REDIRECT_URIS }] */
  clients?: FakeOAuth2Client[] | undefined;
  /** Which client authentication the token endpoint accepts. @default 'any' */
  clientAuthMethod?: FakeClientAuthMethod | undefined;
  /** Authorization requests without `code_challenge` are refused. A challenge that was sent is always verified. @default false */
  requirePkce?: boolean | undefined;
  /** 0 or undefined omits `expires_in` and the tokens never expire by themselves. @default 3600 */
  accessTokenTtlSeconds?: number | undefined;
  /** Adds `refresh_token_expires_in` (GitHub Apps) and expires refresh tokens after it. @default undefined (never) */
  refreshTokenTtlSeconds?: number | undefined;
  /** @default true */
  issueRefreshToken?: boolean | undefined;
  /** true: every refresh answers a new refresh token and revokes the old one; false: the refresh answer has no refresh_token (Google). @default false */
  rotateRefreshTokens?: boolean | undefined;
  /** With rotation, presenting an already rotated refresh token revokes the whole grant (OAuth 2.1 reuse detection). @default false */
  refreshTokenReuseDetection?: boolean | undefined;
  /**
   * Token endpoint answers (success and error): always JSON, always form-encoded, or
   * `'form-unless-accept-json'`: form-encoded unless the request's Accept includes
   * application/json, as GitHub answers.
   * @default 'json'
   */
  responseFormat?: 'json' | 'form' | 'form-unless-accept-json' | undefined;
  /**
   * How `scope` is split in requests and joined in answers: `'space'` (RFC 6749) or `'comma'`
   * (GitHub answers `repo,gist` and accepts either in requests).
   * @default 'space'
   */
  scopeSeparator?: 'space' | 'comma' | undefined;
  /** The `token_type` of token answers; GitHub's is lower-case `bearer`. @default 'Bearer' */
  tokenType?: string | undefined;
  /** Token endpoint errors answer HTTP 200 with the error body, as GitHub's do. @default false */
  errorsWithStatus200?: boolean | undefined;
  /**
   * A provider's own error codes by situation, e.g. GitHub's
   * `{ code: { error: 'bad_verification_code', description: 'The code passed is incorrect or expired.' } }`.
   * @default {} (the RFC 6749 codes)
   */
  errorOverrides?: Partial<Record<FakeOAuth2ErrorSituation, FakeOAuth2ErrorOverride>> | undefined;
  /**
   * What the authorization endpoint does with a `redirect_uri` that matches no registered one:
   * `'error-page'` tells the user and redirects nowhere (RFC 6749 section 4.1.2.1);
   * `'redirect-to-registered'` sends the user to the client's first registered URI with the error
   * (`invalid_request`, or the `redirect_uri` override: GitHub's `redirect_uri_mismatch`).
   * @default 'error-page'
   */
  redirectUriMismatch?: 'error-page' | 'redirect-to-registered' | undefined;
  /** Every token answer carries `scope`, `''` when none was granted (GitHub). @default false (only a non-empty scope) */
  scopeInEveryTokenResponse?: boolean | undefined;
  /** A token request without `grant_type` is taken as this grant (GitHub's code exchange needs none). @default undefined (invalid_request) */
  defaultGrantType?: FakeGrantType | undefined;
  /** The PKCE methods accepted; GitHub accepts `S256` only. @default ['S256', 'plain'] */
  codeChallengeMethods?: Array<'S256' | 'plain'> | undefined;
  /** Delay before every token request is processed. @default 0 */
  tokenDelayMs?: number | undefined;
  /** Grants the token endpoint supports; others answer unsupported_grant_type. @default all three */
  grantTypes?: FakeGrantType[] | undefined;
  /** When set, a requested scope outside this list answers invalid_scope. @default undefined (any scope) */
  scopesSupported?: string[] | undefined;
  /** Mount point of the authorization server, e.g. '/login/oauth'. @default '' */
  pathPrefix?: string | undefined;
  /** @default 'authorize' (so `{pathPrefix}/authorize`) */
  authorizePath?: string | undefined;
  /** @default 'token'; GitHub's is 'access_token' */
  tokenPath?: string | undefined;
  /** Mount point of the protected resource. @default '/api' */
  resourcePrefix?: string | undefined;
  /** Lifetime of authorization codes. @default 600 */
  codeTtlSeconds?: number | undefined;
  /** The user who approves authorization requests (`tokenSubject` at the resource). @default 'user-1' */
  subject?: string | undefined;
  /** Extra fields added to every successful token response (`id_token`, Shopify's `associated_user_scope`). */
  extraTokenResponseFields?: Record<string, string | number> | undefined;
  /** Answers a resource request that carries a valid token; return undefined for the default 200 answer. */
  resourceHandler?:
    | ((request: FakeResourceRequest) => FakeResourceReply | undefined | Promise<FakeResourceReply | undefined>)
    | undefined;
  /** Clock in epoch milliseconds; `advanceClock` adds to it. @default Date.now */
  now?: (() => number) | undefined;
}

export const DEFAULT_CLIENT_ID = 'client-abc';
export const DEFAULT_CLIENT_SECRET = 'secret-xyz';
export const DEFAULT_REDIRECT_URIS: readonly string[] = [
  'https://app.example/callback',
  'http://127.0.0.1/callback',
  'http://localhost/callback',
];

export interface FakeRecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  /** Query parameters (the last value when repeated). */
  query: Record<string, string>;
  searchParams: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed body when it was application/x-www-form-urlencoded (the last value when repeated). */
  form: Record<string, string> | undefined;
  /** Set once the server answered (undefined while pending or when the client went away). */
  status: number | undefined;
  responseBody: string | undefined;
}

export interface FakeTokenRequest extends FakeRecordedRequest {
  grantType: string | undefined;
  /** The authenticated client, or the claimed one when authentication failed. */
  clientId: string | undefined;
  /** undefined when the request carried no credentials or two methods at once. */
  clientAuthMethod: FakeUsedClientAuthMethod | undefined;
  outcome: 'pending' | 'issued' | 'error' | 'injected_failure' | 'aborted';
  /** The OAuth error code answered, when outcome is 'error'. */
  error: string | undefined;
}

export interface FakeAuthorizeRequest {
  /** All query parameters as sent (the last value when repeated). */
  query: Record<string, string>;
  searchParams: URLSearchParams;
  clientId: string | undefined;
  redirectUri: string | undefined;
  state: string | undefined;
  scope: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  /** Parameters other than the RFC 6749 / RFC 7636 ones (`access_type`, `prompt`, ...). */
  extraParams: Record<string, string>;
  /** approved: redirect with a code; denied: redirect with an error; rejected: 400 page, no redirect. */
  outcome: 'approved' | 'denied' | 'rejected';
  /** The error answered (redirect `error` or the reason of the 400 page). */
  error: string | undefined;
  /** The redirect Location, for approved and denied. */
  location: string | undefined;
  code: string | undefined;
}

export type FakeAuthorizationDecision =
  | {
      kind: 'approve';
      subject?: string | undefined /** The scope granted, when it differs from the requested one. */;
      scope?: string | undefined;
    }
  | {
      kind: 'deny';
      error: string;
      /** null leaves `error_description` out, as Google's denial does. @default 'The user denied the request.' */
      description?: string | null | undefined;
    };

export interface FakeIssuedToken {
  grantType: FakeGrantType;
  clientId: string;
  subject: string;
  /** Granted scopes, space-separated ('' when none). */
  scope: string;
  accessToken: string;
  /** The refresh token this answer carried, if any. */
  refreshToken: string | undefined;
  /** The refresh token presented, for refresh_token grants. */
  fromRefreshToken: string | undefined;
  /** The authorization code the grant descends from. */
  code: string | undefined;
  expiresIn: number | undefined;
  issuedAt: number;
  /** The response body exactly as answered. */
  response: Record<string, string | number>;
}

export interface FakeResourceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  token: { accessToken: string; subject: string; clientId: string; scope: string };
}

export interface FakeResourceReply {
  status?: number | undefined;
  headers?: Record<string, string> | undefined;
  json?: unknown;
  text?: string | undefined;
}

export interface FakeOAuth2Counters {
  /** Every HTTP request received. */
  requests: number;
  authorizeRequests: number;
  /** Every token endpoint request, injected failures included. */
  tokenRequests: number;
  /** Token requests by `grant_type` received (whatever their outcome). */
  authorizationCodeGrants: number;
  refreshTokenGrants: number;
  clientCredentialsGrants: number;
  /** Successful token answers. */
  tokensIssued: number;
  /** Token requests answered with an OAuth error (not injected failures). */
  tokenErrors: number;
  injectedFailures: number;
  resourceRequests: number;
  /** Resource requests answered 401. */
  resourceUnauthorized: number;
}

export interface FailureOptions {
  /** @default 'json' ({ error, error_description }); 'html' is a gateway-style page. */
  format?: 'json' | 'html' | undefined;
  /** Replaces the body entirely. */
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export interface FakeOAuth2Server {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** `${url}${pathPrefix}/authorize` */
  authorizationUrl: string;
  /** `${url}${pathPrefix}/token` */
  tokenUrl: string;
  /** `${url}${resourcePrefix}` */
  resourceUrl: string;
  /** Every request, in arrival order. */
  requests: FakeRecordedRequest[];
  /** Token endpoint requests only (the same objects as in `requests`). */
  tokenRequests: FakeTokenRequest[];
  authorizeRequests: FakeAuthorizeRequest[];
  /** One entry per successful token answer (and per `mintTokens`). */
  issuedTokens: FakeIssuedToken[];
  counters: FakeOAuth2Counters;
  /** Consumed by the next valid authorization request; undefined approves as `subject`. */
  nextAuthorizationDecision: FakeAuthorizationDecision | undefined;

  addClient(client: FakeOAuth2Client): void;
  /** The next valid authorization request redirects with this error (and the state). */
  /** null as the description leaves `error_description` out of the redirect. */
  denyNext(error?: string, description?: string | null): void;
  /** The next valid authorization request is approved for this subject and/or with this granted scope. */
  approveNext(overrides?: { subject?: string | undefined; scope?: string | undefined }): void;
  /** The next n token requests answer `status` before any processing (the code or refresh token stays usable). */
  failNextTokenRequests(n: number, status?: number, options?: FailureOptions): void;
  /** The next n token requests wait `ms` (Infinity: until close) before being processed; dropped if the client went away meanwhile. */
  hangNextTokenRequests(n: number, ms: number): void;
  /** Makes one access token expired; false when unknown. */
  expireAccessToken(token: string): boolean;
  expireAllAccessTokens(): void;
  revokeAccessToken(token: string): boolean;
  revokeRefreshToken(token: string): boolean;
  isAccessTokenActive(token: string): boolean;
  isRefreshTokenActive(token: string): boolean;
  /** Issues tokens directly, as if a grant had happened, to seed a connection. */
  mintTokens(options?: {
    clientId?: string;
    subject?: string;
    scope?: string;
    refreshToken?: boolean;
  }): FakeIssuedToken;
  /** Moves the server's clock forward (codes, access and refresh tokens expire by it). */
  advanceClock(ms: number): void;
  /** `authorizationUrl` with these query parameters (undefined values left out). */
  buildAuthorizationUrl(params: Record<string, string | undefined>): string;
  /** GETs the authorization URL without following redirects and returns the Location (the callback URL). Throws when the answer is not a redirect. */
  authorizeAndFollow(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

interface CodeRecord {
  code: string;
  clientId: string;
  /** The redirect_uri parameter as sent (undefined when omitted). */
  redirectUriParam: string | undefined;
  scope: string[];
  subject: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface AccessTokenRecord {
  token: string;
  clientId: string;
  subject: string;
  scope: string[];
  expiresAt: number | undefined;
  revoked: boolean;
  code: string | undefined;
}

interface RefreshTokenRecord {
  token: string;
  clientId: string;
  subject: string;
  scope: string[];
  expiresAt: number | undefined;
  revoked: boolean;
  /** Revoked by rotation (a later use is reuse). */
  rotated: boolean;
  code: string | undefined;
  /** Identifies the chain of rotated refresh tokens for reuse detection. */
  family: string;
}

const SITUATION_OF_CODE: Record<string, FakeOAuth2ErrorSituation> = {
  invalid_client: 'client_authentication',
  unsupported_grant_type: 'grant_type',
  invalid_scope: 'scope',
};

class OAuthError extends Error {
  readonly situation: FakeOAuth2ErrorSituation | undefined;
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly basicChallenge = false,
    situation?: FakeOAuth2ErrorSituation,
  ) {
    super(`${error}: ${description}`);
    this.situation = situation ?? SITUATION_OF_CODE[error];
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether `requested` is allowed by one registered redirect URI (see `FakeRedirectUriMatching`). */
function redirectUriMatches(matching: FakeRedirectUriMatching, requested: string, registered: string): boolean {
  if (typeof matching === 'function') return matching(requested, registered);
  if (requested === registered) return true;
  if (matching === 'exact') return false;
  let want: URL;
  let got: URL;
  try {
    want = new URL(registered);
    got = new URL(requested);
  } catch {
    return false;
  }
  const loopback = LOOPBACK_HOSTS.has(want.hostname);
  if (matching === 'any-loopback-port') {
    if (!loopback || want.protocol !== 'http:') return false;
    got.port = want.port;
    return got.toString() === want.toString();
  }
  if (got.protocol !== want.protocol || got.hash !== '') return false;
  const sameHost = got.hostname === want.hostname || got.hostname.endsWith(`.${want.hostname}`);
  if (!sameHost || (!loopback && got.port !== want.port)) return false;
  const base = want.pathname.replace(/\/+$/, '');
  return got.pathname === want.pathname || got.pathname.startsWith(`${base}/`);
}

const RFC_AUTHORIZE_PARAMS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(20).toString('hex')}`;
}

function lastValues(params: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of params) record[name] = value;
  return record;
}

function repeatedName(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function normalizePrefix(prefix: string): string {
  if (prefix === '' || prefix === '/') return '';
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}

/** application/x-www-form-urlencoded decoding of one Basic credential half (RFC 6749 section 2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function validateRedirectUri(uri: string): void {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new Error(`fake OAuth2 server: redirect URI ${JSON.stringify(uri)} is not absolute`);
  }
  if (parsed.hash !== '' || uri.includes('#'))
    throw new Error(`fake OAuth2 server: redirect URI ${JSON.stringify(uri)} has a fragment`);
}

/** Appends parameters to a redirect URI, keeping its own query exactly as registered. */
function appendQuery(uri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.append(name, value);
  const separator = uri.includes('?') ? (uri.endsWith('?') || uri.endsWith('&') ? '' : '&') : '?';
  return `${uri}${separator}${query.toString()}`;
}

export async function startFakeOAuth2Server(options: FakeOAuth2Options = {}): Promise<FakeOAuth2Server> {
  const commaScopes = options.scopeSeparator === 'comma';
  const clientAuthMethod = options.clientAuthMethod ?? 'any';
  const requirePkce = options.requirePkce ?? false;
  const serverAccessTtl = options.accessTokenTtlSeconds ?? 3600;
  const serverRefreshTtl = options.refreshTokenTtlSeconds;
  const issuesRefreshToken = (client: FakeOAuth2Client) =>
    client.issueRefreshToken ?? options.issueRefreshToken ?? true;
  const rotates = (client: FakeOAuth2Client) => client.rotateRefreshTokens ?? options.rotateRefreshTokens ?? false;
  const reuseDetection = options.refreshTokenReuseDetection ?? false;
  const errorsWithStatus200 = options.errorsWithStatus200 ?? false;
  const grantTypes = new Set<string>(
    options.grantTypes ?? ['authorization_code', 'refresh_token', 'client_credentials'],
  );
  const scopesSupported = options.scopesSupported ? new Set(options.scopesSupported) : undefined;
  const prefix = normalizePrefix(options.pathPrefix ?? '');
  const authorizePath = `${prefix}/${(options.authorizePath ?? 'authorize').replace(/^\/+/, '')}`;
  const tokenPath = `${prefix}/${(options.tokenPath ?? 'token').replace(/^\/+/, '')}`;
  const resourcePrefix = normalizePrefix(options.resourcePrefix ?? '/api');
  const codeTtlMs = (options.codeTtlSeconds ?? 600) * 1000;
  const defaultSubject = options.subject ?? 'user-1';
  let clockOffset = 0;
  const now = () => (options.now ?? Date.now)() + clockOffset;

  const clients = new Map<string, FakeOAuth2Client>();
  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  const failures: Array<{ status: number; options: FailureOptions }> = [];
  const hangs: number[] = [];
  const sockets = new Set<Socket>();
  const pendingWaits = new Set<() => void>();
  let closed = false;

  const requests: FakeRecordedRequest[] = [];
  const tokenRequests: FakeTokenRequest[] = [];
  const authorizeRequests: FakeAuthorizeRequest[] = [];
  const issuedTokens: FakeIssuedToken[] = [];
  const counters: FakeOAuth2Counters = {
    requests: 0,
    authorizeRequests: 0,
    tokenRequests: 0,
    authorizationCodeGrants: 0,
    refreshTokenGrants: 0,
    clientCredentialsGrants: 0,
    tokensIssued: 0,
    tokenErrors: 0,
    injectedFailures: 0,
    resourceRequests: 0,
    resourceUnauthorized: 0,
  };

  function addClient(client: FakeOAuth2Client): void {
    for (const uri of client.redirectUris) validateRedirectUri(uri);
    clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
  }
  for (const client of options.clients ?? [
    { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, redirectUris: [...DEFAULT_REDIRECT_URIS] },
  ])
    addClient(client);

  const redirectUriAllowed = (client: FakeOAuth2Client, requested: string) =>
    client.redirectUris.some((registered) =>
      redirectUriMatches(client.redirectUriMatching ?? 'exact', requested, registered),
    );
  const codeChallengeMethods = new Set<string>(options.codeChallengeMethods ?? ['S256', 'plain']);

  const splitScope = (scope: string | undefined): string[] =>
    scope === undefined ? [] : scope.split(commaScopes ? /[\s,]+/ : / +/).filter((item) => item !== '');
  const joinScope = (scope: string[]) => scope.join(commaScopes ? ',' : ' ');

  function wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        pendingWaits.delete(done);
        resolve();
      };
      pendingWaits.add(done);
      if (Number.isFinite(ms)) timer = setTimeout(done, ms);
    });
  }

  function send(
    response: ServerResponse,
    record: FakeRecordedRequest,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void {
    record.status = status;
    record.responseBody = body;
    if (response.destroyed || response.headersSent) return;
    response.writeHead(status, headers);
    response.end(body);
  }

  function sendJson(
    response: ServerResponse,
    record: FakeRecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    send(
      response,
      record,
      status,
      { 'content-type': 'application/json; charset=utf-8', ...headers },
      JSON.stringify(body),
    );
  }

  // ---- token endpoint ----------------------------------------------------------------------

  function tokenFormat(headers: Record<string, string>): 'json' | 'form' {
    if (options.responseFormat === 'form') return 'form';
    if (
      options.responseFormat === 'form-unless-accept-json' &&
      !(headers['accept'] ?? '').toLowerCase().includes('application/json')
    )
      return 'form';
    return 'json';
  }

  function sendTokenBody(
    response: ServerResponse,
    record: FakeRecordedRequest,
    status: number,
    body: Record<string, string | number>,
    extraHeaders: Record<string, string> = {},
  ): void {
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache', ...extraHeaders };
    if (tokenFormat(record.headers) === 'form') {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(body)) form.set(name, String(value));
      send(
        response,
        record,
        status,
        { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
        form.toString(),
      );
    } else {
      sendJson(response, record, status, body, headers);
    }
  }

  function authenticateClient(
    form: URLSearchParams,
    headers: Record<string, string>,
    record: FakeTokenRequest,
  ): FakeOAuth2Client {
    const authorization = headers['authorization'];
    const basicMatch = authorization === undefined ? null : /^basic\s+(\S*)\s*$/i.exec(authorization);
    const bodyId = form.get('client_id') ?? undefined;
    const bodySecret = form.get('client_secret') ?? undefined;
    record.clientId = bodyId;
    if (basicMatch && bodySecret !== undefined) {
      throw new OAuthError('invalid_request', 'The client used more than one authentication method.');
    }
    if (basicMatch) {
      record.clientAuthMethod = 'client_secret_basic';
      const decoded = Buffer.from(basicMatch[1] ?? '', 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.', 401, true);
      let id: string;
      let secret: string;
      try {
        id = formDecode(decoded.slice(0, colon));
        secret = formDecode(decoded.slice(colon + 1));
      } catch {
        throw new OAuthError('invalid_client', 'Basic credentials are not form-urlencoded.', 401, true);
      }
      record.clientId = id;
      if (clientAuthMethod === 'client_secret_post')
        throw new OAuthError(
          'invalid_client',
          'client_secret_basic is not allowed; use client_secret_post.',
          401,
          true,
        );
      const client = clients.get(id);
      if (!client) throw new OAuthError('invalid_client', 'Unknown client.', 401, true);
      if (bodyId !== undefined && bodyId !== id)
        throw new OAuthError('invalid_client', 'client_id does not match the Basic credentials.', 401, true);
      if (client.clientSecret === undefined ? secret !== '' : secret !== client.clientSecret) {
        throw new OAuthError('invalid_client', 'Client authentication failed.', 401, true);
      }
      if (client.clientSecret === undefined) record.clientAuthMethod = 'none';
      return client;
    }
    if (bodySecret !== undefined) {
      record.clientAuthMethod = 'client_secret_post';
      if (clientAuthMethod === 'client_secret_basic')
        throw new OAuthError('invalid_client', 'client_secret_post is not allowed; use client_secret_basic.', 401);
      if (bodyId === undefined) throw new OAuthError('invalid_client', 'client_secret without client_id.', 401);
      const client = clients.get(bodyId);
      if (!client) throw new OAuthError('invalid_client', 'Unknown client.', 401);
      if (client.clientSecret === undefined || bodySecret !== client.clientSecret)
        throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
      return client;
    }
    if (bodyId !== undefined) {
      record.clientAuthMethod = 'none';
      const client = clients.get(bodyId);
      if (!client) throw new OAuthError('invalid_client', 'Unknown client.', 401);
      if (client.clientSecret !== undefined)
        throw new OAuthError('invalid_client', 'Client authentication required.', 401);
      return client;
    }
    throw new OAuthError('invalid_client', 'Client authentication required.', 401);
  }

  function checkScopes(scope: string[], error = 'invalid_scope'): void {
    if (!scopesSupported) return;
    const unknown = scope.filter((item) => !scopesSupported.has(item));
    if (unknown.length > 0) throw new OAuthError(error, `Unsupported scope: ${unknown.join(' ')}`);
  }

  function issue(
    grantType: FakeGrantType,
    client: FakeOAuth2Client,
    subject: string,
    scope: string[],
    withRefresh: boolean,
    lineage: { code: string | undefined; family: string | undefined; fromRefreshToken: string | undefined },
  ): FakeIssuedToken {
    const issuedAt = now();
    const accessTtl = client.accessTokenTtlSeconds ?? serverAccessTtl;
    const refreshTtl = client.refreshTokenTtlSeconds ?? serverRefreshTtl;
    const accessToken = randomToken(client.tokenPrefixes?.accessToken ?? 'fake_at_');
    accessTokens.set(accessToken, {
      token: accessToken,
      clientId: client.clientId,
      subject,
      scope,
      expiresAt: accessTtl ? issuedAt + accessTtl * 1000 : undefined,
      revoked: false,
      code: lineage.code,
    });
    const response: Record<string, string | number> = {
      access_token: accessToken,
      token_type: options.tokenType ?? 'Bearer',
    };
    if (accessTtl) response['expires_in'] = accessTtl;
    let refreshToken: string | undefined;
    if (withRefresh) {
      refreshToken = randomToken(client.tokenPrefixes?.refreshToken ?? 'fake_rt_');
      refreshTokens.set(refreshToken, {
        token: refreshToken,
        clientId: client.clientId,
        subject,
        scope,
        expiresAt: refreshTtl ? issuedAt + refreshTtl * 1000 : undefined,
        revoked: false,
        rotated: false,
        code: lineage.code,
        family: lineage.family ?? refreshToken,
      });
      response['refresh_token'] = refreshToken;
      if (refreshTtl) response['refresh_token_expires_in'] = refreshTtl;
    }
    if (scope.length > 0 || options.scopeInEveryTokenResponse) response['scope'] = joinScope(scope);
    Object.assign(response, options.extraTokenResponseFields);
    const issued: FakeIssuedToken = {
      grantType,
      clientId: client.clientId,
      subject,
      scope: scope.join(' '),
      accessToken,
      refreshToken,
      fromRefreshToken: lineage.fromRefreshToken,
      code: lineage.code,
      expiresIn: accessTtl || undefined,
      issuedAt,
      response,
    };
    issuedTokens.push(issued);
    return issued;
  }

  function revokeCodeDescendants(code: string): void {
    for (const record of accessTokens.values()) if (record.code === code) record.revoked = true;
    for (const record of refreshTokens.values()) if (record.code === code) record.revoked = true;
  }

  function authorizationCodeGrant(form: URLSearchParams, client: FakeOAuth2Client): FakeIssuedToken {
    const code = form.get('code');
    if (!code) throw new OAuthError('invalid_request', 'Missing code.');
    const record = codes.get(code);
    if (!record) throw new OAuthError('invalid_grant', 'Unknown authorization code.', 400, false, 'code');
    if (record.used) {
      // RFC 6749 section 4.1.2: a reused code is refused and the tokens issued from it revoked.
      revokeCodeDescendants(code);
      throw new OAuthError(
        'invalid_grant',
        'The authorization code was already used; its tokens are revoked.',
        400,
        false,
        'code',
      );
    }
    if (now() >= record.expiresAt)
      throw new OAuthError('invalid_grant', 'The authorization code expired.', 400, false, 'code');
    if (record.clientId !== client.clientId)
      throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.', 400, false, 'code');
    const redirectUri = form.get('redirect_uri') ?? undefined;
    if (record.redirectUriParam !== undefined) {
      if (redirectUri === undefined)
        throw new OAuthError(
          'invalid_grant',
          'redirect_uri is required: the authorization request had one.',
          400,
          false,
          'redirect_uri',
        );
      if (redirectUri !== record.redirectUriParam)
        throw new OAuthError(
          'invalid_grant',
          'redirect_uri does not match the authorization request.',
          400,
          false,
          'redirect_uri',
        );
    } else if (redirectUri !== undefined && !redirectUriAllowed(client, redirectUri)) {
      throw new OAuthError(
        'invalid_grant',
        'redirect_uri is not registered for this client.',
        400,
        false,
        'redirect_uri',
      );
    }
    if (record.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (verifier === null)
        throw new OAuthError(
          'invalid_grant',
          'code_verifier is required: the authorization request had a code_challenge.',
          400,
          false,
          'code_verifier',
        );
      if (!VERIFIER_PATTERN.test(verifier))
        throw new OAuthError(
          'invalid_grant',
          'code_verifier is malformed (RFC 7636 section 4.1).',
          400,
          false,
          'code_verifier',
        );
      const computed =
        record.codeChallengeMethod === 'S256'
          ? createHash('sha256').update(verifier, 'ascii').digest('base64url')
          : verifier;
      if (computed !== record.codeChallenge)
        throw new OAuthError(
          'invalid_grant',
          'code_verifier does not match the code_challenge.',
          400,
          false,
          'code_verifier',
        );
    }
    record.used = true;
    return issue('authorization_code', client, record.subject, record.scope, issuesRefreshToken(client), {
      code,
      family: undefined,
      fromRefreshToken: undefined,
    });
  }

  function refreshTokenGrant(form: URLSearchParams, client: FakeOAuth2Client): FakeIssuedToken {
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError('invalid_request', 'Missing refresh_token.');
    const record = refreshTokens.get(token);
    if (!record) throw new OAuthError('invalid_grant', 'Unknown refresh token.', 400, false, 'refresh_token');
    if (record.revoked) {
      if (record.rotated && reuseDetection) {
        for (const other of refreshTokens.values()) if (other.family === record.family) other.revoked = true;
      }
      throw new OAuthError(
        'invalid_grant',
        record.rotated ? 'The refresh token was already rotated.' : 'The refresh token was revoked.',
        400,
        false,
        'refresh_token',
      );
    }
    if (record.expiresAt !== undefined && now() >= record.expiresAt)
      throw new OAuthError('invalid_grant', 'The refresh token expired.', 400, false, 'refresh_token');
    if (record.clientId !== client.clientId)
      throw new OAuthError(
        'invalid_grant',
        'The refresh token was issued to another client.',
        400,
        false,
        'refresh_token',
      );
    let scope = record.scope;
    const requested = form.get('scope');
    if (requested !== null) {
      const narrowed = splitScope(requested);
      const extra = narrowed.filter((item) => !record.scope.includes(item));
      if (extra.length > 0)
        throw new OAuthError('invalid_scope', `Scope beyond the original grant: ${extra.join(' ')}`);
      scope = narrowed;
    }
    const rotate = rotates(client);
    if (rotate) {
      record.revoked = true;
      record.rotated = true;
    }
    return issue('refresh_token', client, record.subject, scope, rotate, {
      code: record.code,
      family: record.family,
      fromRefreshToken: token,
    });
  }

  function clientCredentialsGrant(form: URLSearchParams, client: FakeOAuth2Client): FakeIssuedToken {
    if (client.clientSecret === undefined)
      throw new OAuthError('unauthorized_client', 'A public client cannot use client_credentials.');
    const scope = splitScope(client.grantedScope ?? form.get('scope') ?? undefined);
    checkScopes(scope);
    return issue('client_credentials', client, client.clientId, scope, false, {
      code: undefined,
      family: undefined,
      fromRefreshToken: undefined,
    });
  }

  async function handleToken(
    incoming: IncomingMessage,
    response: ServerResponse,
    record: FakeTokenRequest,
    aborted: () => boolean,
  ): Promise<void> {
    counters.tokenRequests++;
    const grantType = record.form?.['grant_type'] ?? options.defaultGrantType;
    if (grantType === 'authorization_code') counters.authorizationCodeGrants++;
    else if (grantType === 'refresh_token') counters.refreshTokenGrants++;
    else if (grantType === 'client_credentials') counters.clientCredentialsGrants++;

    const failure = failures.shift();
    if (failure) {
      counters.injectedFailures++;
      record.outcome = 'injected_failure';
      const { status } = failure;
      const format = failure.options.format ?? 'json';
      let body: string;
      let contentType: string;
      if (format === 'html') {
        body =
          failure.options.body ??
          `<!DOCTYPE html><html><head><title>${status} Error</title></head><body><h1>${status} Error</h1><p>The server is temporarily unable to service your request.</p></body></html>`;
        contentType = 'text/html; charset=utf-8';
      } else {
        body =
          failure.options.body ??
          JSON.stringify({
            error: status === 503 ? 'temporarily_unavailable' : 'server_error',
            error_description: `Injected failure (${status}).`,
          });
        contentType = 'application/json; charset=utf-8';
      }
      send(
        response,
        record,
        status,
        { 'content-type': contentType, 'cache-control': 'no-store', ...failure.options.headers },
        body,
      );
      return;
    }
    const hang = hangs.shift();
    if (hang !== undefined) await wait(hang);
    if (options.tokenDelayMs) await wait(options.tokenDelayMs);
    if (closed || aborted()) {
      record.outcome = 'aborted';
      return;
    }
    try {
      if (incoming.method !== 'POST') {
        throw new OAuthError('invalid_request', 'The token endpoint accepts POST only.', 405);
      }
      const contentType = (record.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (contentType !== 'application/x-www-form-urlencoded') {
        throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
      }
      const form = new URLSearchParams(record.rawBody);
      const repeated = repeatedName(form);
      if (repeated) throw new OAuthError('invalid_request', `Parameter ${repeated} is repeated.`);
      if (!grantType) throw new OAuthError('invalid_request', 'Missing grant_type.');
      if (!grantTypes.has(grantType))
        throw new OAuthError('unsupported_grant_type', `Unsupported grant_type ${grantType}.`);
      const client = authenticateClient(form, record.headers, record);
      record.clientId = client.clientId;
      const issued =
        grantType === 'authorization_code'
          ? authorizationCodeGrant(form, client)
          : grantType === 'refresh_token'
            ? refreshTokenGrant(form, client)
            : clientCredentialsGrant(form, client);
      counters.tokensIssued++;
      record.outcome = 'issued';
      sendTokenBody(response, record, 200, issued.response);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      counters.tokenErrors++;
      const override = error.situation === undefined ? undefined : options.errorOverrides?.[error.situation];
      const code = override?.error ?? error.error;
      record.outcome = 'error';
      record.error = code;
      const headers: Record<string, string> = {};
      if (error.basicChallenge) headers['www-authenticate'] = 'Basic realm="fake-oauth2"';
      if (error.status === 405) headers['allow'] = 'POST';
      const status = errorsWithStatus200 && error.status !== 405 ? 200 : error.status;
      const body: Record<string, string> = {
        error: code,
        error_description: override?.description ?? error.description,
      };
      if (override?.uri !== undefined) body['error_uri'] = override.uri;
      sendTokenBody(response, record, status, body, headers);
    }
  }

  // ---- authorization endpoint ----------------------------------------------------------------

  function handleAuthorize(response: ServerResponse, record: FakeRecordedRequest): void {
    counters.authorizeRequests++;
    const params = record.searchParams;
    const query = record.query;
    const extraParams: Record<string, string> = {};
    for (const [name, value] of Object.entries(query)) if (!RFC_AUTHORIZE_PARAMS.has(name)) extraParams[name] = value;
    const entry: FakeAuthorizeRequest = {
      query,
      searchParams: params,
      clientId: query['client_id'],
      redirectUri: query['redirect_uri'],
      state: query['state'],
      scope: query['scope'],
      codeChallenge: query['code_challenge'],
      codeChallengeMethod: query['code_challenge_method'],
      extraParams,
      outcome: 'rejected',
      error: undefined,
      location: undefined,
      code: undefined,
    };
    authorizeRequests.push(entry);

    // RFC 6749 section 4.1.2.1: without a valid client and redirect URI, tell the user, never redirect.
    const page = (reason: string) => {
      entry.outcome = 'rejected';
      entry.error = reason;
      send(
        response,
        record,
        400,
        { 'content-type': 'text/html; charset=utf-8' },
        `<!DOCTYPE html><html><head><title>Authorization error</title></head><body><h1>Authorization error</h1><p>${escapeHtml(reason)}</p></body></html>`,
      );
    };
    if (record.method !== 'GET') return page('The authorization endpoint accepts GET only.');
    for (const name of ['client_id', 'redirect_uri']) {
      if (params.getAll(name).length > 1) return page(`Parameter ${name} is repeated.`);
    }
    const client = entry.clientId === undefined ? undefined : clients.get(entry.clientId);
    if (entry.clientId === undefined) return page('Missing client_id.');
    if (!client) return page(`Unknown client_id ${entry.clientId}.`);
    let redirectUri: string;
    if (entry.redirectUri === undefined) {
      if (client.redirectUris.length !== 1) return page('Missing redirect_uri: the client has several registered.');
      redirectUri = client.redirectUris[0] as string;
    } else if (redirectUriAllowed(client, entry.redirectUri)) {
      redirectUri = entry.redirectUri;
    } else {
      const reason = `redirect_uri ${entry.redirectUri} is not registered for this client.`;
      if (options.redirectUriMismatch !== 'redirect-to-registered') return page(reason);
      // GitHub sends the user back to the registered callback with the error instead of showing a page.
      const override = options.errorOverrides?.redirect_uri;
      entry.outcome = 'denied';
      entry.error = override?.error ?? 'invalid_request';
      entry.location = appendQuery(client.redirectUris[0] as string, {
        error: entry.error,
        error_description: override?.description ?? reason,
        error_uri: override?.uri,
        state: entry.state,
      });
      send(response, record, 302, { location: entry.location, 'content-type': 'text/html; charset=utf-8' }, '');
      return;
    }

    const redirect = (params: Record<string, string | undefined>) => {
      const location = appendQuery(redirectUri, params);
      entry.location = location;
      send(response, record, 302, { location, 'content-type': 'text/html; charset=utf-8' }, '');
    };
    const redirectError = (error: string, description: string | undefined) => {
      entry.outcome = 'denied';
      entry.error = error;
      redirect({ error, error_description: description, state: entry.state });
    };
    const repeated = repeatedName(params);
    if (repeated) return redirectError('invalid_request', `Parameter ${repeated} is repeated.`);
    const responseType = query['response_type'];
    if (responseType === undefined) return redirectError('invalid_request', 'Missing response_type.');
    if (responseType !== 'code')
      return redirectError('unsupported_response_type', `Unsupported response_type ${responseType}.`);
    const requestedScope = splitScope(entry.scope);
    if (scopesSupported) {
      const unknown = requestedScope.filter((item) => !scopesSupported.has(item));
      if (unknown.length > 0) return redirectError('invalid_scope', `Unsupported scope: ${unknown.join(' ')}`);
    }
    let method = entry.codeChallengeMethod;
    if (entry.codeChallenge === undefined) {
      if (requirePkce) return redirectError('invalid_request', 'code_challenge required.');
      if (method !== undefined)
        return redirectError('invalid_request', 'code_challenge_method without code_challenge.');
    } else {
      method ??= 'plain';
      if (!codeChallengeMethods.has(method))
        return redirectError('invalid_request', `Unsupported code_challenge_method ${method}.`);
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(entry.codeChallenge))
        return redirectError('invalid_request', 'Malformed code_challenge.');
    }

    const decision = server.nextAuthorizationDecision ?? { kind: 'approve' };
    server.nextAuthorizationDecision = undefined;
    if (decision.kind === 'deny')
      return redirectError(
        decision.error,
        decision.description === null ? undefined : (decision.description ?? 'The user denied the request.'),
      );
    const code = randomToken('fake_code_');
    codes.set(code, {
      code,
      clientId: client.clientId,
      redirectUriParam: entry.redirectUri,
      scope: splitScope(decision.scope ?? client.grantedScope ?? entry.scope),
      subject: decision.subject ?? defaultSubject,
      codeChallenge: entry.codeChallenge,
      codeChallengeMethod: entry.codeChallenge === undefined ? undefined : method,
      expiresAt: now() + codeTtlMs,
      used: false,
    });
    entry.outcome = 'approved';
    entry.code = code;
    redirect({ code, state: entry.state });
  }

  // ---- protected resource ---------------------------------------------------------------------

  async function handleResource(response: ServerResponse, record: FakeRecordedRequest): Promise<void> {
    counters.resourceRequests++;
    const unauthorized = (challenge: string, body: Record<string, string>) => {
      counters.resourceUnauthorized++;
      sendJson(response, record, 401, body, { 'www-authenticate': challenge });
    };
    const match = /^bearer\s+(\S+)\s*$/i.exec(record.headers['authorization'] ?? '');
    // RFC 6750 section 3.1: no error code when the request carried no credentials.
    if (!match)
      return unauthorized('Bearer realm="fake-oauth2"', {
        error: 'unauthorized',
        error_description: 'A bearer token is required.',
      });
    const token = match[1] as string;
    const access = accessTokens.get(token);
    const invalid = (description: string) =>
      unauthorized(`Bearer realm="fake-oauth2", error="invalid_token", error_description="${description}"`, {
        error: 'invalid_token',
        error_description: description,
      });
    if (!access) return invalid('The access token is unknown.');
    if (access.revoked) return invalid('The access token was revoked.');
    if (access.expiresAt !== undefined && now() >= access.expiresAt) return invalid('The access token expired.');
    const tokenInfo = {
      accessToken: token,
      subject: access.subject,
      clientId: access.clientId,
      scope: access.scope.join(' '),
    };
    if (options.resourceHandler) {
      const reply = await options.resourceHandler({
        method: record.method,
        path: record.path,
        query: record.query,
        headers: record.headers,
        rawBody: record.rawBody,
        token: tokenInfo,
      });
      if (reply) {
        const isJson = reply.json !== undefined;
        send(
          response,
          record,
          reply.status ?? 200,
          {
            ...(isJson
              ? { 'content-type': 'application/json; charset=utf-8' }
              : { 'content-type': 'text/plain; charset=utf-8' }),
            ...reply.headers,
          },
          isJson ? JSON.stringify(reply.json) : (reply.text ?? ''),
        );
        return;
      }
    }
    sendJson(response, record, 200, {
      ok: true,
      path: record.path,
      method: record.method,
      query: record.query,
      tokenSubject: access.subject,
      clientId: access.clientId,
      scope: tokenInfo.scope,
    });
  }

  // ---- server ---------------------------------------------------------------------------------

  const httpServer = createServer((incoming, response) => {
    void (async () => {
      let aborted = false;
      response.on('close', () => {
        if (!response.writableFinished) aborted = true;
      });
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const parsed = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const isForm =
        (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
      const record: FakeRecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        path: parsed.pathname,
        query: lastValues(parsed.searchParams),
        searchParams: parsed.searchParams,
        headers,
        rawBody,
        form: isForm ? lastValues(new URLSearchParams(rawBody)) : undefined,
        status: undefined,
        responseBody: undefined,
      };
      requests.push(record);
      counters.requests++;
      const path = parsed.pathname;
      if (path === tokenPath) {
        const tokenRecord = Object.assign(record, {
          grantType: record.form?.['grant_type'],
          clientId: undefined,
          clientAuthMethod: undefined,
          outcome: 'pending' as const,
          error: undefined,
        }) as FakeTokenRequest;
        tokenRequests.push(tokenRecord);
        await handleToken(incoming, response, tokenRecord, () => aborted);
      } else if (path === authorizePath) {
        handleAuthorize(response, record);
      } else if (path === resourcePrefix || path.startsWith(`${resourcePrefix}/`)) {
        await handleResource(response, record);
      } else if (path === '/.well-known/oauth-authorization-server') {
        sendJson(response, record, 200, {
          issuer: base,
          authorization_endpoint: `${base}${authorizePath}`,
          token_endpoint: `${base}${tokenPath}`,
          response_types_supported: ['code'],
          grant_types_supported: [...grantTypes],
          code_challenge_methods_supported: [...codeChallengeMethods],
          token_endpoint_auth_methods_supported:
            clientAuthMethod === 'any'
              ? ['client_secret_basic', 'client_secret_post', 'none']
              : [clientAuthMethod, 'none'],
          ...(scopesSupported ? { scopes_supported: [...scopesSupported] } : {}),
        });
      } else {
        sendJson(response, record, 404, {
          error: 'not_found',
          error_description: `No route for ${record.method} ${path}.`,
        });
      }
    })().catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake OAuth2 server error: ${String(error)}`);
      }
    });
  });
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const server: FakeOAuth2Server = {
    url: base,
    port,
    authorizationUrl: `${base}${authorizePath}`,
    tokenUrl: `${base}${tokenPath}`,
    resourceUrl: `${base}${resourcePrefix}`,
    requests,
    tokenRequests,
    authorizeRequests,
    issuedTokens,
    counters,
    nextAuthorizationDecision: undefined,
    addClient,
    denyNext(error = 'access_denied', description) {
      server.nextAuthorizationDecision = { kind: 'deny', error, description };
    },
    approveNext(overrides = {}) {
      server.nextAuthorizationDecision = { kind: 'approve', subject: overrides.subject, scope: overrides.scope };
    },
    failNextTokenRequests(n, status = 503, failureOptions = {}) {
      for (let index = 0; index < n; index++) failures.push({ status, options: failureOptions });
    },
    hangNextTokenRequests(n, ms) {
      for (let index = 0; index < n; index++) hangs.push(ms);
    },
    expireAccessToken(token) {
      const record = accessTokens.get(token);
      if (!record) return false;
      record.expiresAt = now() - 1;
      return true;
    },
    expireAllAccessTokens() {
      for (const record of accessTokens.values()) record.expiresAt = now() - 1;
    },
    revokeAccessToken(token) {
      const record = accessTokens.get(token);
      if (!record) return false;
      record.revoked = true;
      return true;
    },
    revokeRefreshToken(token) {
      const record = refreshTokens.get(token);
      if (!record) return false;
      record.revoked = true;
      return true;
    },
    isAccessTokenActive(token) {
      const record = accessTokens.get(token);
      return record !== undefined && !record.revoked && (record.expiresAt === undefined || now() < record.expiresAt);
    },
    isRefreshTokenActive(token) {
      const record = refreshTokens.get(token);
      return record !== undefined && !record.revoked && (record.expiresAt === undefined || now() < record.expiresAt);
    },
    mintTokens(mint = {}) {
      const clientId = mint.clientId ?? clients.keys().next().value;
      const client = clientId === undefined ? undefined : clients.get(clientId);
      if (!client) throw new Error(`fake OAuth2 server: unknown client ${String(clientId)}`);
      return issue(
        'authorization_code',
        client,
        mint.subject ?? defaultSubject,
        splitScope(mint.scope),
        mint.refreshToken ?? issuesRefreshToken(client),
        {
          code: undefined,
          family: undefined,
          fromRefreshToken: undefined,
        },
      );
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
    buildAuthorizationUrl(params) {
      const url = new URL(`${base}${authorizePath}`);
      for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
      return url.toString();
    },
    async authorizeAndFollow(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const body = await response.text();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        throw new Error(
          `The authorization endpoint answered ${response.status} instead of a redirect: ${body.slice(0, 500)}`,
        );
      }
      return new URL(location, authorizationUrl);
    },
    close() {
      closed = true;
      for (const done of [...pendingWaits]) done();
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        httpServer.close(() => resolve());
      });
    },
  };
  return server;
}
