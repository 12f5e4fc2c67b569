import { createHash, randomBytes } from 'node:crypto';
import { json, startLocalServer, type LocalServer, type RecordedRequest, type Reply } from './http-server.js';

/**
 * A local stand-in for Google's OAuth 2.0 server for web server apps
 * (https://developers.google.com/identity/protocols/oauth2/web-server), mounted at Google's paths:
 * `/o/oauth2/v2/auth` (accounts.google.com) and `/token` (oauth2.googleapis.com). Where it matters
 * to a client it behaves as Google does:
 *
 * - the authorization request is checked (client, exact redirect URI, response_type, scopes); an
 *   error about the client or redirect URI is an error page, never a redirect to an unverified URI;
 * - the user approves at once (or denies, with `denyNext`) and is sent back with `code`, `scope`
 *   and `state`;
 * - a refresh token is issued only with `access_type=offline`, and only on the first consent unless
 *   `prompt=consent` asks for consent again;
 * - the token endpoint takes the client secret in the body (client_secret_post) or as HTTP Basic,
 *   verifies PKCE (S256 or plain), answers JSON, and its refresh answers carry no new refresh token;
 * - errors are Google's: `invalid_grant` ("Bad Request", "Token has been expired or revoked."),
 *   `invalid_client` with status 401, `invalid_request`, `unsupported_grant_type`.
 */

export interface FakeGoogleClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | undefined;
  scope: string;
}

export interface FakeGoogleOAuth {
  /** Origin to route `accounts.google.com` and `oauth2.googleapis.com` to. */
  url: string;
  requests: RecordedRequest[];
  issued: IssuedTokens[];
  /** Whether Gmail should accept this access token. */
  isAccessTokenValid(token: string): boolean;
  /** The scope granted with an access token. */
  scopeOf(token: string): string | undefined;
  expireAccessToken(token: string): void;
  revokeRefreshToken(token: string): void;
  denyNext(): void;
  /** Follows an authorization URL (rewritten to this server) the way a browser would, returning the redirect target. */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

export const GOOGLE_CLIENT: FakeGoogleClient = {
  clientId: '1234567890-abcdefg.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-client-secret',
  redirectUris: ['https://app.example/oauth/callback'],
};

const KNOWN_SCOPES = new Set([
  'https://mail.google.com/',
  'https://www.googleapis.com/auth/gmail.modify',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/gmail.send',
  'https://www.googleapis.com/auth/gmail.compose',
  'https://www.googleapis.com/auth/gmail.labels',
  'https://www.googleapis.com/auth/gmail.metadata',
  'openid',
  'email',
  'profile',
]);

const ACCESS_TOKEN_SECONDS = 3599;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string;
  offline: boolean;
  expiresAt: number;
  used: boolean;
}

