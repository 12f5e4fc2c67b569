import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'client-1';
export const CLIENT_SECRET = 'client-secret-1';

export interface TokenRequest {
  grantType: string;
  /** What became of it: answered with tokens, refused, or never answered (held). */
  outcome: 'issued' | 'refused' | 'held';
}

/**
 * A small OAuth 2.0 provider and API on 127.0.0.1 for one client (CLIENT_ID, CLIENT_SECRET):
 * authorization code with PKCE, refresh tokens that rotate on every use (the old one stops
 * working), and `GET /me` that accepts only an access token it issued. Refreshes can be slowed
 * down or held forever, to line up concurrent callers or to kill a process while its refresh is
 * in flight.
 */
export async function startFakeProvider() {
  const codes = new Map<string, { redirectUri: string; challenge: string | undefined }>();
  const accessTokens = new Set<string>();
  let validRefreshToken: string | undefined;
  const tokenRequests: TokenRequest[] = [];
  const listeners = new Set<() => void>();
  let refreshDelayMs = 0;
  let holdRefreshes = false;
  let heldSockets = 0;

  const issue = () => {
    const accessToken = `at-${randomBytes(12).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(12).toString('hex')}`;
    accessTokens.add(accessToken);
    validRefreshToken = refreshToken;
    return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: 3600 };
  };
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const record = (entry: TokenRequest) => {
    tokenRequests.push(entry);
    for (const listener of listeners) listener();
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const code = `code-${randomBytes(8).toString('hex')}`;
      codes.set(code, { redirectUri, challenge: url.searchParams.get('code_challenge') ?? undefined });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { location: target.toString() });
      response.end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/token') {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const form = new URLSearchParams(text);
      const grantType = form.get('grant_type') ?? '';
      if (!isRegisteredClient(request.headers.authorization, form)) {
        record({ grantType, outcome: 'refused' });
        json(response, 401, { error: 'invalid_client' });
        return;
      }
      if (grantType === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challengeOk =
          grant?.challenge === undefined ||
          createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || !challengeOk) {
          record({ grantType, outcome: 'refused' });
          json(response, 400, { error: 'invalid_grant' });
          return;
        }
        record({ grantType, outcome: 'issued' });
        json(response, 200, issue());
        return;
      }
      if (grantType === 'refresh_token') {
        if (holdRefreshes) {
          // Never answered: the caller is meant to die waiting. Nothing rotates.
          heldSockets += 1;
          record({ grantType, outcome: 'held' });
          return;
        }
        if (refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, refreshDelayMs));
        if (form.get('refresh_token') !== validRefreshToken) {
          record({ grantType, outcome: 'refused' });
          json(response, 400, { error: 'invalid_grant', error_description: 'The refresh token was already used.' });
          return;
        }
        record({ grantType, outcome: 'issued' });
        json(response, 200, issue());
        return;
      }
      json(response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/me') {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (token === undefined || !accessTokens.has(token)) {
        json(response, 401, { error: 'invalid_token' });
        return;
      }
      json(response, 200, { ok: true });
      return;
    }
    json(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    authorizationUrl: `${origin}/authorize`,
    tokenUrl: `${origin}/token`,
    tokenRequests,
    /** Makes tokens as if an earlier authorization had: the refresh token is the valid one. */
    seedTokens: () => issue(),
    get validRefreshToken() {
      return validRefreshToken;
    },
    isAccessTokenValid: (token: string | undefined) => token !== undefined && accessTokens.has(token),
    slowRefreshes(ms: number) {
      refreshDelayMs = ms;
    },
    holdRefreshes(hold: boolean) {
      holdRefreshes = hold;
    },
    get heldSockets() {
      return heldSockets;
    },
    /** Resolves once `count` token requests have arrived. */
    waitForTokenRequests(count: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (tokenRequests.length >= count) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Client authentication (RFC 6749 section 2.3.1), `client_secret_basic` or `client_secret_post`:
 * only CLIENT_ID with CLIENT_SECRET gets tokens, so a test that gets tokens proved the secret.
 */
function isRegisteredClient(authorization: string | undefined, form: URLSearchParams): boolean {
  const basic = /^Basic (.+)$/.exec(authorization ?? '')?.[1];
  if (basic === undefined) return form.get('client_id') === CLIENT_ID && form.get('client_secret') === CLIENT_SECRET;
  const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
  const decode = (value: string) => new URLSearchParams(`v=${value}`).get('v');
  return decode(id) === CLIENT_ID && decode(secret) === CLIENT_SECRET;
}

export type FakeProvider = Awaited<ReturnType<typeof startFakeProvider>>;
