import {
  type FakeOAuth2Server,
  type GitHubOAuthApp,
  githubOAuth2Options,
  startFakeOAuth2Server,
} from '@plugboard/testkit';
import type { TokenInfo } from './fake-github-api.js';

/**
 * GitHub's OAuth web application flow on github.com (or a GHES host): the test kit's fake OAuth 2.0
 * server with `githubOAuth2Options`, as GitHub documents it, and the shortcuts these tests use.
 * - `GET /login/oauth/authorize`: an OAuth app's redirect URI may be a subdirectory of its callback
 *   URL (a sub-domain too, any port on a loopback callback); a GitHub App's must equal one of its
 *   callback URLs; a mismatch sends the user to the registered callback with
 *   `error=redirect_uri_mismatch`. PKCE is S256 only (GitHub changelog, 2025-07-14). Codes expire
 *   after 10 minutes and work once.
 * - `POST /login/oauth/access_token` answers form-encoded (`access_token=...&scope=repo%2Cgist&token_type=bearer`)
 *   unless the request sends `Accept: application/json`. Errors (`bad_verification_code`,
 *   `incorrect_client_credentials`, `redirect_uri_mismatch`, `bad_refresh_token`) come with HTTP 200.
 * - OAuth apps get non-expiring `gho_` tokens with the granted scopes; GitHub Apps with expiring
 *   user tokens get `ghu_` tokens (8 hours) and `ghr_` refresh tokens (6 months, used once), scope "".
 * @see https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

/** An OAuth app or a GitHub App registered on the fake. */
export type RegisteredApp = GitHubOAuthApp;

export interface TokenRequestRecord {
  headers: Record<string, string>;
  /** Every parameter, from the query and the form body. */
  params: Record<string, string>;
  contentType: string;
  /** `issued`, or the error code GitHub answered. */
  outcome: 'issued' | string;
}

export interface FakeGitHubOAuthOptions {
  apps: RegisteredApp[];
  /** The user who signs in and approves. @default 'octocat' */
  login?: string;
}

export interface FakeGitHubOAuth {
  /** The test kit's server underneath, for anything the shortcuts below leave out. */
  server: FakeOAuth2Server;
  url: string;
  readonly tokenRequests: TokenRequestRecord[];
  readonly authorizeRequests: URLSearchParams[];
  /** The next authorization is cancelled by the user. */
  denyNext(): void;
  /** Plays the user's browser: opens the authorize URL and returns where GitHub redirects to. */
  authorize(authorizeUrl: string, fetchFunction: typeof fetch): Promise<string>;
  /** What the API knows of a user access token this server issued; undefined once expired or unknown. */
  tokenInfo(token: string): TokenInfo | undefined;
  close(): Promise<void>;
}

export async function startFakeGitHubOAuth(options: FakeGitHubOAuthOptions): Promise<FakeGitHubOAuth> {
  const login = options.login ?? 'octocat';
  const apps = new Map(options.apps.map((app) => [app.clientId, app]));
  const server = await startFakeOAuth2Server(githubOAuth2Options(options.apps, login));

  return {
    server,
    url: server.url,
    get tokenRequests() {
      return server.tokenRequests.map((request) => ({
        headers: request.headers,
        params: { ...request.query, ...request.form },
        contentType: request.headers['content-type'] ?? '',
        outcome: request.outcome === 'issued' ? 'issued' : (request.error ?? request.outcome),
      }));
    },
    get authorizeRequests() {
      return server.authorizeRequests.map((request) => request.searchParams);
    },
    denyNext: () => server.denyNext('access_denied', 'The user has denied your application access.'),
    async authorize(authorizeUrl, fetchFunction) {
      const response = await fetchFunction(authorizeUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`the authorize endpoint answered ${response.status} without a redirect`);
      return location;
    },
    tokenInfo(token) {
      const issued = server.issuedTokens.find((candidate) => candidate.accessToken === token);
      if (!issued || !server.isAccessTokenActive(token)) return undefined;
      const kind = apps.get(issued.clientId)?.kind === 'github_app' ? 'github_app_user' : 'oauth';
      return { login: issued.subject, scopes: issued.scope === '' ? [] : issued.scope.split(' '), kind };
    },
    close: () => server.close(),
  };
}
