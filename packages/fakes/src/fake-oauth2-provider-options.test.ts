// The options that let the fake answer as one provider does where providers differ from RFC 6749:
// per-client token lifetimes and prefixes, the provider's own error codes, other redirect URI rules.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeOAuth2Client,
  type FakeOAuth2Options,
  type FakeOAuth2Server,
  startFakeOAuth2Server,
} from './index.js';

const servers: FakeOAuth2Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const EXPIRING: FakeOAuth2Client = {
  clientId: 'expiring-app',
  clientSecret: 'expiring-secret',
  redirectUris: ['https://app.example/expiring'],
  accessTokenTtlSeconds: 28_800,
  refreshTokenTtlSeconds: 15_811_200,
  issueRefreshToken: true,
  rotateRefreshTokens: true,
  grantedScope: '',
  tokenPrefixes: { accessToken: 'ghu_', refreshToken: 'ghr_' },
};
const LASTING: FakeOAuth2Client = {
  clientId: 'lasting-app',
  clientSecret: 'lasting-secret',
  redirectUris: ['https://app.example/lasting'],
  redirectUriMatching: 'subdirectory',
  accessTokenTtlSeconds: 0,
  issueRefreshToken: false,
  tokenPrefixes: { accessToken: 'gho_' },
};

async function start(options: FakeOAuth2Options = {}): Promise<FakeOAuth2Server> {
  const server = await startFakeOAuth2Server({ clients: [EXPIRING, LASTING], ...options });
  servers.push(server);
  return server;
}

async function authorize(server: FakeOAuth2Server, client: FakeOAuth2Client, params: Record<string, string> = {}) {
  return server.authorizeAndFollow(
    server.buildAuthorizationUrl({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUris[0],
      state: 'st',
      ...params,
    }),
  );
}

async function token(server: FakeOAuth2Server, client: FakeOAuth2Client, params: Record<string, string>) {
  const response = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: client.clientId,
      client_secret: client.clientSecret ?? '',
      ...params,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function exchange(server: FakeOAuth2Server, client: FakeOAuth2Client, scope = 'repo gist') {
  const callback = await authorize(server, client, { scope });
  const code = callback.searchParams.get('code') ?? '';
  return token(server, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUris[0] as string,
  });
}

