import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  referenceBaseString,
  referenceSignature,
  rfc5849Encode,
  startFakeOAuth1Server,
  TRELLO_OAUTH1,
  trelloRoutes,
  type FakeOAuth1Server,
} from './index.js';

// A minimal RFC 5849 client for the tests, so each refusal is provoked by one deliberate mistake.
let server: FakeOAuth1Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface SignOptions {
  consumerSecret?: string;
  token?: string;
  tokenSecret?: string;
  extra?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
  tamper?: (header: string) => string;
}

async function signedFetch(
  target: FakeOAuth1Server,
  method: string,
  url: string,
  options: SignOptions = {},
  body?: string,
) {
  const protocol = [
    ['oauth_consumer_key', target.consumerKey],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(options.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_nonce', options.nonce ?? randomBytes(8).toString('hex')],
    ['oauth_version', '1.0'],
    ...(options.token ? ([['oauth_token', options.token]] as Array<[string, string]>) : []),
    ...Object.entries(options.extra ?? {}),
  ] as Array<[string, string]>;
  const contentType = body === undefined ? undefined : 'application/x-www-form-urlencoded';
  const baseString = referenceBaseString({ method, url, protocol, body, contentType });
  const signature = referenceSignature(
    'HMAC-SHA1',
    baseString,
    options.consumerSecret ?? target.consumerSecret,
    options.tokenSecret ?? '',
  );
  let header = `OAuth ${[...protocol, ['oauth_signature', signature] as [string, string]].map(([name, value]) => `${rfc5849Encode(name)}="${rfc5849Encode(value)}"`).join(', ')}`;
  if (options.tamper) header = options.tamper(header);
  return fetch(url, {
    method,
    headers: { authorization: header, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(body === undefined ? {} : { body }),
    redirect: 'manual',
  });
}

async function temporaryCredentials(target: FakeOAuth1Server, callback = 'https://app.example/cb') {
  const response = await signedFetch(target, 'POST', target.settings().requestTokenUrl, {
    extra: { oauth_callback: callback },
  });
  expect(response.status).toBe(200);
  const fields = new URLSearchParams(await response.text());
  return { token: fields.get('oauth_token') as string, secret: fields.get('oauth_token_secret') as string };
}

async function accessToken(target: FakeOAuth1Server) {
  const temporary = await temporaryCredentials(target);
  const authorize = await fetch(
    `${target.settings().authorizationUrl}?oauth_token=${temporary.token}&name=App&scope=read,write&expiration=never`,
    { redirect: 'manual' },
  );
  const location = new URL(authorize.headers.get('location') as string);
  const verifier = location.searchParams.get('oauth_verifier') as string;
  const response = await signedFetch(target, 'POST', target.settings().accessTokenUrl, {
    token: temporary.token,
    tokenSecret: temporary.secret,
    extra: { oauth_verifier: verifier },
  });
  return { response, temporary, verifier };
}

describe('startFakeOAuth1Server', () => {
  it('runs the three legs at Trello-style paths and passes the authorize query on', async () => {
    server = await startFakeOAuth1Server(TRELLO_OAUTH1);
    expect(server.settings().requestTokenUrl).toBe(`${server.url}/1/OAuthGetRequestToken`);
    expect(server.settings().signatureMethod).toBe('HMAC-SHA1');
    const { response, temporary } = await accessToken(server);
    expect(response.status).toBe(200);
    const fields = new URLSearchParams(await response.text());
    // Trello's access-token answer carries the token and its secret, nothing else.
    expect([...fields.keys()].sort()).toEqual(['oauth_token', 'oauth_token_secret']);
    expect(trelloRoutes(server.url)).toEqual({
      'https://trello.com': server.url,
      'https://api.trello.com': server.url,
    });
    expect(server.accessTokens.get(fields.get('oauth_token') as string)).toBe(fields.get('oauth_token_secret'));
    expect(server.temporaryCredentials.get(temporary.token)?.authorizationQuery).toMatchObject({
      name: 'App',
      scope: 'read,write',
      expiration: 'never',
    });
  });

  it('refuses a wrong consumer secret, a bad signature, an expired timestamp and a replayed nonce', async () => {
    server = await startFakeOAuth1Server();
    const url = server.settings().requestTokenUrl;
    const callback = { oauth_callback: 'https://app.example/cb' };
    const problem = async (response: Response) => [response.status, await response.text()];
    expect(await problem(await signedFetch(server, 'POST', url, { extra: callback, consumerSecret: 'wrong' }))).toEqual(
      [401, 'oauth_problem=signature_invalid'],
    );
    expect(
      await problem(
        await signedFetch(server, 'POST', url, {
          extra: callback,
          tamper: (header) => header.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAA"'),
        }),
      ),
    ).toEqual([401, 'oauth_problem=signature_invalid']);
    expect(
      await problem(
        await signedFetch(server, 'POST', url, { extra: callback, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      ),
    ).toEqual([401, 'oauth_problem=timestamp_refused']);
    const nonce = 'same-nonce';
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await signedFetch(server, 'POST', url, { extra: callback, nonce, timestamp })).status).toBe(200);
    expect(await problem(await signedFetch(server, 'POST', url, { extra: callback, nonce, timestamp }))).toEqual([
      401,
      'oauth_problem=nonce_used',
    ]);
    expect(await problem(await fetch(url, { method: 'POST' }))).toEqual([401, 'oauth_problem=parameter_absent']);
  });

  it('refuses a wrong verifier and a request token used twice', async () => {
    server = await startFakeOAuth1Server();
    const { temporary, verifier } = await accessToken(server);
    const again = await signedFetch(server, 'POST', server.settings().accessTokenUrl, {
      token: temporary.token,
      tokenSecret: temporary.secret,
      extra: { oauth_verifier: verifier },
    });
    expect([again.status, await again.text()]).toEqual([401, 'oauth_problem=token_used']);
    const other = await temporaryCredentials(server);
    await fetch(`${server.settings().authorizationUrl}?oauth_token=${other.token}`, { redirect: 'manual' });
    const wrong = await signedFetch(server, 'POST', server.settings().accessTokenUrl, {
      token: other.token,
      tokenSecret: other.secret,
      extra: { oauth_verifier: 'guess' },
    });
    expect([wrong.status, await wrong.text()]).toEqual([401, 'oauth_problem=verifier_invalid']);
  });

  it('answers signed resource requests from a handler, unsigned ones from another, and refusals in the API format', async () => {
    server = await startFakeOAuth1Server({
      resourceHandler: (request, access) => ({ json: { path: request.path, token: access.token } }),
      unsignedHandler: (request) =>
        new URL(request.url, 'http://x').searchParams.get('key') === 'k1'
          ? { json: { unsigned: true } }
          : { status: 401, text: 'invalid key' },
      resourceRefusal: (problem, status) => ({
        status,
        text: problem === 'signature_invalid' ? 'invalid signature' : 'invalid token',
      }),
    });
    const issued = server.issueAccessToken();
    const ok = await signedFetch(server, 'GET', `${server.url}/1/members/me?fields=id`, {
      token: issued.token,
      tokenSecret: issued.tokenSecret,
    });
    expect(await ok.json()).toEqual({ path: '/1/members/me', token: issued.token });
    const bad = await signedFetch(server, 'GET', `${server.url}/1/members/me`, {
      token: issued.token,
      tokenSecret: 'wrong',
    });
    expect([bad.status, await bad.text()]).toEqual([401, 'invalid signature']);
    const unknown = await signedFetch(server, 'GET', `${server.url}/1/members/me`, { token: 'nope', tokenSecret: 'x' });
    expect([unknown.status, await unknown.text()]).toEqual([401, 'invalid token']);
    expect(await (await fetch(`${server.url}/1/members/me?key=k1&token=t`)).json()).toEqual({ unsigned: true });
    const wrongKey = await fetch(`${server.url}/1/members/me?key=k2&token=t`);
    expect([wrongKey.status, await wrongKey.text()]).toEqual([401, 'invalid key']);
  });
});
