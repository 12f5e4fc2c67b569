import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeOAuth2Server,
  type FakeOAuth2Options,
  type FakeOAuth2Server,
} from './fake-oauth2-server.js';

const REDIRECT = 'https://app.example/callback';

const servers: FakeOAuth2Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options?: FakeOAuth2Options): Promise<FakeOAuth2Server> {
  const server = await startFakeOAuth2Server(options);
  servers.push(server);
  return server;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** RFC 6749 section 2.3.1: form-urlencode id and secret, then base64. */
function basic(id: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

interface TokenAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

async function postToken(
  server: FakeOAuth2Server,
  params: Record<string, string | undefined>,
  auth: { basic?: [string, string]; headers?: Record<string, string>; url?: string } = {
    basic: [DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET],
  },
): Promise<TokenAnswer> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, value);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    ...auth.headers,
  };
  if (auth.basic) headers['authorization'] = basic(...auth.basic);
  const response = await fetch(auth.url ?? server.tokenUrl, { method: 'POST', headers, body: form.toString() });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const body = contentType.includes('json')
    ? (JSON.parse(text) as Record<string, unknown>)
    : contentType.includes('x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(text))
      : {};
  return { status: response.status, headers: response.headers, text, body };
}

async function callResource(server: FakeOAuth2Server, token: string | undefined, path = '/user', method = 'GET') {
  const response = await fetch(`${server.resourceUrl}${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Authorizes with the default client and returns the callback's code. */
async function authorizeCode(
  server: FakeOAuth2Server,
  params: Record<string, string | undefined> = {},
): Promise<string> {
  const callback = await server.authorizeAndFollow(
    server.buildAuthorizationUrl({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      state: 'st',
      ...params,
    }),
  );
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${callback.href}`);
  return code;
}

async function fullGrant(server: FakeOAuth2Server, scope = 'read write') {
  const code = await authorizeCode(server, { scope });
  const answer = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  expect(answer.status).toBe(200);
  return answer.body as {
    access_token: string;
    refresh_token?: string;
    expires_in?: number;
    scope?: string;
    token_type: string;
  };
}

