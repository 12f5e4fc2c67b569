import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TokenInfo } from './fake-github-api.js';

/**
 * A local stand-in for GitHub's OAuth web application flow on github.com (or a GHES host),
 * faithful to GitHub's documentation:
 * - `GET /login/oauth/authorize` checks the client id and the redirect URI (an OAuth app's may be a
 *   subdirectory of its callback URL on the same host and port; a GitHub App's must equal one of
 *   its callback URLs), then sends the browser back with `code` and `state`, or with
 *   `error=access_denied` when the user cancels, or to the registered callback with
 *   `error=redirect_uri_mismatch`. Codes expire after 10 minutes and work once.
 * - `POST /login/oauth/access_token` takes `client_id`, `client_secret`, `code`, `redirect_uri`
 *   and `code_verifier` (or `grant_type=refresh_token`) as form, JSON or query parameters, and
 *   answers form-encoded (`access_token=...&scope=repo%2Cgist&token_type=bearer`) unless the
 *   request sends `Accept: application/json`. Errors (`bad_verification_code`,
 *   `incorrect_client_credentials`, `redirect_uri_mismatch`, `bad_refresh_token`) come with
 *   HTTP 200, as GitHub sends them.
 * - OAuth apps get non-expiring `gho_` tokens with the granted scopes; GitHub Apps with expiring
 *   user tokens get `ghu_` tokens (8 hours) and `ghr_` refresh tokens (6 months), scope "".
 * @see https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  /** OAuth apps have one callback URL; GitHub Apps may have several. */
  callbackUrls: string[];
  kind: 'oauth_app' | 'github_app';
}

export interface TokenRequestRecord {
  headers: Record<string, string>;
  /** Every parameter, from the body and the query. */
  params: Record<string, string>;
  contentType: string;
  outcome: 'issued' | string;
}

export interface FakeGitHubOAuthOptions {
  apps: RegisteredApp[];
  /** Told of every token issued, so the API fake accepts it. */
  onToken: (token: string, info: TokenInfo) => void;
  /** The user who signs in and approves. @default 'octocat' */
  login?: string;
}

export interface FakeGitHubOAuth {
  url: string;
  tokenRequests: TokenRequestRecord[];
  authorizeRequests: URLSearchParams[];
  /** The next authorization is cancelled by the user. */
  denyNext(): void;
  /** Plays the user's browser: opens the authorize URL and returns where GitHub redirects to. */
  authorize(authorizeUrl: string, fetchFunction: typeof fetch): Promise<string>;
  close(): Promise<void>;
}

const TEN_MINUTES = 600_000;
const TROUBLESHOOT_TOKEN =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
const TROUBLESHOOT_AUTHORIZE =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors';

interface IssuedCode {
  clientId: string;
  redirectUri: string | undefined;
  scopes: string[];
  codeChallenge: string | undefined;
  expiresAt: number;
}

/**
 * An OAuth app's redirect URI: same scheme, the callback's host or a sub-domain of it, the same
 * port (any port for a loopback callback), and the callback's path or a subdirectory of it.
 * @see https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls
 */
function oauthAppRedirectAllowed(callback: URL, redirect: URL): boolean {
  if (redirect.protocol !== callback.protocol) return false;
  const sameHost = redirect.hostname === callback.hostname || redirect.hostname.endsWith(`.${callback.hostname}`);
  const loopback = callback.hostname === '127.0.0.1' || callback.hostname === '[::1]';
  if (!sameHost || (!loopback && redirect.port !== callback.port)) return false;
  const base = callback.pathname.replace(/\/+$/, '');
  return redirect.pathname === callback.pathname || redirect.pathname.startsWith(`${base}/`);
}

