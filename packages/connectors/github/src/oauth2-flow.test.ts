import { afterEach, describe, expect, it } from 'vitest';
import { expectRequest, githubHeaders } from '../test/expect-request.js';
import { GITHUB_APP, OAUTH_APP, startHarness, type GitHubHarness, type HarnessOptions } from '../test/harness.js';

let harness: GitHubHarness;
const redirectUri = 'https://app.example/github/callback';

afterEach(async () => {
  await harness?.close();
});

async function begin(
  options: HarnessOptions = {},
  app = OAUTH_APP,
  authConfig: Record<string, unknown> = { scopes: ['repo'] },
  uri = redirectUri,
) {
  harness = await startHarness(options);
  const integration = await harness.toolset.createIntegration({
    app: 'github',
    authMode: 'OAUTH2',
    authConfig: { client_id: app.clientId, client_secret: app.clientSecret, ...authConfig },
  });
  const request = await harness.toolset.initiateConnection({
    integrationId: integration.id,
    entityId: 'user-42',
    redirectUri: uri,
  });
  return { integration, request };
}

/** The user's browser: GitHub's authorize page, then back to the app's callback. */
async function authorizeAndReturn(redirectUrl: string) {
  const callbackUrl = await harness.oauth.authorize(redirectUrl, harness.fetch);
  const response = await harness.toolset.handleCallback(new Request(callbackUrl));
  return { callbackUrl, response };
}

