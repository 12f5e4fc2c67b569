import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlugboardError } from '../../errors.js';
import { buildRequest } from '../../http/build-request.js';
import { sendRequest } from '../../http/send-request.js';
import { createRedactor } from '../../redact.js';
import type { OAuth1Settings } from '../../spec/auth-scheme.js';
import {
  startFakeOAuth1Server,
  type FakeOAuth1Server,
  type FakeSignatureMethod,
  startRecordingServer,
  type Reply,
  errorOf,
} from '@plugboard/fakes';
import { oauth1AuthorizationHeader, signBuiltRequest, type OAuth1SigningCredentials } from './sign-request.js';
import { authorizationRedirectUrl, requestAccessToken, requestTemporaryCredentials } from './three-legged.js';

const CALLBACK = 'https://myapp.example/callback?state=abc';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function fakeServer(options: Parameters<typeof startFakeOAuth1Server>[0] = {}): Promise<FakeOAuth1Server> {
  const server = await startFakeOAuth1Server(options);
  closers.push(server.close);
  return server;
}

/** No secret in the message, the stack, JSON.stringify or util.inspect of an error. */
function expectNoSecrets(error: PlugboardError, secrets: Array<string | undefined>): void {
  const renderings = [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
  ];
  for (const secret of secrets) {
    if (!secret) continue;
    for (const rendering of renderings) expect(rendering).not.toContain(secret);
  }
}