export async function startFakeGitHubOAuth(options: FakeGitHubOAuthOptions): Promise<FakeGitHubOAuth> {
  const login = options.login ?? 'octocat';
  const apps = new Map(options.apps.map((app) => [app.clientId, app]));
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, { clientId: string }>();
  const tokenRequests: TokenRequestRecord[] = [];
  const authorizeRequests: URLSearchParams[] = [];
  let deny = false;

  function redirect(outgoing: ServerResponse, target: string): void {
    outgoing.writeHead(302, { location: target, 'cache-control': 'no-cache' });
    outgoing.end();
  }

  function authorizeEndpoint(query: URLSearchParams, outgoing: ServerResponse): void {
    authorizeRequests.push(query);
    const app = apps.get(query.get('client_id') ?? '');
    if (!app) {
      outgoing.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      outgoing.end('<html><body>Not Found</body></html>');
      return;
    }
    const state = query.get('state');
    const requested = query.get('redirect_uri') ?? undefined;
    const registered = app.callbackUrls[0] as string;
    const withParams = (base: string, params: Record<string, string | undefined>) => {
      const url = new URL(base);
      for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
      return url.toString();
    };
    if (requested !== undefined) {
      let allowed = false;
      try {
        const target = new URL(requested);
        allowed =
          app.kind === 'github_app'
            ? app.callbackUrls.includes(requested)
            : oauthAppRedirectAllowed(new URL(registered), target);
      } catch {
        allowed = false;
      }
      if (!allowed) {
        redirect(
          outgoing,
          withParams(registered, {
            error: 'redirect_uri_mismatch',
            error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
            error_uri: `${TROUBLESHOOT_AUTHORIZE}/#redirect-uri-mismatch`,
            state: state ?? undefined,
          }),
        );
        return;
      }
    }
    const destination = requested ?? registered;
    if (deny) {
      deny = false;
      redirect(
        outgoing,
        withParams(destination, {
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          error_uri: `${TROUBLESHOOT_AUTHORIZE}/#access-denied`,
          state: state ?? undefined,
        }),
      );
      return;
    }
    const method = query.get('code_challenge_method');
    const challenge = query.get('code_challenge') ?? undefined;
    if (challenge !== undefined && method !== 'S256') {
      // Only S256 is accepted (GitHub changelog, 2025-07-14).
      redirect(
        outgoing,
        withParams(destination, {
          error: 'invalid_request',
          error_description: 'code_challenge_method must be S256.',
          state: state ?? undefined,
        }),
      );
      return;
    }
    const code = randomBytes(10).toString('hex');
    codes.set(code, {
      clientId: app.clientId,
      redirectUri: requested,
      scopes: app.kind === 'oauth_app' ? (query.get('scope') ?? '').split(/[\s,]+/).filter(Boolean) : [],
      codeChallenge: challenge,
      expiresAt: Date.now() + TEN_MINUTES,
    });
    redirect(outgoing, withParams(destination, { code, state: state ?? undefined }));
  }

  function issue(app: RegisteredApp, scopes: string[]): Record<string, string | number> {
    if (app.kind === 'oauth_app') {
      const accessToken = `gho_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
      options.onToken(accessToken, { login, scopes, kind: 'oauth' });
      return { access_token: accessToken, scope: scopes.join(','), token_type: 'bearer' };
    }
    const accessToken = `ghu_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
    const refreshToken = `ghr_${randomBytes(36).toString('base64url').replace(/[-_]/g, 'x')}`;
    refreshTokens.set(refreshToken, { clientId: app.clientId });
    options.onToken(accessToken, { login, scopes: [], kind: 'github_app_user', expiresAt: Date.now() + 28_800_000 });
    return {
      access_token: accessToken,
      expires_in: 28800,
      refresh_token: refreshToken,
      refresh_token_expires_in: 15811200,
      scope: '',
      token_type: 'bearer',
    };
  }

  function tokenEndpoint(params: Record<string, string>): Record<string, string | number> {
    const failure = (error: string, description: string, anchor: string) => ({
      error,
      error_description: description,
      error_uri: `${TROUBLESHOOT_TOKEN}/#${anchor}`,
    });
    const app = apps.get(params['client_id'] ?? '');
    if (!app || params['client_secret'] !== app.clientSecret) {
      return failure(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
        'incorrect-client-credentials',
      );
    }
    if (params['grant_type'] === 'refresh_token') {
      const known = refreshTokens.get(params['refresh_token'] ?? '');
      if (!known || known.clientId !== app.clientId)
        return failure(
          'bad_refresh_token',
          'The refresh token passed is incorrect or expired.',
          'bad-verification-code',
        );
      // A refresh token works once; the new pair replaces it.
      refreshTokens.delete(params['refresh_token'] as string);
      return issue(app, []);
    }
    if (params['grant_type'] !== undefined && params['grant_type'] !== 'authorization_code') {
      return failure('unsupported_grant_type', 'The grant type is not supported.', 'unsupported-grant-type');
    }
    const code = codes.get(params['code'] ?? '');
    if (!code || code.clientId !== app.clientId || code.expiresAt <= Date.now()) {
      return failure('bad_verification_code', 'The code passed is incorrect or expired.', 'bad-verification-code');
    }
    if (
      params['redirect_uri'] !== undefined &&
      code.redirectUri !== undefined &&
      params['redirect_uri'] !== code.redirectUri
    ) {
      return failure(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
        'redirect-uri-mismatch2',
      );
    }
    if (code.codeChallenge !== undefined) {
      const verifier = params['code_verifier'] ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      // GitHub does not document this error's code; a failed PKCE check is treated like a bad code.
      if (computed !== code.codeChallenge)
        return failure('bad_verification_code', 'The code passed is incorrect or expired.', 'bad-verification-code');
    }
    codes.delete(params['code'] as string);
    return issue(app, code.scopes);
  }

  const sockets = new Set<Socket>();
  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    if (incoming.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      authorizeEndpoint(url.searchParams, outgoing);
      return;
    }
    if (incoming.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const raw = Buffer.concat(chunks).toString('utf8');
      const contentType = headers['content-type'] ?? '';
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      if (/json/i.test(contentType) && raw !== '') Object.assign(params, JSON.parse(raw) as Record<string, string>);
      else Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
      const result = tokenEndpoint(params);
      tokenRequests.push({
        headers,
        params,
        contentType,
        outcome: typeof result['error'] === 'string' ? result['error'] : 'issued',
      });
      // Errors too are answered with 200, in the format the Accept header asks for.
      if (/application\/json/i.test(headers['accept'] ?? '')) {
        outgoing.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        outgoing.end(JSON.stringify(result));
      } else {
        outgoing.writeHead(200, {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'cache-control': 'no-store',
        });
        outgoing.end(
          new URLSearchParams(Object.entries(result).map(([name, value]) => [name, String(value)])).toString(),
        );
      }
      return;
    }
    outgoing.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    outgoing.end('<html><body>Not Found</body></html>');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests,
    authorizeRequests,
    denyNext: () => {
      deny = true;
    },
    async authorize(authorizeUrl, fetchFunction) {
      const response = await fetchFunction(authorizeUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`the authorize endpoint answered ${response.status} without a redirect`);
      return location;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