describe('OAuth 2.0 with your own OAuth app (seed flow)', () => {
  it('connects through github.com/login/oauth and gets a pull request with the user access token', async () => {
    const { request } = await begin();
    expect(request.connectionStatus).toBe('INITIATED');

    const authorizeUrl = new URL(request.redirectUrl as string);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe('https://github.com/login/oauth/authorize');
    const params = Object.fromEntries(authorizeUrl.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: OAUTH_APP.clientId,
      redirect_uri: redirectUri,
      scope: 'repo',
      code_challenge_method: 'S256',
    });
    expect(params['state']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { callbackUrl, response } = await authorizeAndReturn(request.redirectUrl as string);
    expect(new URL(callbackUrl).searchParams.get('state')).toBe(params['state']);
    expect(response.status).toBe(200);
    const connection = await request.waitUntilActive({ timeoutMs: 1_000 });
    expect(connection).toMatchObject({ status: 'ACTIVE', app: 'github', authMode: 'OAUTH2', entityId: 'user-42' });
    // OAuth app tokens do not expire.
    expect(connection.expiresAt).toBeUndefined();

    // The token request: form-encoded, client credentials in the body as GitHub documents, JSON asked for.
    const [tokenRequest] = harness.oauth.tokenRequests;
    expect(tokenRequest?.outcome).toBe('issued');
    expect(tokenRequest?.contentType).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers['accept']).toBe('application/json');
    expect(tokenRequest?.headers['authorization']).toBeUndefined();
    expect(Object.keys(tokenRequest?.params ?? {}).sort()).toEqual([
      'client_id',
      'client_secret',
      'code',
      'code_verifier',
      'grant_type',
      'redirect_uri',
    ]);
    expect(tokenRequest?.params).toMatchObject({
      client_id: OAUTH_APP.clientId,
      client_secret: OAUTH_APP.clientSecret,
      redirect_uri: redirectUri,
      grant_type: 'authorization_code',
    });

    const credentials = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(credentials['access_token']).toMatch(/^gho_/);
    expect(credentials).toMatchObject({ scope: 'repo', token_type: 'bearer' });

    const result = await harness.toolset.executeAction(
      'GITHUB_GET_A_PULL_REQUEST',
      { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 },
      { connectedAccountId: request.connectedAccountId },
    );
    expect(result).toMatchObject({ successful: true, data: { number: 1347, title: 'Amazing new feature' } });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls/1347',
      headers: githubHeaders({}, credentials['access_token']),
    });
    // The same connection is found by entity as well.
    expect(
      (await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {}, { entityId: 'user-42' })).data,
    ).toMatchObject({ login: 'octocat' });
    expect(harness.api.requests[1]?.status).toBe(200);
    expect(harness.sent.map((sent) => new URL(sent.url).origin)).toEqual([
      'https://github.com',
      'https://github.com',
      'https://api.github.com',
      'https://api.github.com',
    ]);
  });

  it("asks for the connector's default scopes when the integration names none", async () => {
    const { request } = await begin({}, OAUTH_APP, {});
    expect(new URL(request.redirectUrl as string).searchParams.get('scope')).toBe('repo read:user');
    await authorizeAndReturn(request.redirectUrl as string);
    expect((await harness.toolset.getConnectionCredentials(request.connectedAccountId))['scope']).toBe(
      'repo,read:user',
    );
  });

  it('marks the connection FAILED when the user cancels on GitHub (error=access_denied)', async () => {
    harness = await startHarness();
    const integration = await harness.toolset.createIntegration({
      app: 'github',
      authMode: 'OAUTH2',
      authConfig: { client_id: OAUTH_APP.clientId, client_secret: OAUTH_APP.clientSecret },
    });
    const request = await harness.toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    harness.oauth.denyNext();
    const { callbackUrl, response } = await authorizeAndReturn(request.redirectUrl as string);
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(response.status).toBe(400);
    const connection = await harness.toolset.getConnection(request.connectedAccountId);
    expect(connection).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'access_denied', message: 'The user has denied your application access.' },
    });
    expect(harness.oauth.tokenRequests).toEqual([]);
  });

  it('fails on a redirect URI GitHub does not accept for the app (redirect_uri_mismatch)', async () => {
    const { request } = await begin({}, OAUTH_APP, {}, 'https://elsewhere.example/callback');
    const { callbackUrl, response } = await authorizeAndReturn(request.redirectUrl as string);
    // GitHub sends the user to the registered callback with the error.
    expect(callbackUrl.startsWith(`${OAUTH_APP.callbackUrls[0]}?`)).toBe(true);
    expect(response.status).toBe(400);
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'redirect_uri_mismatch' },
    });
  });

  it("reads GitHub's token errors sent with HTTP 200 (bad_verification_code) and keeps the secret out of the error", async () => {
    const { request } = await begin();
    const state = new URL(request.redirectUrl as string).searchParams.get('state') as string;
    const error = await harness.toolset
      .completeConnection({ state, code: 'expired-or-made-up' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'OAUTH_ERROR',
      status: 200,
      details: { error: 'bad_verification_code', errorDescription: 'The code passed is incorrect or expired.' },
    });
    expect(JSON.stringify(error)).not.toContain(OAUTH_APP.clientSecret);
    expect(String(error)).not.toContain(OAUTH_APP.clientSecret);
    expect(harness.oauth.tokenRequests[0]).toMatchObject({ outcome: 'bad_verification_code' });
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'bad_verification_code' },
    });
  });

  it('sends no PKCE challenge when pkce is turned off (for a GitHub Enterprise Server that refuses it)', async () => {
    const { request } = await begin({ connector: { pkce: false } });
    const params = new URL(request.redirectUrl as string).searchParams;
    expect(params.has('code_challenge')).toBe(false);
    expect(params.has('code_challenge_method')).toBe(false);
    await authorizeAndReturn(request.redirectUrl as string);
    expect(harness.oauth.tokenRequests[0]?.params).not.toHaveProperty('code_verifier');
    expect((await harness.toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');
  });
});

