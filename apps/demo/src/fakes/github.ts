// A local GitHub: the REST API (api.github.com) and the OAuth web flow of a GitHub App with
// expiring user access tokens (github.com/login/oauth), on two servers that share one token table.
// It plays only what the demo calls, with GitHub's shapes: 8-hour `ghu_` tokens, rotating `ghr_`
// refresh tokens, PKCE S256, client_secret_post, OAuth errors answered with status 200, and
// `{ "message": "Bad credentials" }` for a token it does not accept.

import { createHash, randomBytes } from 'node:crypto';
import { bearerToken, parseForm, startServer, type LocalServer, type Reply } from './http.js';

export interface GitHubApp {
  clientId: string;
  clientSecret: string;
  /** The callback URL registered with the app; `redirect_uri` must equal it. */
  callbackUrl: string;
}

interface TokenInfo {
  login: string;
  kind: 'user-to-server' | 'personal';
  /** Epoch ms on the fake's clock; undefined never expires. */
  expiresAt: number | undefined;
}

export interface FakeGitHub {
  api: LocalServer;
  web: LocalServer;
  /** Registers the demo's GitHub App (what you do once in GitHub's settings). */
  registerApp(app: GitHubApp): void;
  /** A personal access token the API accepts. */
  addPersonalToken(token: string, login: string): void;
  /** Token endpoint requests by grant type: what the demo shows for the refresh. */
  tokenRequests: { authorization_code: number; refresh_token: number };
  /** Which GitHub user a token belongs to, for the narration. */
  tokenOwner(token: string): string | undefined;
  /** Moves the fake's clock: tokens whose lifetime has passed are refused from then on. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

const ACCESS_TOKEN_TTL_SECONDS = 8 * 60 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 184 * 24 * 60 * 60;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  return prefix + Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

const base64url = (buffer: Buffer) => buffer.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

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
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const apps = new Map<string, GitHubApp>();
  const accessTokens = new Map<string, TokenInfo>();
  const refreshTokens = new Map<string, { login: string; clientId: string; expiresAt: number }>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string | undefined; login: string; expiresAt: number }>();
  const tokenRequests = { authorization_code: 0, refresh_token: 0 };

  const issueTokens = (login: string, clientId: string): Record<string, string | number> => {
    const accessToken = randomToken('ghu_', 36);
    const refreshToken = randomToken('ghr_', 76);
    accessTokens.set(accessToken, { login, kind: 'user-to-server', expiresAt: now() + ACCESS_TOKEN_TTL_SECONDS * 1000 });
    refreshTokens.set(refreshToken, { login, clientId, expiresAt: now() + REFRESH_TOKEN_TTL_SECONDS * 1000 });
    return {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
      token_type: 'bearer',
      scope: '',
    };
  };

  // GitHub answers OAuth errors with status 200, as JSON when asked for it.
  const oauthAnswer = (accept: string | undefined, fields: Record<string, string | number>): Reply =>
    accept?.includes('application/json')
      ? { json: fields }
      : { text: new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)])).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } };

  const web = await startServer((request) => {
    if (request.method === 'GET' && request.path === '/login/oauth/authorize') {
      const app = apps.get(request.query.get('client_id') ?? '');
      const redirectUri = request.query.get('redirect_uri') ?? app?.callbackUrl;
      if (!app || redirectUri !== app.callbackUrl) {
        return { status: 400, text: 'The redirect_uri is not associated with this application.' };
      }
      // A real user would sign in and press "Authorize"; the fake approves for mona at once.
      const code = randomBytes(10).toString('hex');
      const method = request.query.get('code_challenge_method');
      const challenge = request.query.get('code_challenge') ?? undefined;
      if (challenge !== undefined && method !== 'S256') return { status: 400, text: 'Only S256 code challenges are supported.' };
      codes.set(code, { clientId: app.clientId, redirectUri, challenge, login: 'mona', expiresAt: now() + 10 * 60 * 1000 });
      const location = new URL(redirectUri);
      location.searchParams.set('code', code);
      const state = request.query.get('state');
      if (state !== null) location.searchParams.set('state', state);
      return { status: 302, headers: { location: location.toString() }, text: '' };
    }
    if (request.method === 'POST' && request.path === '/login/oauth/access_token') {
      const form = parseForm(request.body);
      const accept = request.headers['accept'];
      const app = apps.get(form['client_id'] ?? '');
      if (!app || form['client_secret'] !== app.clientSecret) {
        return oauthAnswer(accept, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
      }
      if (form['grant_type'] === 'refresh_token') {
        tokenRequests.refresh_token += 1;
        const presented = refreshTokens.get(form['refresh_token'] ?? '');
        if (!presented || presented.clientId !== app.clientId || presented.expiresAt <= now()) {
          return oauthAnswer(accept, { error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' });
        }
        // GitHub rotates refresh tokens: the one presented works once.
        refreshTokens.delete(form['refresh_token'] ?? '');
        return oauthAnswer(accept, issueTokens(presented.login, app.clientId));
      }
      tokenRequests.authorization_code += 1;
      const grant = codes.get(form['code'] ?? '');
      codes.delete(form['code'] ?? '');
      const verifier = form['code_verifier'];
      const verified = grant?.challenge === undefined || (verifier !== undefined && base64url(createHash('sha256').update(verifier).digest()) === grant.challenge);
      if (!grant || grant.clientId !== app.clientId || grant.expiresAt <= now() || !verified || (form['redirect_uri'] !== undefined && form['redirect_uri'] !== grant.redirectUri)) {
        return oauthAnswer(accept, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      }
      return oauthAnswer(accept, issueTokens(grant.login, app.clientId));
    }
    return { status: 404, text: 'Not Found' };
  });

  const api = await startServer((request) => {
    const token = bearerToken(request);
    const info = token === undefined ? undefined : accessTokens.get(token);
    if (!info || (info.expiresAt !== undefined && info.expiresAt <= now())) {
      return { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(request.path);
    if (request.method === 'GET' && pull) {
      const found = PULL_REQUESTS[`${pull[1]}/${pull[2]}`]?.[Number(pull[3])];
      if (found) return { json: found, headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' } };
    }
    return { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
  });

  return {
    api,
    web,
    registerApp: (app) => apps.set(app.clientId, app),
    addPersonalToken: (token, login) => accessTokens.set(token, { login, kind: 'personal', expiresAt: undefined }),
    tokenRequests,
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    tokenOwner: (token) => accessTokens.get(token)?.login,
    close: async () => {
      await Promise.all([api.close(), web.close()]);
    },
  };
}