/** Follows the authorize redirect the way a browser would, without leaving for the callback host. */
async function approve(redirectUrl: string): Promise<URL> {
  const response = await fetch(redirectUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function connect(server: FakeOAuth1Server, settings: OAuth1Settings) {
  const client = { settings, consumerKey: server.consumerKey, consumerSecret: server.consumerSecret, fetch };
  const temporary = await requestTemporaryCredentials({ ...client, callbackUrl: CALLBACK });
  const callback = await approve(authorizationRedirectUrl(settings, temporary.token));
  const verifier = callback.searchParams.get('oauth_verifier')!;
  return { client, temporary, callback, verifier };
}

describe.each<FakeSignatureMethod>(['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'])(
  'the three-legged flow with %s',
  (signatureMethod) => {
    it('gets temporary credentials, sends the user to authorize, exchanges the verifier and makes signed calls', async () => {
      const server = await fakeServer();
      const settings: OAuth1Settings = {
        ...server.settings(signatureMethod, { scope: 'read,write', expiration: 'never', name: 'Plugboard test' }),
        authorizationUrl: `${server.url}/oauth/authorize?app=plug%20board`,
      };
      const client = { settings, consumerKey: server.consumerKey, consumerSecret: server.consumerSecret, fetch };

      const temporary = await requestTemporaryCredentials({ ...client, callbackUrl: CALLBACK });
      expect(temporary.callbackConfirmed).toBe(true);
      expect(server.temporaryCredentials.get(temporary.token)?.secret).toBe(temporary.tokenSecret);
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: '/oauth/request_token',
        status: 200,
        oauth: { oauth_callback: CALLBACK, oauth_signature_method: signatureMethod },
      });

      const redirectUrl = authorizationRedirectUrl(settings, temporary.token);
      expect(redirectUrl).toBe(
        `${server.url}/oauth/authorize?app=plug%20board&oauth_token=${temporary.token}&scope=read%2Cwrite&expiration=never&name=Plugboard%20test`,
      );
      const callback = await approve(redirectUrl);
      expect(`${callback.origin}${callback.pathname}`).toBe('https://myapp.example/callback');
      expect(callback.searchParams.get('state')).toBe('abc');
      expect(callback.searchParams.get('oauth_token')).toBe(temporary.token);
      expect(server.temporaryCredentials.get(temporary.token)?.authorizationQuery).toEqual({
        app: 'plug board',
        oauth_token: temporary.token,
        scope: 'read,write',
        expiration: 'never',
        name: 'Plugboard test',
      });

      const access = await requestAccessToken({
        ...client,
        token: temporary.token,
        tokenSecret: temporary.tokenSecret,
        verifier: callback.searchParams.get('oauth_verifier')!,
      });
      expect(access.extra).toEqual({ user_id: '42', screen_name: 'jane' });
      expect(server.accessTokens.get(access.token)).toBe(access.tokenSecret);
      expect(server.requests.at(-1)).toMatchObject({ path: '/oauth/access_token', status: 200 });

      const credentials: OAuth1SigningCredentials = {
        consumerKey: server.consumerKey,
        consumerSecret: server.consumerSecret,
        token: access.token,
        tokenSecret: access.tokenSecret,
        signatureMethod,
      };
      const redactor = createRedactor([server.consumerSecret, access.tokenSecret]);

      const get = buildRequest({
        baseUrl: server.url,
        method: 'GET',
        path: '/1/members/{id}',
        pathParams: { id: 'me' },
        query: { fields: 'name,email', filter: 'open closed', emoji: 'é😀', odd: "!*'()~+=&" },
      });
      const got = await sendRequest(await signBuiltRequest(get, credentials), { fetch, redactor, retries: 0 });
      expect(got.data).toMatchObject({
        ok: true,
        method: 'GET',
        path: '/1/members/me',
        token: access.token,
        query: [
          ['fields', 'name,email'],
          ['filter', 'open closed'],
          ['emoji', 'é😀'],
          ['odd', "!*'()~+=&"],
        ],
      });

      const form = buildRequest({
        baseUrl: server.url,
        method: 'POST',
        path: '/1/cards',
        query: { idList: 'list 1' },
        body: { name: 'Buy milk & eggs', desc: '2+2=4', tags: ['a', 'b'] },
        bodyEncoding: 'form',
      });
      const posted = await sendRequest(await signBuiltRequest(form, credentials), { fetch, redactor, retries: 0 });
      expect(posted.data).toMatchObject({
        ok: true,
        method: 'POST',
        form: [
          ['name', 'Buy milk & eggs'],
          ['desc', '2+2=4'],
          ['tags', 'a'],
          ['tags', 'b'],
        ],
      });
      // The server's own base string shows the form fields were signed.
      expect(server.requests.at(-1)?.baseString).toContain('name%3DBuy%2520milk%2520%2526%2520eggs');

      const json = buildRequest({ baseUrl: server.url, method: 'POST', path: '/1/cards', body: { name: 'JSON card' } });
      const postedJson = await sendRequest(await signBuiltRequest(json, credentials), { fetch, redactor, retries: 0 });
      expect(postedJson.data).toMatchObject({ ok: true, json: { name: 'JSON card' } });
      expect(server.requests.at(-1)?.baseString).not.toContain('JSON');

      expect(server.requests.map((request) => request.problem)).toEqual(server.requests.map(() => undefined));
      if (signatureMethod !== 'PLAINTEXT') {
        // With an HMAC method no secret ever crosses the wire.
        const wire = JSON.stringify(server.requests);
        for (const secret of [server.consumerSecret, temporary.tokenSecret, access.tokenSecret])
          expect(wire).not.toContain(secret);
      }
    });

    it('fails with OAUTH_ERROR, without the secrets, when the consumer secret is wrong', async () => {
      const server = await fakeServer();
      const wrongSecret = 'wrong-consumer-secret-value';
      const error = await errorOf<PlugboardError>(() =>
        requestTemporaryCredentials({
          settings: server.settings(signatureMethod),
          consumerKey: server.consumerKey,
          consumerSecret: wrongSecret,
          callbackUrl: CALLBACK,
          fetch,
        }),
      );
      expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'signature_invalid' } });
      expect(error.message).toContain(`POST ${server.url}/oauth/request_token`);
      expect(error.message).toContain('401');
      expect(server.requests[0]?.problem).toBe('signature_invalid');
      expectNoSecrets(error, [wrongSecret, server.consumerSecret]);
    });
  },
);