describe('fake OAuth2 server: authorization code with PKCE', () => {
  it('runs the whole flow with S256 and records what the client sent', async () => {
    const server = await start();
    const { verifier, challenge } = pkcePair();
    const authorizationUrl = server.buildAuthorizationUrl({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: 'read write',
      state: 'state-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    const callback = await server.authorizeAndFollow(authorizationUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code');
    expect(code).toMatch(/^fake_code_/);

    expect(server.authorizeRequests).toHaveLength(1);
    expect(server.authorizeRequests[0]).toMatchObject({
      clientId: DEFAULT_CLIENT_ID,
      redirectUri: REDIRECT,
      state: 'state-123',
      scope: 'read write',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      extraParams: { access_type: 'offline', prompt: 'consent' },
      outcome: 'approved',
      code,
      location: callback.href,
    });

    const answer = await postToken(server, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^fake_at_/),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^fake_rt_/),
      scope: 'read write',
    });

    expect(server.tokenRequests).toHaveLength(1);
    expect(server.tokenRequests[0]).toMatchObject({
      method: 'POST',
      grantType: 'authorization_code',
      clientId: DEFAULT_CLIENT_ID,
      clientAuthMethod: 'client_secret_basic',
      outcome: 'issued',
      status: 200,
      form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
    });
    expect(server.tokenRequests[0]?.headers['authorization']).toBe(basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    expect(server.tokenRequests[0]?.rawBody).toContain('grant_type=authorization_code');
    expect(server.issuedTokens).toHaveLength(1);
    expect(server.issuedTokens[0]).toMatchObject({
      grantType: 'authorization_code',
      clientId: DEFAULT_CLIENT_ID,
      subject: 'user-1',
      scope: 'read write',
      code,
    });

    const resource = await callResource(server, answer.body['access_token'] as string, '/user/repos?page=2', 'POST');
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({
      ok: true,
      path: '/api/user/repos',
      method: 'POST',
      tokenSubject: 'user-1',
      query: { page: '2' },
    });
    expect(server.counters).toMatchObject({
      authorizeRequests: 1,
      tokenRequests: 1,
      authorizationCodeGrants: 1,
      tokensIssued: 1,
      resourceRequests: 1,
      resourceUnauthorized: 0,
    });
    expect(server.requests.map((request) => request.path)).toEqual(['/authorize', '/token', '/api/user/repos']);
  });

  it('verifies plain challenges, and a challenge sent without method counts as plain', async () => {
    const server = await start();
    const verifier = 'a'.repeat(43);
    let code = await authorizeCode(server, { code_challenge: verifier, code_challenge_method: 'plain' });
    expect(
      (
        await postToken(server, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: 'b'.repeat(43),
        })
      ).body['error'],
    ).toBe('invalid_grant');
    expect(
      (
        await postToken(server, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        })
      ).status,
    ).toBe(200);
    code = await authorizeCode(server, { code_challenge: verifier });
    expect(
      (
        await postToken(server, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a wrong verifier and a missing one when a challenge was sent; the code stays usable', async () => {
    const server = await start();
    const { verifier, challenge } = pkcePair();
    const code = await authorizeCode(server, { code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await postToken(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') });
    const missing = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(missing.status).toBe(400);
    expect(missing.body['error']).toBe('invalid_grant');
    const plainOfS256 = await postToken(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: challenge,
    });
    expect(plainOfS256.body['error']).toBe('invalid_grant');
    expect(
      (
        await postToken(server, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        })
      ).status,
    ).toBe(200);
    expect(server.counters.tokenErrors).toBe(3);
  });

  it('checks the verifier even when PKCE is not required, and ignores a verifier nobody asked for', async () => {
    const server = await start({ requirePkce: false });
    const { challenge } = pkcePair();
    const code = await authorizeCode(server, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(
      (await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body['error'],
    ).toBe('invalid_grant');
    const withoutChallenge = await authorizeCode(server);
    expect(
      (
        await postToken(server, {
          grant_type: 'authorization_code',
          code: withoutChallenge,
          redirect_uri: REDIRECT,
          code_verifier: pkcePair().verifier,
        })
      ).status,
    ).toBe(200);
  });

  it('with requirePkce, redirects invalid_request when the challenge is missing', async () => {
    const server = await start({ requirePkce: true });
    const callback = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: REDIRECT,
        state: 's1',
      }),
    );
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('state')).toBe('s1');
    expect(callback.searchParams.get('code')).toBeNull();
    const bad = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: REDIRECT,
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S512',
      }),
    );
    expect(bad.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('fake OAuth2 server: authorization endpoint', () => {
  it('answers 400 without redirecting for an unregistered redirect_uri or an unknown client', async () => {
    const server = await start();
    for (const params of [
      { response_type: 'code', client_id: DEFAULT_CLIENT_ID, redirect_uri: 'https://evil.example/callback' },
      { response_type: 'code', client_id: DEFAULT_CLIENT_ID, redirect_uri: `${REDIRECT}/` },
      { response_type: 'code', client_id: 'nobody', redirect_uri: REDIRECT },
      { response_type: 'code', redirect_uri: REDIRECT },
      // several URIs are registered, so redirect_uri cannot be left out
      { response_type: 'code', client_id: DEFAULT_CLIENT_ID },
    ]) {
      const response = await fetch(server.buildAuthorizationUrl(params), { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      await response.text();
    }
    expect(server.authorizeRequests.map((entry) => entry.outcome)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    await expect(
      server.authorizeAndFollow(
        server.buildAuthorizationUrl({ response_type: 'code', client_id: 'nobody', redirect_uri: REDIRECT }),
      ),
    ).rejects.toThrow(/400/);
  });

  it('redirects errors that come after the redirect URI is trusted', async () => {
    const server = await start({ scopesSupported: ['read'] });
    const unsupported = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'token',
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: REDIRECT,
        state: 'x',
      }),
    );
    expect(Object.fromEntries(unsupported.searchParams)).toMatchObject({
      error: 'unsupported_response_type',
      state: 'x',
    });
    const missing = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({ client_id: DEFAULT_CLIENT_ID, redirect_uri: REDIRECT }),
    );
    expect(missing.searchParams.get('error')).toBe('invalid_request');
    expect(missing.searchParams.has('state')).toBe(false);
    const scope = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: 'read admin',
      }),
    );
    expect(scope.searchParams.get('error')).toBe('invalid_scope');
  });

  it('keeps the registered query of a redirect URI, and uses the only registered URI when redirect_uri is left out', async () => {
    const server = await start();
    const withQuery = 'https://app.example/cb?tenant=a%20b&x=1';
    server.addClient({ clientId: 'client-q', clientSecret: 'sq', redirectUris: [withQuery] });
    const callback = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: 'client-q',
        redirect_uri: withQuery,
        state: 's',
      }),
    );
    expect(callback.href.startsWith(`${withQuery}&code=`)).toBe(true);
    expect(callback.searchParams.get('tenant')).toBe('a b');
    expect(callback.searchParams.get('state')).toBe('s');

    const omitted = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({ response_type: 'code', client_id: 'client-q' }),
    );
    expect(omitted.href.startsWith(`${withQuery}&code=`)).toBe(true);
    // the authorization request had no redirect_uri, so the token request needs none
    const answer = await postToken(
      server,
      { grant_type: 'authorization_code', code: omitted.searchParams.get('code')! },
      { basic: ['client-q', 'sq'] },
    );
    expect(answer.status).toBe(200);
  });

  it('denies the next request when told to, then approves again', async () => {
    const server = await start();
    server.denyNext();
    const denied = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: DEFAULT_CLIENT_ID,
        redirect_uri: REDIRECT,
        state: 'abc',
      }),
    );
    expect(`${denied.origin}${denied.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(denied.searchParams)).toEqual({
      error: 'access_denied',
      error_description: expect.any(String),
      state: 'abc',
    });
    expect(server.authorizeRequests[0]).toMatchObject({ outcome: 'denied', error: 'access_denied', code: undefined });

    server.denyNext('consent_required', 'The user must consent.');
    const custom = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({ response_type: 'code', client_id: DEFAULT_CLIENT_ID, redirect_uri: REDIRECT }),
    );
    expect(Object.fromEntries(custom.searchParams)).toEqual({
      error: 'consent_required',
      error_description: 'The user must consent.',
    });

    // Without a description, as Google denies.
    server.denyNext('access_denied', null);
    const bare = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({ response_type: 'code', client_id: DEFAULT_CLIENT_ID, redirect_uri: REDIRECT }),
    );
    expect(Object.fromEntries(bare.searchParams)).toEqual({ error: 'access_denied' });

    expect(await authorizeCode(server)).toMatch(/^fake_code_/);
  });

  it('approves for another subject and a different granted scope when told to', async () => {
    const server = await start();
    server.approveNext({ subject: 'octocat', scope: 'read' });
    const tokens = await fullGrant(server, 'read write');
    expect(tokens.scope).toBe('read');
    expect((await callResource(server, tokens.access_token)).body['tokenSubject']).toBe('octocat');
    expect(server.nextAuthorizationDecision).toBeUndefined();
  });
});

describe('fake OAuth2 server: token endpoint errors', () => {
  it('refuses a wrong secret with Basic (401 and a Basic challenge) and with post (401)', async () => {
    const server = await start();
    const code = await authorizeCode(server);
    const viaBasic = await postToken(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { basic: [DEFAULT_CLIENT_ID, 'wrong'] },
    );
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
    const viaPost = await postToken(
      server,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: DEFAULT_CLIENT_ID,
        client_secret: 'wrong',
      },
      {},
    );
    expect(viaPost.status).toBe(401);
    expect(viaPost.body['error']).toBe('invalid_client');
    expect(viaPost.headers.get('www-authenticate')).toBeNull();
    const none = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, {});
    expect(none.status).toBe(401);
    const unknown = await postToken(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { basic: ['nobody', 'x'] },
    );
    expect(unknown.status).toBe(401);
    const both = await postToken(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_secret: DEFAULT_CLIENT_SECRET,
    });
    expect(both.status).toBe(400);
    expect(both.body['error']).toBe('invalid_request');
    expect(server.tokenRequests.map((request) => request.clientAuthMethod)).toEqual([
      'client_secret_basic',
      'client_secret_post',
      undefined,
      'client_secret_basic',
      undefined,
    ]);
    // nothing consumed the code
    const ok = await postToken(
      server,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: DEFAULT_CLIENT_ID,
        client_secret: DEFAULT_CLIENT_SECRET,
      },
      {},
    );
    expect(ok.status).toBe(200);
    expect(server.tokenRequests.at(-1)?.clientAuthMethod).toBe('client_secret_post');
  });

  it('form-urlencodes the Basic credentials: an unencoded secret with reserved characters fails', async () => {
    const secret = 'p@ss:w rd+%/é';
    const server = await start({
      clients: [{ clientId: 'id:with space', clientSecret: secret, redirectUris: [REDIRECT] }],
    });
    const ok = await postToken(server, { grant_type: 'client_credentials' }, { basic: ['id:with space', secret] });
    expect(ok.status).toBe(200);
    const raw = `Basic ${Buffer.from(`id:with space:${secret}`).toString('base64')}`;
    const bad = await postToken(server, { grant_type: 'client_credentials' }, { headers: { authorization: raw } });
    expect(bad.status).toBe(401);
    expect(bad.body['error']).toBe('invalid_client');
  });

  it('enforces the configured client authentication method', async () => {
    const basicOnly = await start({ clientAuthMethod: 'client_secret_basic' });
    const post = await postToken(
      basicOnly,
      { grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
      {},
    );
    expect(post.status).toBe(401);
    expect(post.body['error']).toBe('invalid_client');
    expect((await postToken(basicOnly, { grant_type: 'client_credentials' })).status).toBe(200);

    const postOnly = await start({ clientAuthMethod: 'client_secret_post' });
    const viaBasic = await postToken(postOnly, { grant_type: 'client_credentials' });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(
      (
        await postToken(
          postOnly,
          { grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
          {},
        )
      ).status,
    ).toBe(200);
  });

  it('refuses a reused code and revokes the tokens issued from it', async () => {
    const server = await start();
    const code = await authorizeCode(server);
    const first = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    const accessToken = first.body['access_token'] as string;
    const refreshToken = first.body['refresh_token'] as string;
    expect((await callResource(server, accessToken)).status).toBe(200);

    const again = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(again.body['error']).toBe('invalid_grant');
    expect(server.isAccessTokenActive(accessToken)).toBe(false);
    expect(server.isRefreshTokenActive(refreshToken)).toBe(false);
    const resource = await callResource(server, accessToken);
    expect(resource.status).toBe(401);
    expect(resource.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await postToken(server, { grant_type: 'refresh_token', refresh_token: refreshToken })).body['error']).toBe(
      'invalid_grant',
    );
  });

  it('checks redirect_uri at the token endpoint against the authorization request', async () => {
    const server = await start();
    const code = await authorizeCode(server);
    const other = await postToken(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1/callback',
    });
    expect(other.status).toBe(400);
    expect(other.body['error']).toBe('invalid_grant');
    const missing = await postToken(server, { grant_type: 'authorization_code', code });
    expect(missing.body['error']).toBe('invalid_grant');
    expect((await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).status).toBe(
      200,
    );
  });

  it('refuses unknown, expired and other clients’ codes', async () => {
    const server = await start();
    server.addClient({ clientId: 'client-2', clientSecret: 's2', redirectUris: [REDIRECT] });
    expect(
      (await postToken(server, { grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT })).body[
        'error'
      ],
    ).toBe('invalid_grant');
    const code = await authorizeCode(server);
    expect(
      (
        await postToken(
          server,
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
          { basic: ['client-2', 's2'] },
        )
      ).body['error'],
    ).toBe('invalid_grant');
    server.advanceClock(601_000);
    const expired = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(expired.body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
    expect((await postToken(server, { grant_type: 'authorization_code', redirect_uri: REDIRECT })).body['error']).toBe(
      'invalid_request',
    );
  });

  it('accepts form bodies only, POST only, and answers grant type errors', async () => {
    const server = await start({ grantTypes: ['authorization_code', 'refresh_token'] });
    const json = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const get = await fetch(server.tokenUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.text();
    expect((await postToken(server, { grant_type: 'client_credentials' })).body['error']).toBe(
      'unsupported_grant_type',
    );
    expect((await postToken(server, { grant_type: 'password', username: 'u', password: 'p' })).body['error']).toBe(
      'unsupported_grant_type',
    );
    expect((await postToken(server, {})).body['error']).toBe('invalid_request');
    const repeated = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
      },
      body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b',
    });
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('fake OAuth2 server: refresh', () => {
  it('without rotation answers no refresh_token (Google) and the old one keeps working', async () => {
    const server = await start();
    const tokens = await fullGrant(server);
    const refreshed = await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    expect(refreshed.body).toEqual({
      access_token: expect.stringMatching(/^fake_at_/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'read write',
    });
    expect(refreshed.body['access_token']).not.toBe(tokens.access_token);
    expect((await callResource(server, refreshed.body['access_token'] as string)).status).toBe(200);
    expect((await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(
      200,
    );
    expect(server.counters.refreshTokenGrants).toBe(2);
    expect(server.issuedTokens.at(-1)).toMatchObject({
      grantType: 'refresh_token',
      fromRefreshToken: tokens.refresh_token,
      refreshToken: undefined,
    });
  });

  it('with rotation answers a new refresh token and invalidates the old one', async () => {
    const server = await start({ rotateRefreshTokens: true });
    const tokens = await fullGrant(server);
    const first = await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(first.status).toBe(200);
    const rotated = first.body['refresh_token'] as string;
    expect(rotated).toMatch(/^fake_rt_/);
    expect(rotated).not.toBe(tokens.refresh_token);
    const old = await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(old.status).toBe(400);
    expect(old.body['error']).toBe('invalid_grant');
    // without reuse detection the rotated token survives the replay
    expect((await postToken(server, { grant_type: 'refresh_token', refresh_token: rotated })).status).toBe(200);
  });

  it('with rotation, two concurrent refreshes with the same token: one wins, one gets invalid_grant', async () => {
    const server = await start({ rotateRefreshTokens: true });
    const seeded = server.mintTokens({ scope: 'read' });
    const answers = await Promise.all([
      postToken(server, { grant_type: 'refresh_token', refresh_token: seeded.refreshToken }),
      postToken(server, { grant_type: 'refresh_token', refresh_token: seeded.refreshToken }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    expect(server.counters.refreshTokenGrants).toBe(2);
  });

  it('with reuse detection, replaying a rotated token revokes the whole chain', async () => {
    const server = await start({ rotateRefreshTokens: true, refreshTokenReuseDetection: true });
    const tokens = await fullGrant(server);
    const rotated = (await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
      .body['refresh_token'] as string;
    expect(
      (await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).body['error'],
    ).toBe('invalid_grant');
    expect(server.isRefreshTokenActive(rotated)).toBe(false);
    expect((await postToken(server, { grant_type: 'refresh_token', refresh_token: rotated })).body['error']).toBe(
      'invalid_grant',
    );
  });

  it('refuses unknown, revoked, expired and other clients’ refresh tokens with invalid_grant', async () => {
    const server = await start({ refreshTokenTtlSeconds: 60 });
    server.addClient({ clientId: 'client-2', clientSecret: 's2', redirectUris: [REDIRECT] });
    const unknown = await postToken(server, { grant_type: 'refresh_token', refresh_token: 'fake_rt_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });

    const tokens = await fullGrant(server);
    expect(tokens).toMatchObject({ refresh_token_expires_in: 60 });
    expect(
      (
        await postToken(
          server,
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
          { basic: ['client-2', 's2'] },
        )
      ).body['error'],
    ).toBe('invalid_grant');
    expect(server.revokeRefreshToken(tokens.refresh_token!)).toBe(true);
    expect(
      (await postToken(server, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).body['error'],
    ).toBe('invalid_grant');

    const other = await fullGrant(server);
    server.advanceClock(61_000);
    expect(
      (await postToken(server, { grant_type: 'refresh_token', refresh_token: other.refresh_token })).body['error'],
    ).toBe('invalid_grant');
    expect((await postToken(server, { grant_type: 'refresh_token' })).body['error']).toBe('invalid_request');
  });

  it('narrows the scope on request and refuses a wider one', async () => {
    const server = await start();
    const tokens = await fullGrant(server, 'read write');
    const narrowed = await postToken(server, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'read',
    });
    expect(narrowed.body['scope']).toBe('read');
    const wider = await postToken(server, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'read admin',
    });
    expect(wider.status).toBe(400);
    expect(wider.body['error']).toBe('invalid_scope');
  });

  it('omits expires_in with a TTL of 0 and refresh tokens when disabled', async () => {
    const server = await start({ accessTokenTtlSeconds: 0, issueRefreshToken: false });
    const tokens = await fullGrant(server);
    expect(tokens).toEqual({ access_token: expect.any(String), token_type: 'Bearer', scope: 'read write' });
    server.advanceClock(10 * 365 * 24 * 3600 * 1000);
    expect((await callResource(server, tokens.access_token)).status).toBe(200);
  });
});

describe('fake OAuth2 server: client credentials', () => {
  it('issues an access token without a refresh token, for confidential clients only', async () => {
    const server = await start({ scopesSupported: ['read', 'write'] });
    server.addClient({ clientId: 'public-app', redirectUris: [REDIRECT] });
    const answer = await postToken(server, { grant_type: 'client_credentials', scope: 'read' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'read',
    });
    expect((await callResource(server, answer.body['access_token'] as string)).body['tokenSubject']).toBe(
      DEFAULT_CLIENT_ID,
    );
    expect((await postToken(server, { grant_type: 'client_credentials', scope: 'admin' })).body['error']).toBe(
      'invalid_scope',
    );
    expect(
      (await postToken(server, { grant_type: 'client_credentials', client_id: 'public-app' }, {})).body['error'],
    ).toBe('unauthorized_client');
    expect(server.counters.clientCredentialsGrants).toBe(3);
  });

  it('lets a public client exchange a code with client_id only', async () => {
    const server = await start({ clients: [{ clientId: 'spa', redirectUris: [REDIRECT] }] });
    const { verifier, challenge } = pkcePair();
    const callback = await server.authorizeAndFollow(
      server.buildAuthorizationUrl({
        response_type: 'code',
        client_id: 'spa',
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const answer = await postToken(
      server,
      {
        grant_type: 'authorization_code',
        client_id: 'spa',
        code: callback.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      },
      {},
    );
    expect(answer.status).toBe(200);
    expect(server.tokenRequests[0]?.clientAuthMethod).toBe('none');
  });
});

describe('fake OAuth2 server: response formats', () => {
  it("answers form-encoded with responseFormat 'form', errors included", async () => {
    const server = await start({ responseFormat: 'form' });
    const code = await authorizeCode(server, { scope: 'repo gist' });
    const answer = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: '3600',
      refresh_token: expect.any(String),
      scope: 'repo gist',
    });
    const error = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(error.status).toBe(400);
    expect(error.text).toMatch(/^error=invalid_grant&error_description=/);
  });

  it("GitHub's options: form unless Accept asks for JSON, lower-case bearer, comma scopes, errors with 200, mounted under /login/oauth", async () => {
    const server = await start({
      responseFormat: 'form-unless-accept-json',
      scopeSeparator: 'comma',
      tokenType: 'bearer',
      errorsWithStatus200: true,
      pathPrefix: '/login/oauth',
      tokenPath: 'access_token',
      accessTokenTtlSeconds: 0,
      issueRefreshToken: false,
    });
    expect(server.authorizationUrl).toBe(`${server.url}/login/oauth/authorize`);
    expect(server.tokenUrl).toBe(`${server.url}/login/oauth/access_token`);
    const code = await authorizeCode(server, { scope: 'repo user' });
    const form = await postToken(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { basic: [DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET], headers: { accept: '*/*' } },
    );
    expect(form.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', scope: 'repo,user' });

    const again = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(again.body['error']).toBe('invalid_grant');
    const second = await authorizeCode(server, { scope: 'repo' });
    const json = await postToken(server, { grant_type: 'authorization_code', code: second, redirect_uri: REDIRECT });
    expect(json.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', scope: 'repo' });
  });
});

describe('fake OAuth2 server: protected resource', () => {
  it('answers 401 with a Bearer challenge for missing, unknown, expired and revoked tokens', async () => {
    const server = await start();
    const missing = await callResource(server, undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(missing.headers.get('www-authenticate')).not.toContain('error=');

    const unknown = await callResource(server, 'fake_at_nope');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(unknown.body).toEqual({ error: 'invalid_token', error_description: expect.any(String) });

    const a = await fullGrant(server);
    const b = await fullGrant(server);
    const c = await fullGrant(server);
    expect(server.expireAccessToken(a.access_token)).toBe(true);
    expect(server.expireAccessToken('unknown')).toBe(false);
    const expired = await callResource(server, a.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body['error_description']).toMatch(/expired/);
    expect((await callResource(server, b.access_token)).status).toBe(200);
    expect(server.revokeAccessToken(b.access_token)).toBe(true);
    expect((await callResource(server, b.access_token)).body['error_description']).toMatch(/revoked/);
    server.expireAllAccessTokens();
    expect((await callResource(server, c.access_token)).status).toBe(401);
    expect(server.counters.resourceUnauthorized).toBe(5);

    // a refresh still works after expiry and gives a working token
    const refreshed = await postToken(server, { grant_type: 'refresh_token', refresh_token: c.refresh_token });
    expect((await callResource(server, refreshed.body['access_token'] as string)).status).toBe(200);
  });

  it('expires access tokens by the TTL on the server clock', async () => {
    const server = await start({ accessTokenTtlSeconds: 60 });
    const tokens = await fullGrant(server);
    server.advanceClock(59_000);
    expect((await callResource(server, tokens.access_token)).status).toBe(200);
    server.advanceClock(1_000);
    expect((await callResource(server, tokens.access_token)).status).toBe(401);
  });

  it('lets a test answer resource requests itself', async () => {
    const server = await start({
      resourcePrefix: '/v1',
      resourceHandler: (request) =>
        request.path === '/v1/me' ? { json: { login: request.token.subject, scope: request.token.scope } } : undefined,
    });
    const tokens = await fullGrant(server, 'user');
    expect(server.resourceUrl).toBe(`${server.url}/v1`);
    expect((await callResource(server, tokens.access_token, '/me')).body).toEqual({ login: 'user-1', scope: 'user' });
    expect((await callResource(server, tokens.access_token, '/other')).body).toMatchObject({
      ok: true,
      path: '/v1/other',
    });
  });
});

describe('fake OAuth2 server: failure injection', () => {
  it('fails the next n token requests with the status, then processes normally; the code survives', async () => {
    const server = await start();
    const code = await authorizeCode(server);
    server.failNextTokenRequests(2);
    const first = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ error: 'temporarily_unavailable' });
    server.failNextTokenRequests(0);
    const second = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(second.status).toBe(503);
    const third = await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(third.status).toBe(200);
    expect(server.counters).toMatchObject({
      tokenRequests: 3,
      injectedFailures: 2,
      tokensIssued: 1,
      authorizationCodeGrants: 3,
    });
    expect(server.tokenRequests.map((request) => request.outcome)).toEqual([
      'injected_failure',
      'injected_failure',
      'issued',
    ]);
  });

  it('can answer an HTML page with custom headers', async () => {
    const server = await start();
    server.failNextTokenRequests(1, 429, { format: 'html', headers: { 'retry-after': '2' } });
    const answer = await postToken(server, { grant_type: 'client_credentials' });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.text).toContain('<html>');
  });

  it('hangs the next token requests for the given time, and only those', async () => {
    const server = await start();
    server.hangNextTokenRequests(1, 300);
    const order: string[] = [];
    const started = Date.now();
    const hung = postToken(server, { grant_type: 'client_credentials' }).then((answer) => {
      order.push('hung');
      return { status: answer.status, elapsed: Date.now() - started };
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const quick = postToken(server, { grant_type: 'client_credentials' }).then((answer) => {
      order.push('quick');
      return answer.status;
    });
    const [slow, fast] = await Promise.all([hung, quick]);
    expect(slow.status).toBe(200);
    expect(slow.elapsed).toBeGreaterThanOrEqual(290);
    expect(fast).toBe(200);
    expect(order).toEqual(['quick', 'hung']);
  });

  it('drops a hung request whose client gave up, without consuming the code', async () => {
    const server = await start();
    const code = await authorizeCode(server);
    server.hangNextTokenRequests(1, 300);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString();
    const aborted = fetch(server.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
      },
      body,
      signal: AbortSignal.timeout(50),
    });
    await expect(aborted).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.tokenRequests[0]?.outcome).toBe('aborted');
    expect((await postToken(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).status).toBe(
      200,
    );
  });

  it('delays every token request with tokenDelayMs, and close() ends a request hung forever', async () => {
    const server = await startFakeOAuth2Server({ tokenDelayMs: 100 });
    const started = Date.now();
    expect((await postToken(server, { grant_type: 'client_credentials' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    server.hangNextTokenRequests(1, Infinity);
    const hung = postToken(server, { grant_type: 'client_credentials' }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await hung).toBe('failed');
  });
});

describe('fake OAuth2 server: inspection', () => {
  it('publishes its metadata and answers 404 elsewhere', async () => {
    const server = await start({ pathPrefix: '/oauth' });
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({
      issuer: server.url,
      authorization_endpoint: server.authorizationUrl,
      token_endpoint: server.tokenUrl,
      code_challenge_methods_supported: ['S256', 'plain'],
    });
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]).toMatchObject({ method: 'GET', path: '/nothing', status: 404 });
  });

  it('refuses to register a redirect URI with a fragment or a relative one', async () => {
    const server = await start();
    expect(() => server.addClient({ clientId: 'x', redirectUris: ['https://app.example/cb#frag'] })).toThrow(
      /fragment/,
    );
    expect(() => server.addClient({ clientId: 'x', redirectUris: ['/cb'] })).toThrow(/absolute/);
  });
});
