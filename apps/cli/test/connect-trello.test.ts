// OAuth 1.0a through the CLI: `plugboard connect trello` with the built-in Trello connector, its
// real URLs sent to a fake Trello (the test kit's OAuth 1.0a server, which checks every signature
// with its own RFC 5849 code), then signed `plugboard run TRELLO_...` calls.
import { rerouteFetch } from '@plugboard/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeTrello, type FakeTrello } from './fake-trello.js';
import {
  assertBuilt,
  cleanupsAfterEach,
  parseJson as json,
  runCli,
  startCli,
  temporaryDirectory,
  trelloConfig,
} from './run-cli.js';

beforeAll(assertBuilt);

const cleanups = cleanupsAfterEach();

async function setup() {
  const fake: FakeTrello = await startFakeTrello();
  cleanups.push(() => fake.close());
  const home = await temporaryDirectory(cleanups);
  const env = { FAKE_TRELLO_URL: fake.server.url, PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: trelloConfig };
  return {
    fake,
    env,
    plugboard: (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env, ...extra }),
  };
}

describe('connect trello (OAuth 1.0a) through the loopback listener', () => {
  it('request token, authorization URL, the browser approves, the callback brings the verifier; runs are signed', async () => {
    const { fake, env, plugboard } = await setup();
    expect(await plugboard(['connect', 'trello'])).toMatchObject({
      code: 2,
      stderr:
        'error: the app trello has no OAUTH1 integration yet\nhint: create one first: plugboard integrations create trello --auth-mode OAUTH1 --set consumer_key=... --secret-from-env consumer_secret=ENV_VAR\n',
    });
    const created = await plugboard(
      [
        'integrations',
        'create',
        'trello',
        '--set',
        `consumer_key=${fake.server.consumerKey}`,
        '--secret-from-env',
        'consumer_secret=TRELLO_SECRET',
      ],
      { TRELLO_SECRET: fake.server.consumerSecret },
    );
    expect(created.code).toBe(0);

    const connecting = startCli(['connect', 'trello', '--entity', 'jane', '--timeout', '120'], env);
    cleanups.push(async () => {
      if (connecting.child.exitCode === null && connecting.child.signalCode === null) connecting.child.kill('SIGKILL');
      await connecting.done.catch(() => undefined);
    });
    const [printed = ''] = await connecting.waitFor('stdout', /https:\/\/trello\.com\/1\/OAuthAuthorizeToken\?\S+/);
    const authorizationUrl = new URL(printed);
    expect(Object.fromEntries(authorizationUrl.searchParams)).toEqual({
      oauth_token: expect.stringMatching(/^tt-/),
      name: 'Plugboard',
      scope: 'read,write',
      expiration: 'never',
    });

    // The temporary credentials were asked for with the loopback callback, signed with the consumer secret.
    const [requestToken] = fake.server.requests;
    expect(requestToken).toMatchObject({ method: 'POST', path: '/1/OAuthGetRequestToken', status: 200 });
    const callbackUri = requestToken?.oauth?.['oauth_callback'] ?? '';
    expect(callbackUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // Play the browser: trello.com (the fake) approves and redirects to the CLI's callback.
    const browser = rerouteFetch(fake.routes, { forwardedHeaders: true });
    const approval = await browser.fetch(authorizationUrl, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    const callback = new URL(approval.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(callbackUri);
    expect([...callback.searchParams.keys()].sort()).toEqual(['oauth_token', 'oauth_verifier']);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connected trello');

    const { code, stdout } = await connecting.done;
    expect(code).toBe(0);
    const id = /connected trello for entity jane: connection ([0-9a-f-]{36}) \(ACTIVE\)/.exec(stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    const exchange = fake.server.requests.find((request) => request.path === '/1/OAuthGetAccessToken');
    expect(exchange).toMatchObject({
      method: 'POST',
      status: 200,
      oauth: {
        oauth_verifier: callback.searchParams.get('oauth_verifier'),
        oauth_token: authorizationUrl.searchParams.get('oauth_token'),
      },
    });
    expect(fake.server.accessTokens.size).toBe(1);
    const [[accessToken, accessTokenSecret] = []] = [...fake.server.accessTokens];

    // Signed calls: the fake verified each signature over the real URL (api.trello.com) and answered 200.
    const boards = await plugboard(['run', 'TRELLO_GET_MEMBER_BOARDS', 'filter=open', '--entity', 'jane']);
    expect(boards.code).toBe(0);
    expect(json(boards.stdout)).toEqual([{ id: '5abbe4b7ddc1b351ef961414', name: 'Roadmap' }]);
    const card = await plugboard([
      'run',
      'TRELLO_CREATE_CARD',
      'idList=5abbe4b7ddc1b351ef961415',
      'name=Café & crème: 100% done',
      'pos=top',
      '--connection',
      id,
    ]);
    expect(card.code).toBe(0);
    expect(json(card.stdout)).toMatchObject({
      ok: true,
      method: 'POST',
      path: '/1/cards',
      token: accessToken,
      query: expect.arrayContaining([
        ['name', 'Café & crème: 100% done'],
        ['pos', 'top'],
      ]),
    });

    const apiCalls = fake.server.requests.filter((request) => !request.path.startsWith('/1/OAuth'));
    expect(apiCalls.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'GET /1/members/me/boards 200',
      'POST /1/cards 200',
    ]);
    for (const call of apiCalls)
      expect(call.oauth).toMatchObject({
        oauth_consumer_key: fake.server.consumerKey,
        oauth_token: accessToken,
        oauth_signature_method: 'HMAC-SHA1',
      });
    expect(apiCalls[0]?.baseString).toMatch(/^GET&https%3A%2F%2Fapi\.trello\.com%2F1%2Fmembers%2Fme%2Fboards&/);
    expect(apiCalls[1]?.baseString).toMatch(/^POST&https%3A%2F%2Fapi\.trello\.com%2F1%2Fcards&/);

    // No secret in what the CLI shows.
    const shown = await plugboard(['connections', 'show', id]);
    expect(shown.stdout).toMatch(/^ {2}oauth_token +••••••••$/m);
    expect(shown.stdout).toMatch(/^ {2}oauth_token_secret +••••••••$/m);
    const everything = [
      stdout,
      boards.stdout,
      card.stdout,
      shown.stdout,
      (await plugboard(['connections', 'show', id, '--json'])).stdout,
      (await plugboard(['integrations', 'list', '--json'])).stdout,
    ].join('\n');
    for (const secret of [accessTokenSecret, fake.server.consumerSecret]) expect(everything).not.toContain(secret);
  });
});