export async function startFakeGoogleOAuth(clients: FakeGoogleClient[] = [GOOGLE_CLIENT]): Promise<FakeGoogleOAuth> {
  const byId = new Map(clients.map((client) => [client.clientId, client]));
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, { scope: string; expiresAt: number; clientId: string }>();
  const refreshTokens = new Map<string, { scope: string; clientId: string; revoked: boolean }>();
  // (client, user) pairs that already consented: Google skips the refresh token for them unless prompt=consent.
  const consented = new Set<string>();
  const issued: IssuedTokens[] = [];
  let deny = false;

  const errorPage = (status: number, error: string, description: string): Reply => ({
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>Error ${status}: ${error}</title><p>Access blocked: ${description}</p>`,
  });
  const oauthError = (status: number, error: string, description: string) =>
    json(status, { error, error_description: description });

  function authorizeEndpoint(request: RecordedRequest): Reply {
    const query = request.query;
    const client = byId.get(query.get('client_id') ?? '');
    if (!client) return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri))
      return errorPage(
        400,
        'redirect_uri_mismatch',
        "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
      );
    if (query.get('response_type') !== 'code')
      return errorPage(400, 'unsupported_response_type', `Invalid response_type: ${query.get('response_type') ?? ''}`);
    const scope = query.get('scope') ?? '';
    const scopes = scope.split(' ').filter(Boolean);
    if (scopes.length === 0) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
    const unknown = scopes.find((candidate) => !KNOWN_SCOPES.has(candidate));
    if (unknown) return errorPage(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${unknown}]}`);
    const method = query.get('code_challenge_method') ?? (query.has('code_challenge') ? 'plain' : '');
    if (query.has('code_challenge') && method !== 'S256' && method !== 'plain')
      return errorPage(400, 'invalid_request', 'Invalid code_challenge_method');
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (deny) {
      deny = false;
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return { status: 302, headers: { location: back.toString() } };
    }
    const code = `4/0A${randomBytes(24).toString('base64url')}`;
    const consentKey = `${client.clientId}|user`;
    const offline =
      query.get('access_type') === 'offline' &&
      (!consented.has(consentKey) || (query.get('prompt') ?? '').split(' ').includes('consent'));
    consented.add(consentKey);
    codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      scope: scopes.join(' '),
      codeChallenge: query.get('code_challenge') ?? undefined,
      codeChallengeMethod: method,
      offline,
      expiresAt: Date.now() + 600_000,
      used: false,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, headers: { location: back.toString() } };
  }

  function authenticateClient(request: RecordedRequest, form: URLSearchParams): FakeGoogleClient | Reply {
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(request.headers['authorization'] ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1] as string, 'base64')
        .toString('utf8')
        .split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const client = byId.get(clientId ?? '');
    if (!client) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (clientSecret !== client.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
    return client;
  }

  function issue(clientId: string, scope: string, withRefreshToken: boolean) {
    const accessToken = `ya29.a0${randomBytes(32).toString('base64url')}`;
    accessTokens.set(accessToken, { scope, expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000, clientId });
    let refreshToken: string | undefined;
    if (withRefreshToken) {
      refreshToken = `1//0g${randomBytes(32).toString('base64url')}`;
      refreshTokens.set(refreshToken, { scope, clientId, revoked: false });
    }
    issued.push({ accessToken, refreshToken, scope });
    return {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
      scope,
      token_type: 'Bearer',
    };
  }

  function tokenEndpoint(request: RecordedRequest): Reply {
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed');
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'Invalid content type');
    const form = new URLSearchParams(request.body);
    const client = authenticateClient(request, form);
    if ('status' in client) return client;
    const grantType = form.get('grant_type');
    const noStore = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
      const pending = codes.get(code);
      if (!pending || pending.used || pending.expiresAt < Date.now() || pending.clientId !== client.clientId)
        return oauthError(400, 'invalid_grant', 'Bad Request');
      if (form.get('redirect_uri') !== pending.redirectUri)
        return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      if (pending.codeChallenge !== undefined) {
        const verifier = form.get('code_verifier');
        if (!verifier) return oauthError(400, 'invalid_grant', 'Missing code verifier.');
        const computed =
          pending.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== pending.codeChallenge) return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      pending.used = true;
      return json(200, issue(client.clientId, pending.scope, pending.offline), noStore);
    }
    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token');
      if (!token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
      const record = refreshTokens.get(token);
      if (!record || record.revoked || record.clientId !== client.clientId)
        return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      // Google does not rotate refresh tokens: the answer has no refresh_token.
      return json(200, issue(client.clientId, record.scope, false), noStore);
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  const server: LocalServer = await startLocalServer((request) => {
    if (request.path === '/o/oauth2/v2/auth' && request.method === 'GET') return authorizeEndpoint(request);
    if (request.path === '/token') return tokenEndpoint(request);
    return {
      status: 404,
      headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>',
    };
  });

  return {
    url: server.url,
    requests: server.requests,
    issued,
    isAccessTokenValid(token) {
      const record = accessTokens.get(token);
      return record !== undefined && record.expiresAt > Date.now();
    },
    scopeOf: (token) => accessTokens.get(token)?.scope,
    expireAccessToken(token) {
      const record = accessTokens.get(token);
      if (record) record.expiresAt = 0;
    },
    revokeRefreshToken(token) {
      const record = refreshTokens.get(token);
      if (record) record.revoked = true;
    },
    denyNext() {
      deny = true;
    },
    async authorize(authorizationUrl) {
      const url = new URL(authorizationUrl);
      const local = new URL(url.pathname + url.search, server.url);
      const response = await fetch(local, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`The authorization endpoint answered ${response.status}: ${await response.text()}`);
      return new URL(location);
    },
    close: server.close,
  };
}
