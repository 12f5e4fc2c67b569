import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { startRecordingServer, type RecordedRequest, type RecordingServer, type Reply } from '@plugboard/testkit';

/**
 * GitHub's GitHub App endpoints, as GitHub documents them, on the test kit's recording server:
 * - the app JWT must be RS256, signed with the app's key, `iss` the client ID or app ID, `iat` not
 *   in the future (60 s of drift allowed) and `exp` at most 10 minutes after now; otherwise 401
 *   "'Expiration time' claim ('exp') is too far in the future" and the like;
 * - `POST /app/installations/{installation_id}/access_tokens` answers 201 with a `ghs_` token
 *   that expires in one hour; an unknown installation answers 404;
 * - `GET /app` and `GET /app/installations` take the app JWT; `GET /installation/repositories`
 *   takes an installation token.
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 * @see https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app
 */
export interface FakeGitHubApp {
  server: RecordingServer;
  url: string;
  /** Installation tokens issued, in order. */
  issued: string[];
  close(): Promise<void>;
}

function base64UrlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const unauthorized = (message: string): Reply => ({
  status: 401,
  json: { message, documentation_url: 'https://docs.github.com/rest' },
});

/** The problem with an app JWT, or undefined when GitHub would accept it. */
function checkAppJwt(request: RecordedRequest, publicKey: KeyObject, issuers: string[]): string | undefined {
  const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
  if (!token) return 'Missing authorization';
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return 'A JSON web token could not be decoded';
  if (base64UrlJson(header)['alg'] !== 'RS256') return "'alg' must be RS256";
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(publicKey, Buffer.from(signature, 'base64url'))) return 'A JSON web token could not be decoded';
  const claims = base64UrlJson(payload);
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims['iat'] !== 'number' || claims['iat'] > now + 60)
    return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (typeof claims['exp'] !== 'number' || claims['exp'] > now + 600)
    return "'Expiration time' claim ('exp') is too far in the future";
  if (claims['exp'] <= now)
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  if (!issuers.includes(String(claims['iss']))) return "'Issuer' claim ('iss') must be an Integer";
  return undefined;
}

export async function startFakeGitHubApp(options: {
  /** The app's public key (PEM, or a KeyObject). */
  publicKey: string | KeyObject;
  appId: string;
  clientId: string;
  installations: number[];
}): Promise<FakeGitHubApp> {
  const publicKey = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  const issuers = [options.appId, options.clientId];
  const issued: string[] = [];
  const withAppJwt = (answer: (request: RecordedRequest) => Reply) => (request: RecordedRequest) => {
    const problem = checkAppJwt(request, publicKey, issuers);
    return problem === undefined ? answer(request) : unauthorized(problem);
  };
  const server = await startRecordingServer({
    'GET /app': withAppJwt(() => ({
      json: { id: Number(options.appId), client_id: options.clientId, slug: 'plugboard-test' },
    })),
    'GET /app/installations': withAppJwt(() => ({
      json: options.installations.map((id) => ({ id, account: { login: `org-${id}` } })),
    })),
    'POST /app/installations/{installation_id}/access_tokens': withAppJwt((request) => {
      if (!options.installations.includes(Number(request.params['installation_id'])))
        return { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
      const token = `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'A')}`;
      issued.push(token);
      return {
        status: 201,
        json: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: { contents: 'read', issues: 'write' },
          repository_selection: 'all',
        },
      };
    }),
    'GET /installation/repositories': (request) => {
      const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
      if (!token || !issued.includes(token)) return unauthorized('Bad credentials');
      return { json: { total_count: 1, repositories: [{ full_name: 'org/repo' }] } };
    },
  });
  return { server, url: server.url, issued, close: () => server.close() };
}
