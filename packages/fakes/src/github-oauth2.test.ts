import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOAuth2Server, type GitHubOAuthApp, githubOAuth2Options, startFakeOAuth2Server } from './index.js';

const OAUTH_APP: GitHubOAuthApp = {
  clientId: 'Ov23liTest',
  clientSecret: 'oauth-app-secret',
  callbackUrls: ['https://app.example/github'],
  kind: 'oauth_app',
};
const GITHUB_APP: GitHubOAuthApp = {
  clientId: 'Iv23liTest',
  clientSecret: 'github-app-secret',
  callbackUrls: ['https://app.example/github/app'],
  kind: 'github_app',
};

let server: FakeOAuth2Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The web flow as GitHub documents it: authorize, then a form-encoded POST to /login/oauth/access_token. */
async function flow(app: GitHubOAuthApp, redirectUri: string, accept?: string) {
  const active = server as FakeOAuth2Server;
  const verifier = randomBytes(32).toString('base64url');
  const callback = await active.authorizeAndFollow(
    active.buildAuthorizationUrl({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: redirectUri,
      scope: 'repo gist',
      state: 's1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }),
  );
  const response = await fetch(`${active.url}/login/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(accept ? { accept } : {}) },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: callback.searchParams.get('code') ?? 'none',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  return { callback, response, text: await response.text() };
}

describe('githubOAuth2Options', () => {
  it('an OAuth app: a redirect below its callback URL, a form-encoded gho_ token with comma scopes, no expiry', async () => {
    server = await startFakeOAuth2Server(githubOAuth2Options([OAUTH_APP, GITHUB_APP]));
    const { response, text } = await flow(OAUTH_APP, 'https://app.example/github/callback');
    expect(response.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
    const answer = Object.fromEntries(new URLSearchParams(text));
    expect(answer).toEqual({ access_token: expect.stringMatching(/^gho_/), token_type: 'bearer', scope: 'repo,gist' });
  });

  it('a GitHub App: JSON when asked, ghu_/ghr_ tokens for 8 hours and 6 months, scope ""', async () => {
    server = await startFakeOAuth2Server(githubOAuth2Options([OAUTH_APP, GITHUB_APP]));
    const { text } = await flow(GITHUB_APP, 'https://app.example/github/app', 'application/json');
    expect(JSON.parse(text)).toEqual({
      access_token: expect.stringMatching(/^ghu_/),
      expires_in: 28_800,
      refresh_token: expect.stringMatching(/^ghr_/),
      refresh_token_expires_in: 15_811_200,
      token_type: 'bearer',
      scope: '',
    });
  });

  it("GitHub's errors: redirect_uri_mismatch back to the callback, bad_verification_code with HTTP 200", async () => {
    server = await startFakeOAuth2Server(githubOAuth2Options([OAUTH_APP, GITHUB_APP]));
    const { callback, response, text } = await flow(GITHUB_APP, 'https://app.example/github/app/below');
    expect(`${callback.origin}${callback.pathname}`).toBe('https://app.example/github/app');
    expect(callback.searchParams.get('error')).toBe('redirect_uri_mismatch');
    expect(callback.searchParams.get('state')).toBe('s1');
    expect(response.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(text))).toMatchObject({
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
    });
  });
});