describe('rejections', () => {
  it('a replayed nonce (same nonce and timestamp) is refused the second time', async () => {
    const server = await fakeServer();
    const { token, tokenSecret } = server.issueAccessToken();
    const credentials: OAuth1SigningCredentials = {
      consumerKey: server.consumerKey,
      consumerSecret: server.consumerSecret,
      token,
      tokenSecret,
      signatureMethod: 'HMAC-SHA1',
    };
    const redactor = createRedactor([server.consumerSecret, tokenSecret]);
    const built = buildRequest({ baseUrl: server.url, method: 'GET', path: '/1/boards', query: { filter: 'open' } });
    const options = { nonce: 'fixed-nonce-0001', timestamp: Math.floor(Date.now() / 1000) };

    await expect(
      sendRequest(await signBuiltRequest(built, credentials, options), { fetch, redactor, retries: 0 }),
    ).resolves.toMatchObject({ status: 200 });
    const error = await errorOf<PlugboardError>(async () =>
      sendRequest(await signBuiltRequest(built, credentials, options), { fetch, redactor, retries: 0 }),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 401 });
    expect(server.requests.map((request) => request.problem)).toEqual([undefined, 'nonce_used']);
    expectNoSecrets(error, [server.consumerSecret, tokenSecret]);

    // A fresh nonce goes through.
    await expect(
      sendRequest(await signBuiltRequest(built, credentials), { fetch, redactor, retries: 0 }),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('a stale timestamp, a tampered URL and an unknown token are refused', async () => {
    const server = await fakeServer();
    const { token, tokenSecret } = server.issueAccessToken();
    const credentials: OAuth1SigningCredentials = {
      consumerKey: server.consumerKey,
      consumerSecret: server.consumerSecret,
      token,
      tokenSecret,
      signatureMethod: 'HMAC-SHA1',
    };
    const send = (init: { url: string; authorization: string }) =>
      fetch(init.url, { headers: { authorization: init.authorization } });

    const stale = await oauth1AuthorizationHeader({ method: 'GET', url: `${server.url}/1/boards` }, credentials, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect((await send({ url: `${server.url}/1/boards`, authorization: stale })).status).toBe(401);

    const signedForOne = await oauth1AuthorizationHeader(
      { method: 'GET', url: `${server.url}/1/boards?id=1` },
      credentials,
    );
    expect((await send({ url: `${server.url}/1/boards?id=2`, authorization: signedForOne })).status).toBe(401);

    const unknownToken = await oauth1AuthorizationHeader(
      { method: 'GET', url: `${server.url}/1/boards` },
      { ...credentials, token: 'not-issued' },
    );
    const refused = await send({ url: `${server.url}/1/boards`, authorization: unknownToken });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);
    expect(await refused.json()).toMatchObject({ error: 'token_rejected' });

    expect(server.requests.map((request) => request.problem)).toEqual([
      'timestamp_refused',
      'signature_invalid',
      'token_rejected',
    ]);
  });

  it('a wrong verifier fails with OAUTH_ERROR and leaves the temporary credentials usable', async () => {
    const server = await fakeServer();
    const { client, temporary, verifier } = await connect(server, server.settings());
    const error = await errorOf<PlugboardError>(() =>
      requestAccessToken({
        ...client,
        token: temporary.token,
        tokenSecret: temporary.tokenSecret,
        verifier: 'guessed-verifier',
      }),
    );
    expect(error).toMatchObject({
      code: 'OAUTH_ERROR',
      status: 401,
      details: { error: 'verifier_invalid', body: { oauth_problem: 'verifier_invalid' } },
    });
    expect(error.message).toContain('access-token');
    expectNoSecrets(error, [server.consumerSecret, temporary.tokenSecret, 'guessed-verifier']);

    await expect(
      requestAccessToken({ ...client, token: temporary.token, tokenSecret: temporary.tokenSecret, verifier }),
    ).resolves.toMatchObject({ extra: { user_id: '42' } });
  });

  it('a verifier (and its temporary credentials) cannot be used twice', async () => {
    const server = await fakeServer();
    const { client, temporary, verifier } = await connect(server, server.settings());
    const exchange = () =>
      requestAccessToken({ ...client, token: temporary.token, tokenSecret: temporary.tokenSecret, verifier });
    await exchange();
    const error = await errorOf<PlugboardError>(exchange);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'token_used' } });
    expectNoSecrets(error, [server.consumerSecret, temporary.tokenSecret, verifier]);
  });

  it('a denied authorization comes back without a verifier, and no exchange succeeds', async () => {
    const server = await fakeServer({ approve: false });
    const settings = server.settings();
    const client = { settings, consumerKey: server.consumerKey, consumerSecret: server.consumerSecret, fetch };
    const temporary = await requestTemporaryCredentials({ ...client, callbackUrl: CALLBACK });
    const callback = await approve(authorizationRedirectUrl(settings, temporary.token));
    expect(callback.searchParams.get('denied')).toBe(temporary.token);
    expect(callback.searchParams.has('oauth_verifier')).toBe(false);
    expect(
      (
        await errorOf<PlugboardError>(() =>
          requestAccessToken({ ...client, token: temporary.token, tokenSecret: temporary.tokenSecret, verifier: '' }),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
    const error = await errorOf<PlugboardError>(() =>
      requestAccessToken({
        ...client,
        token: temporary.token,
        tokenSecret: temporary.tokenSecret,
        verifier: 'anything',
      }),
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'permission_unknown' } });
  });

  it('a provider that does not confirm the callback (OAuth 1.0, not 1.0a) is refused without leaking its token secret', async () => {
    const server = await fakeServer({ confirmCallback: false });
    const error = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({
        settings: server.settings(),
        consumerKey: server.consumerKey,
        consumerSecret: server.consumerSecret,
        callbackUrl: CALLBACK,
        fetch,
      }),
    );
    expect(error.code).toBe('OAUTH_ERROR');
    expect(error.message).toContain('oauth_callback_confirmed');
    const [issued] = [...server.temporaryCredentials.values()];
    expectNoSecrets(error, [server.consumerSecret, issued?.secret]);
  });

  it('a callback that is neither an absolute URL nor "oob" is refused before anything is sent', async () => {
    const server = await fakeServer();
    const error = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({
        settings: server.settings(),
        consumerKey: server.consumerKey,
        consumerSecret: server.consumerSecret,
        callbackUrl: '/callback',
        fetch,
      }),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(server.requests).toEqual([]);
  });

  it('an unreachable endpoint is a NETWORK_ERROR without secrets', async () => {
    const server = await fakeServer();
    const settings = server.settings();
    await server.close();
    const error = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({
        settings,
        consumerKey: server.consumerKey,
        consumerSecret: server.consumerSecret,
        callbackUrl: CALLBACK,
        fetch,
      }),
    );
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expectNoSecrets(error, [server.consumerSecret]);
  });
});

