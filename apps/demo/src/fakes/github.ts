// A local GitHub: the REST API (api.github.com) and the OAuth web flow of a GitHub App with
// expiring user access tokens (github.com/login/oauth). The OAuth side is @plugboard/testkit's fake
// OAuth 2.0 server in GitHub's style (form or JSON token answers, errors with status 200,
// client_secret_post, PKCE S256 required, 8-hour access tokens, rotating refresh tokens). The API
// side plays the one endpoint the demo calls, answers `{ "message": "Bad credentials" }` for a token
// the OAuth server no longer accepts, and takes personal access tokens too.

import { startFakeOAuth2Server, type FakeOAuth2Server } from '@plugboard/testkit';
import { bearerToken, startServer, type LocalServer } from './http.js';

export interface GitHubApp {
  clientId: string;
  clientSecret: string;
  /** The callback URL registered with the app; `redirect_uri` must equal it. */
  callbackUrl: string;
}

export interface FakeGitHub {
  api: LocalServer;
  /** github.com: the OAuth authorize and token endpoints. */
  web: { origin: string };
  oauth: FakeOAuth2Server;
  /** Registers the demo's GitHub App (what you do once in GitHub's settings). */
  registerApp(app: GitHubApp): void;
  /** A personal access token the API accepts. */
  addPersonalToken(token: string, login: string): void;
  /** Token endpoint requests by grant type: what the demo shows for the refresh. */
  tokenRequests: { readonly authorization_code: number; readonly refresh_token: number };
  /** Which GitHub user a token belongs to, for the narration. */
  tokenOwner(token: string): string | undefined;
  /** Moves GitHub's clock: tokens whose lifetime has passed are refused from then on. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

/** GitHub App user access tokens live 8 hours, their refresh tokens 6 months. */
export const ACCESS_TOKEN_TTL_SECONDS = 8 * 60 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 15_897_600;

const PULL_REQUESTS: Record<string, Record<number, object>> = {
  'plugboard-demo/widgets': {
    42: {
      number: 42,
      title: 'Add a plugboard to the widget factory',
      state: 'open',
      user: { login: 'mona' },
      head: { ref: 'plugboard', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' },
      base: { ref: 'main', sha: '9049f1265b7d61be4a8904a9a27120d2064dab3b' },
      mergeable: true,
      merged: false,
      commits: 3,
      additions: 120,
      deletions: 8,
      changed_files: 5,
      html_url: 'https://github.com/plugboard-demo/widgets/pull/42',
    },
  },
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const oauth = await startFakeOAuth2Server({
    clients: [],
    responseFormat: 'form-unless-accept-json',
    scopeSeparator: 'comma',
    tokenType: 'bearer',
    errorsWithStatus200: true,
    clientAuthMethod: 'client_secret_post',
    requirePkce: true,
    pathPrefix: '/login/oauth',
    tokenPath: 'access_token',
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS,
    rotateRefreshTokens: true,
    grantTypes: ['authorization_code', 'refresh_token'],
    // A real user would sign in and press "Authorize"; the fake approves for mona at once.
    subject: 'mona',
  });
  const personalTokens = new Map<string, string>();
  const tokenOwner = (token: string) =>
    personalTokens.get(token) ??
    (oauth.isAccessTokenActive(token)
      ? oauth.issuedTokens.find((issued) => issued.accessToken === token)?.subject
      : undefined);

  const api = await startServer((request) => {
    const token = bearerToken(request);
    if (token === undefined || tokenOwner(token) === undefined) {
      return {
        status: 401,
        json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
      };
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(request.path);
    if (request.method === 'GET' && pull) {
      const found = PULL_REQUESTS[`${pull[1]}/${pull[2]}`]?.[Number(pull[3])];
      if (found) return { json: found, headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' } };
    }
    return {
      status: 404,
      json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
    };
  });

  return {
    api,
    web: { origin: oauth.url },
    oauth,
    registerApp: (app) =>
      oauth.addClient({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUris: [app.callbackUrl] }),
    addPersonalToken: (token, login) => personalTokens.set(token, login),
    tokenRequests: {
      get authorization_code() {
        return oauth.counters.authorizationCodeGrants;
      },
      get refresh_token() {
        return oauth.counters.refreshTokenGrants;
      },
    },
    tokenOwner,
    advanceClock: (ms) => oauth.advanceClock(ms),
    close: async () => {
      await Promise.all([api.close(), oauth.close()]);
    },
  };
}