describe('OAuth 2.0 with a GitHub App (expiring user access tokens)', () => {
  const appRedirect = GITHUB_APP.callbackUrls[0] as string;

  it('stores the refresh token and expiry, refreshes with grant_type=refresh_token, and retries a 401 once after refreshing', async () => {
    const { request } = await begin({}, GITHUB_APP, {}, appRedirect);
    await authorizeAndReturn(request.redirectUrl as string);
    const connection = await harness.toolset.getConnection(request.connectedAccountId);
    const eightHours = Date.parse(connection.expiresAt ?? '') - Date.now();
    expect(eightHours).toBeGreaterThan(28_700_000);
    expect(eightHours).toBeLessThanOrEqual(28_800_000);
    const first = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(first['access_token']).toMatch(/^ghu_/);
    expect(first['refresh_token']).toMatch(/^ghr_/);
    expect(first['scope']).toBe('');

    await harness.toolset.refreshConnection(request.connectedAccountId);
    const refreshRequest = harness.oauth.tokenRequests[1];
    expect(refreshRequest?.params).toEqual({
      grant_type: 'refresh_token',
      refresh_token: first['refresh_token'],
      client_id: GITHUB_APP.clientId,
      client_secret: GITHUB_APP.clientSecret,
    });
    const second = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(second['access_token']).not.toBe(first['access_token']);
    expect(second['refresh_token']).not.toBe(first['refresh_token']);

    // The user access token is revoked behind our back: the 401 triggers one refresh and one retry.
    harness.api.revokeToken(second['access_token'] as string);
    const result = await harness.toolset.executeAction(
      'GITHUB_GET_AN_ISSUE',
      { owner: 'octocat', repo: 'Hello-World', issue_number: 1 },
      { connectedAccountId: request.connectedAccountId },
    );
    expect(result).toMatchObject({ successful: true, data: { number: 1 } });
    const third = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(harness.api.requests.map((sent) => `${sent.status} ${sent.headers['authorization']}`)).toEqual([
      `401 Bearer ${second['access_token']}`,
      `200 Bearer ${third['access_token']}`,
    ]);
    expect(harness.oauth.tokenRequests.map((record) => record.params['grant_type'])).toEqual([
      'authorization_code',
      'refresh_token',
      'refresh_token',
    ]);
  });

  it("treats GitHub's bad_refresh_token (sent with HTTP 200) as needing a new connection, keeping the stored credentials", async () => {
    const { request } = await begin({}, GITHUB_APP, {}, appRedirect);
    await authorizeAndReturn(request.redirectUrl as string);
    const before = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    // Another process used the refresh token first; GitHub accepts each refresh token once.
    const used = await harness.fetch('https://github.com/login/oauth/access_token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: GITHUB_APP.clientId,
        client_secret: GITHUB_APP.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: before['refresh_token'] as string,
      }),
    });
    // Without Accept: application/json, GitHub answers form-encoded.
    expect(used.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(await used.text()).get('access_token')).toMatch(/^ghu_/);

    const error = await harness.toolset
      .refreshConnection(request.connectedAccountId)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(JSON.stringify(error)).toContain('bad_refresh_token');
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(JSON.stringify(error)).not.toContain(GITHUB_APP.clientSecret);
    expect(JSON.stringify(error)).not.toContain(before['refresh_token']);
    expect(await harness.toolset.getConnectionCredentials(request.connectedAccountId)).toEqual(before);
  });
});

describe('GitHub Enterprise Server', () => {
  it('runs the OAuth flow on the GHES host and calls its /api/v3', async () => {
    const { request } = await begin({
      apiUrl: 'https://ghe.example.com/api/v3',
      webUrl: 'https://ghe.example.com',
      connector: { baseUrl: 'https://ghe.example.com/api/v3' },
    });
    const authorizeUrl = new URL(request.redirectUrl as string);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe('https://ghe.example.com/login/oauth/authorize');
    await authorizeAndReturn(request.redirectUrl as string);
    const result = await harness.toolset.executeAction(
      'GITHUB_LIST_REPOSITORY_ISSUES',
      { owner: 'octocat', repo: 'Hello-World', per_page: 2 },
      { entityId: 'user-42' },
    );
    expect(result.data).toMatchObject({ items: [{ number: 1348 }, { number: 1347 }], nextPage: 2, lastPage: 3 });
    expect(harness.sent.map((sent) => sent.url)).toEqual([
      request.redirectUrl,
      'https://ghe.example.com/login/oauth/access_token',
      'https://ghe.example.com/api/v3/repos/octocat/Hello-World/issues?per_page=2',
    ]);
    expect(harness.api.requests[0]?.url).toBe('/api/v3/repos/octocat/Hello-World/issues?per_page=2');
  });
});
