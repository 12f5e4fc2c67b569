import type { FakeOAuth2Client, FakeOAuth2Options } from './fake-oauth2-server.js';

/** One app registered on GitHub, as `githubOAuth2Options` takes it. */
export interface GitHubOAuthApp {
  clientId: string;
  clientSecret: string;
  /** OAuth apps have one callback URL; GitHub Apps may have several. */
  callbackUrls: string[];
  /** An OAuth app, or a GitHub App with expiring user access tokens. */
  kind: 'oauth_app' | 'github_app';
}

const TROUBLESHOOT_TOKEN =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
const BAD_CODE = {
  error: 'bad_verification_code',
  description: 'The code passed is incorrect or expired.',
  uri: `${TROUBLESHOOT_TOKEN}/#bad-verification-code`,
};

/**
 * One GitHub app as a client of the fake: an OAuth app gets `gho_` tokens that never expire and no
 * refresh token, its redirect URI may be below its callback URL; a GitHub App gets `ghu_` tokens for
 * 8 hours and `ghr_` refresh tokens for 6 months that work once, scope `""`, and an exact redirect URI.
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
export function githubOAuthClient(app: GitHubOAuthApp): FakeOAuth2Client {
  const registered = { clientId: app.clientId, clientSecret: app.clientSecret, redirectUris: app.callbackUrls };
  if (app.kind === 'oauth_app') {
    return {
      ...registered,
      redirectUriMatching: 'subdirectory',
      accessTokenTtlSeconds: 0,
      issueRefreshToken: false,
      tokenPrefixes: { accessToken: 'gho_' },
    };
  }
  return {
    ...registered,
    redirectUriMatching: 'exact',
    accessTokenTtlSeconds: 28_800,
    refreshTokenTtlSeconds: 15_811_200,
    issueRefreshToken: true,
    rotateRefreshTokens: true,
    // A GitHub App's permissions are set on the app; its user tokens carry no scopes.
    grantedScope: '',
    tokenPrefixes: { accessToken: 'ghu_', refreshToken: 'ghr_' },
  };
}

/**
 * Options of `startFakeOAuth2Server` that answer as github.com's web application flow does:
 * `/login/oauth/authorize` and `/login/oauth/access_token` (where `grant_type` may be left out of
 * the code exchange), PKCE S256 only, token answers
 * form-encoded unless `Accept: application/json`, comma-separated scopes, `token_type=bearer`,
 * errors with HTTP 200 and GitHub's codes (`bad_verification_code`, `incorrect_client_credentials`,
 * `redirect_uri_mismatch`, `bad_refresh_token`), and a redirect URI mismatch sent back to the
 * registered callback. Spread it to change one thing: `{ ...githubOAuth2Options(apps), subject: 'mona' }`.
 * @see https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 */
export function githubOAuth2Options(apps: GitHubOAuthApp[], login = 'octocat'): FakeOAuth2Options {
  return {
    clients: apps.map(githubOAuthClient),
    pathPrefix: '/login/oauth',
    tokenPath: 'access_token',
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: 'authorization_code',
    codeChallengeMethods: ['S256'],
    responseFormat: 'form-unless-accept-json',
    scopeSeparator: 'comma',
    scopeInEveryTokenResponse: true,
    tokenType: 'bearer',
    errorsWithStatus200: true,
    redirectUriMismatch: 'redirect-to-registered',
    errorOverrides: {
      client_authentication: {
        error: 'incorrect_client_credentials',
        description: 'The client_id and/or client_secret passed are incorrect.',
        uri: `${TROUBLESHOOT_TOKEN}/#incorrect-client-credentials`,
      },
      code: BAD_CODE,
      // GitHub does not document this error's code; a failed PKCE check is treated like a bad code.
      code_verifier: BAD_CODE,
      redirect_uri: {
        error: 'redirect_uri_mismatch',
        description: 'The redirect_uri MUST match the registered callback URL for this application.',
        uri: `${TROUBLESHOOT_TOKEN}/#redirect-uri-mismatch2`,
      },
      refresh_token: {
        error: 'bad_refresh_token',
        description: 'The refresh token passed is incorrect or expired.',
        uri: `${TROUBLESHOOT_TOKEN}/#bad-verification-code`,
      },
      grant_type: {
        error: 'unsupported_grant_type',
        description: 'The grant type is not supported.',
        uri: `${TROUBLESHOOT_TOKEN}/#unsupported-grant-type`,
      },
    },
    subject: login,
  };
}
