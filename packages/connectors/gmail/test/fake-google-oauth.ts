import {
  startFakeOAuth2Server,
  startRecordingServer,
  type FakeOAuth2Client,
  type RecordedRequest,
  type Reply,
} from '@plugboard/testkit';
import { GMAIL_SCOPES } from './gmail-discovery.js';

/**
 * Google's OAuth 2.0 server for web server apps
 * (https://developers.google.com/identity/protocols/oauth2/web-server), built on the test kit's
 * `startFakeOAuth2Server` (RFC 6749 and 7636: clients, exact redirect URIs, PKCE, codes, refresh
 * without rotation, client_secret_post or Basic) and mounted at Google's paths: `/o/oauth2/v2/auth`
 * (accounts.google.com) and `/token` (oauth2.googleapis.com). A thin front adds what Google does
 * differently and a client can see:
 *
 * - the redirect back carries the granted `scope`;
 * - a refresh token is issued only with `access_type=offline`, and only on the first consent unless
 *   `prompt=consent` asks for consent again;
 * - `invalid_grant` says Google's words: "Bad Request" for a code, "Token has been expired or
 *   revoked." for a refresh token; unknown paths answer Google's HTML 404 page.
 */

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | undefined;
  scope: string;
}

export interface FakeGoogleOAuth {
  /** Origin to route `accounts.google.com` and `oauth2.googleapis.com` to. */
  url: string;
  /** What reached Google: path, query, headers and raw body of every request. */
  requests: RecordedRequest[];
  /** Every successful token answer, as Google sent it. */
  issued: IssuedTokens[];
  /** Whether Gmail should accept this access token. */
  isAccessTokenValid(token: string): boolean;
  expireAccessToken(token: string): void;
  revokeRefreshToken(token: string): void;
  denyNext(): void;
  /** Follows an authorization URL (rewritten to this server) the way a browser would, returning the redirect target. */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

export const GOOGLE_CLIENT: FakeOAuth2Client & { clientSecret: string } = {
  clientId: '1234567890-abcdefg.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-client-secret',
  redirectUris: ['https://app.example/oauth/callback'],
};

const NOT_FOUND_PAGE: Reply = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=UTF-8' },
  text: '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>',
};

export async function startFakeGoogleOAuth(): Promise<FakeGoogleOAuth> {
  const server = await startFakeOAuth2Server({
    clients: [GOOGLE_CLIENT],
    authorizePath: 'o/oauth2/v2/auth',
    tokenPath: 'token',
    accessTokenTtlSeconds: 3599,
    rotateRefreshTokens: false,
    scopesSupported: [...GMAIL_SCOPES, 'openid', 'email', 'profile'],
  });
  const issued: IssuedTokens[] = [];
  // Codes whose authorization asked for offline access, and (client) pairs that consented already.
  const offlineCodes = new Set<string>();
  const consented = new Set<string>();

  const forward = async (request: RecordedRequest) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'accept'])
      if (request.headers[name] !== undefined) headers[name] = request.headers[name] as string;
    return fetch(`${server.url}${request.url}`, {
      method: request.method,
      headers,
      ...(request.method === 'GET' ? {} : { body: request.body }),
      redirect: 'manual',
    });
  };

  const authorizeEndpoint = async (request: RecordedRequest): Promise<Reply> => {
    const answer = await forward(request);
    const location = answer.headers.get('location');
    if (answer.status !== 302 || !location)
      return { status: answer.status, headers: { 'content-type': 'text/html' }, text: await answer.text() };
    const back = new URL(location);
    const code = back.searchParams.get('code');
    if (code !== null) {
      const entry = server.authorizeRequests.find((candidate) => candidate.code === code);
      back.searchParams.set('scope', entry?.scope ?? '');
      const consentKey = request.query.get('client_id') ?? '';
      const prompt = (request.query.get('prompt') ?? '').split(' ');
      if (request.query.get('access_type') === 'offline' && (!consented.has(consentKey) || prompt.includes('consent')))
        offlineCodes.add(code);
      consented.add(consentKey);
    }
    return { status: 302, headers: { location: back.toString() } };
  };

  const tokenEndpoint = async (request: RecordedRequest): Promise<Reply> => {
    const answer = await forward(request);
    const body = (await answer.json()) as Record<string, unknown>;
    const form = new URLSearchParams(request.body);
    if (body['error'] === 'invalid_grant')
      body['error_description'] =
        form.get('grant_type') === 'refresh_token' ? 'Token has been expired or revoked.' : 'Bad Request';
    if (answer.ok) {
      // Google answers a code exchange without a refresh token unless the user granted offline access.
      if (form.get('grant_type') === 'authorization_code' && !offlineCodes.has(form.get('code') ?? ''))
        delete body['refresh_token'];
      issued.push({
        accessToken: body['access_token'] as string,
        refreshToken: body['refresh_token'] as string | undefined,
        scope: (body['scope'] as string | undefined) ?? '',
      });
    }
    return {
      status: answer.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store' },
      text: JSON.stringify(body, null, 2),
    };
  };

  const front = await startRecordingServer((request) => {
    if (request.path === '/o/oauth2/v2/auth' && request.method === 'GET') return authorizeEndpoint(request);
    if (request.path === '/token') return tokenEndpoint(request);
    return NOT_FOUND_PAGE;
  });

  return {
    url: front.url,
    requests: front.requests,
    issued,
    isAccessTokenValid: (token) => server.isAccessTokenActive(token),
    expireAccessToken: (token) => void server.expireAccessToken(token),
    revokeRefreshToken: (token) => void server.revokeRefreshToken(token),
    denyNext: () => server.denyNext('access_denied'),
    async authorize(authorizationUrl) {
      const url = new URL(authorizationUrl);
      const response = await fetch(new URL(url.pathname + url.search, front.url), { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`The authorization endpoint answered ${response.status}: ${await response.text()}`);
      return new URL(location);
    },
    close: async () => {
      await Promise.all([front.close(), server.close()]);
    },
  };
}