describe('fake OAuth2 server: per-client token lifetimes', () => {
  it('gives each client its own lifetimes, refresh behaviour, granted scope and token prefixes', async () => {
    const server = await start({ scopeSeparator: 'comma', scopeInEveryTokenResponse: true });
    const lasting = await exchange(server, LASTING);
    expect(lasting).toEqual({
      status: 200,
      body: { access_token: expect.stringMatching(/^gho_/), token_type: 'Bearer', scope: 'repo,gist' },
    });

    const expiring = await exchange(server, EXPIRING);
    expect(expiring.body).toEqual({
      access_token: expect.stringMatching(/^ghu_/),
      token_type: 'Bearer',
      expires_in: 28_800,
      refresh_token: expect.stringMatching(/^ghr_/),
      refresh_token_expires_in: 15_811_200,
      scope: '',
    });

    // The lasting token never expires; the expiring one does after 8 hours.
    server.advanceClock(28_800_000);
    expect(server.isAccessTokenActive(lasting.body['access_token'] as string)).toBe(true);
    expect(server.isAccessTokenActive(expiring.body['access_token'] as string)).toBe(false);

    // This client's refresh tokens rotate (the server's default does not): the old one works once.
    const refreshToken = expiring.body['refresh_token'] as string;
    const refreshed = await token(server, EXPIRING, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.body['refresh_token']).toMatch(/^ghr_/);
    expect(refreshed.body['refresh_token']).not.toBe(refreshToken);
    expect(server.isRefreshTokenActive(refreshToken)).toBe(false);
    expect(await token(server, EXPIRING, { grant_type: 'refresh_token', refresh_token: refreshToken })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('leaves scope out of an answer with no scope unless scopeInEveryTokenResponse is set', async () => {
    const server = await start();
    expect((await exchange(server, EXPIRING)).body).not.toHaveProperty('scope');
  });
});

describe('fake OAuth2 server: provider error codes', () => {
  const github: FakeOAuth2Options = {
    errorsWithStatus200: true,
    errorOverrides: {
      client_authentication: { error: 'incorrect_client_credentials', uri: 'https://docs.example/client' },
      code: { error: 'bad_verification_code', description: 'The code passed is incorrect or expired.' },
      code_verifier: { error: 'bad_verification_code' },
      redirect_uri: { error: 'redirect_uri_mismatch' },
      refresh_token: { error: 'bad_refresh_token' },
    },
  };

  it('answers each situation with the provider code, description and error_uri, with HTTP 200', async () => {
    const server = await start(github);
    expect(await token(server, EXPIRING, { grant_type: 'authorization_code', code: 'made-up' })).toEqual({
      status: 200,
      body: { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' },
    });
    expect(
      await token(server, { ...EXPIRING, clientSecret: 'wrong' }, { grant_type: 'authorization_code', code: 'x' }),
    ).toEqual({
      status: 200,
      body: {
        error: 'incorrect_client_credentials',
        error_description: 'Client authentication failed.',
        error_uri: 'https://docs.example/client',
      },
    });
    expect(await token(server, EXPIRING, { grant_type: 'refresh_token', refresh_token: 'ghr_unknown' })).toMatchObject({
      status: 200,
      body: { error: 'bad_refresh_token' },
    });

    const code = (await authorize(server, EXPIRING)).searchParams.get('code') ?? '';
    const mismatch = await token(server, EXPIRING, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example/expiring/other',
    });
    expect(mismatch.body['error']).toBe('redirect_uri_mismatch');
    expect(server.tokenRequests.map((request) => request.error)).toEqual([
      'bad_verification_code',
      'incorrect_client_credentials',
      'bad_refresh_token',
      'redirect_uri_mismatch',
    ]);
  });

  it('keeps the RFC 6749 codes for situations without an override', async () => {
    const server = await start(github);
    const unsupported = await token(server, EXPIRING, { grant_type: 'password' });
    expect(unsupported).toMatchObject({ status: 200, body: { error: 'unsupported_grant_type' } });
  });

  it('refuses a PKCE method outside codeChallengeMethods and a wrong verifier with the override', async () => {
    const server = await start({ ...github, codeChallengeMethods: ['S256'] });
    const verifier = randomBytes(32).toString('base64url');
    const plain = await authorize(server, EXPIRING, { code_challenge: verifier, code_challenge_method: 'plain' });
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const approved = await authorize(server, EXPIRING, { code_challenge: challenge, code_challenge_method: 'S256' });
    const answer = await token(server, EXPIRING, {
      grant_type: 'authorization_code',
      code: approved.searchParams.get('code') ?? '',
      redirect_uri: EXPIRING.redirectUris[0] as string,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(answer.body['error']).toBe('bad_verification_code');
  });
});

describe('fake OAuth2 server: redirect URI rules', () => {
  it("'subdirectory' allows the registered path, a path below it and a sub-domain, on the same port", async () => {
    const server = await start();
    for (const allowed of [
      'https://app.example/lasting',
      'https://app.example/lasting/callback',
      'https://eu.app.example/lasting/deep/er',
    ]) {
      expect((await authorize(server, LASTING, { redirect_uri: allowed })).searchParams.get('code')).toBeTruthy();
    }
    for (const refused of [
      'https://app.example/lastingly',
      'https://app.example:8443/lasting',
      'http://app.example/lasting',
      'https://elsewhere.example/lasting',
    ]) {
      const response = await fetch(
        server.buildAuthorizationUrl({ response_type: 'code', client_id: LASTING.clientId, redirect_uri: refused }),
        { redirect: 'manual' },
      );
      expect(response.status, refused).toBe(400);
    }
  });

  it("'subdirectory' allows any port on a loopback callback", async () => {
    const server = await start({
      clients: [{ ...LASTING, redirectUris: ['http://127.0.0.1/callback'] }],
    });
    const callback = await authorize(server, LASTING, { redirect_uri: 'http://127.0.0.1:53682/callback/x' });
    expect(callback.origin).toBe('http://127.0.0.1:53682');
  });

  it("'any-loopback-port' lets a native app pick its port (RFC 8252) and nothing else", async () => {
    const native: FakeOAuth2Client = {
      clientId: 'native',
      redirectUris: ['http://127.0.0.1/callback', 'https://app.example/native'],
      redirectUriMatching: 'any-loopback-port',
    };
    const server = await start({ clients: [native] });
    expect((await authorize(server, native, { redirect_uri: 'http://127.0.0.1:49152/callback' })).port).toBe('49152');
    for (const refused of [
      'http://127.0.0.1:49152/callback/more',
      'https://app.example:8443/native',
      'http://localhost:49152/callback',
    ]) {
      const response = await fetch(
        server.buildAuthorizationUrl({ response_type: 'code', client_id: 'native', redirect_uri: refused }),
        { redirect: 'manual' },
      );
      expect(response.status, refused).toBe(400);
    }
  });

  it('a function decides for itself', async () => {
    const custom: FakeOAuth2Client = {
      clientId: 'custom',
      redirectUris: ['https://app.example/custom'],
      redirectUriMatching: (requested, registered) => requested.startsWith(registered),
    };
    const server = await start({ clients: [custom] });
    expect((await authorize(server, custom, { redirect_uri: 'https://app.example/customer' })).pathname).toBe(
      '/customer',
    );
  });

  it("'redirect-to-registered' sends the user to the registered URI with the error and the state", async () => {
    const server = await start({
      redirectUriMismatch: 'redirect-to-registered',
      errorOverrides: { redirect_uri: { error: 'redirect_uri_mismatch', uri: 'https://docs.example/redirect' } },
    });
    const callback = await authorize(server, LASTING, { redirect_uri: 'https://elsewhere.example/callback' });
    expect(`${callback.origin}${callback.pathname}`).toBe('https://app.example/lasting');
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri https://elsewhere.example/callback is not registered for this client.',
      error_uri: 'https://docs.example/redirect',
      state: 'st',
    });
    expect(server.authorizeRequests[0]).toMatchObject({ outcome: 'denied', error: 'redirect_uri_mismatch' });
    expect(server.issuedTokens).toEqual([]);
  });
});