describe('providers that answer differently', () => {
  it('reads token responses labelled text/html, as Twitter sends them, and out-of-band callbacks', async () => {
    const server = await fakeServer({ tokenContentType: 'text/html; charset=utf-8' });
    const client = {
      settings: server.settings(),
      consumerKey: server.consumerKey,
      consumerSecret: server.consumerSecret,
      fetch,
    };
    const temporary = await requestTemporaryCredentials({ ...client, callbackUrl: 'oob' });
    const page = await fetch(authorizationRedirectUrl(client.settings, temporary.token));
    const verifier = /verification code is (\S+)/.exec(await page.text())?.[1];
    expect(verifier).toBeDefined();
    const access = await requestAccessToken({
      ...client,
      token: temporary.token,
      tokenSecret: temporary.tokenSecret,
      verifier: verifier!,
    });
    expect(access.token).toMatch(/^at-/);
  });

  const consumerSecret = 'consumer-secret-abc123';
  const tokenSecret = 'temporary-secret-xyz789';

  async function recordingProvider(reply: Reply) {
    const server = await startRecordingServer(() => reply);
    closers.push(server.close);
    const settings: OAuth1Settings = {
      requestTokenUrl: `${server.url}/request`,
      authorizationUrl: `${server.url}/authorize`,
      accessTokenUrl: `${server.url}/access`,
      signatureMethod: 'PLAINTEXT',
      authorizationParams: {},
    };
    return { server, settings };
  }

  it('redacts secrets a provider echoes in its error body, in text and in fields', async () => {
    const { settings } = await recordingProvider({
      status: 401,
      text: `oauth_problem=signature_invalid&debug_key=${consumerSecret}%26${tokenSecret}&oauth_token_secret=another-secret-value`,
    });
    const outer = createRedactor(['outer-only-secret']);
    const error = await errorOf<PlugboardError>(() =>
      requestAccessToken({
        settings,
        consumerKey: 'ck',
        consumerSecret,
        token: 't',
        tokenSecret,
        verifier: 'verifier-1234',
        fetch,
        redactor: outer,
      }),
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'signature_invalid' } });
    expect((error.details as { body: Record<string, string> }).body['oauth_token_secret']).toBe('[REDACTED]');
    expectNoSecrets(error, [consumerSecret, tokenSecret, 'another-secret-value']);

    const { settings: echoing } = await recordingProvider({
      status: 400,
      text: `Invalid request: outer-only-secret and ${consumerSecret}`,
    });
    const echoed = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({
        settings: echoing,
        consumerKey: 'ck',
        consumerSecret,
        callbackUrl: CALLBACK,
        fetch,
        redactor: outer,
      }),
    );
    expect(echoed.message).toContain('[REDACTED]');
    expectNoSecrets(echoed, [consumerSecret, 'outer-only-secret']);
  });

  it('a 200 without a token secret is an OAUTH_ERROR', async () => {
    const { settings } = await recordingProvider({
      status: 200,
      text: 'oauth_token=abc&oauth_callback_confirmed=true',
    });
    const error = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({ settings, consumerKey: 'ck', consumerSecret, callbackUrl: CALLBACK, fetch }),
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 200 });
    expect(error.message).toContain('without oauth_token and oauth_token_secret');
  });

  it('accepts a JSON token response', async () => {
    const { settings } = await recordingProvider({
      json: { oauth_token: 'tok', oauth_token_secret: 'sec', oauth_callback_confirmed: true },
    });
    await expect(
      requestTemporaryCredentials({ settings, consumerKey: 'ck', consumerSecret, callbackUrl: CALLBACK, fetch }),
    ).resolves.toEqual({
      token: 'tok',
      tokenSecret: 'sec',
      callbackConfirmed: true,
    });
  });

  it('does not follow a redirect from a token endpoint', async () => {
    const { server, settings } = await recordingProvider({
      status: 307,
      headers: { location: 'https://elsewhere.example/steal' },
    });
    const error = await errorOf<PlugboardError>(() =>
      requestTemporaryCredentials({ settings, consumerKey: 'ck', consumerSecret, callbackUrl: CALLBACK, fetch }),
    );
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 307 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('authorizationRedirectUrl', () => {
  const settings: OAuth1Settings = {
    requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
    authorizationUrl: 'https://trello.com/1/OAuthAuthorizeToken',
    accessTokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
    signatureMethod: 'HMAC-SHA1',
    authorizationParams: { scope: 'read,write', expiration: 'never', name: 'My App' },
  };

  it('adds oauth_token first, then the scheme’s parameters, RFC 3986-encoded', () => {
    expect(authorizationRedirectUrl(settings, 'tok en')).toBe(
      'https://trello.com/1/OAuthAuthorizeToken?oauth_token=tok%20en&scope=read%2Cwrite&expiration=never&name=My%20App',
    );
  });

  it('keeps an existing query byte for byte and the fragment, and never lets a parameter replace oauth_token', () => {
    const url = authorizationRedirectUrl(
      {
        ...settings,
        authorizationUrl: 'https://a.example/auth?x=a+b&y=%7E#top',
        authorizationParams: { oauth_token: 'evil' },
      },
      'tok',
    );
    expect(url).toBe('https://a.example/auth?x=a+b&y=%7E&oauth_token=tok#top');
  });
});
