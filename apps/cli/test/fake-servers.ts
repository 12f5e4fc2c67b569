import {
  type FakeOAuth2Client,
  type FakeOAuth2Server,
  startFakeOAuth2Server,
  startRecordingServer,
} from '@plugboard/testkit';

export interface RecordedRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  authorization: string | undefined;
  body: string;
}

export interface FakeServer {
  /** The acme API (FAKE_URL). */
  url: string;
  /** Acme's authorization server (FAKE_OAUTH_URL): the test kit's fake OAuth 2.0 server. */
  oauth: FakeOAuth2Server;
  /** FAKE_URL and FAKE_OAUTH_URL, for the --config modules. */
  env: { FAKE_URL: string; FAKE_OAUTH_URL: string };
  /** The API requests, in order. */
  readonly requests: RecordedRequest[];
  /** The token requests' grant types, in order. */
  readonly grants: string[];
  close(): Promise<void>;
}

/** The OAuth app the tests register as the acme integration; the CLI listens on a loopback port of its choosing. */
export const ACME_CLIENT: FakeOAuth2Client = {
  clientId: 'cid-1',
  clientSecret: 'client-secret-1',
  redirectUris: ['http://127.0.0.1/callback'],
  redirectUriMatching: 'any-loopback-port',
};
/** The service account of the robots app (client credentials only). */
export const ROBOTS_CLIENT: FakeOAuth2Client = {
  clientId: 'robot-id',
  clientSecret: 'robot-secret-1',
  redirectUris: [],
};

/**
 * The "acme" API on the test kit's recording server and its OAuth 2.0 server, the test kit's fake,
 * on 127.0.0.1.
 * - `GET /things/{id}` answers the thing and the credentials it was called with (thing 404 is a 404;
 *   a bearer token the authorization server does not hold active is a 401); `POST /things` echoes the JSON body.
 * - The authorization server plays a user who approves (`oauth.denyNext()` makes them deny), checks
 *   the client, the PKCE verifier and the loopback redirect URI, and issues expiring access tokens
 *   with a refresh token, and access tokens for client credentials.
 */
export async function startFakeServer(): Promise<FakeServer> {
  const oauth = await startFakeOAuth2Server({ clients: [ACME_CLIENT, ROBOTS_CLIENT], tokenType: 'bearer' });
  const api = await startRecordingServer({
    'GET /things/{id}': (request) => {
      const id = request.params['id'] ?? '';
      if (!/^\d+$/.test(id)) return { status: 404, json: { message: 'No route' } };
      if (id === '404') return { status: 404, json: { message: 'No thing 404' } };
      const authorization = request.headers['authorization'];
      const bearer = /^bearer (\S+)$/i.exec(authorization ?? '')?.[1];
      if (bearer !== undefined && !oauth.isAccessTokenActive(bearer))
        return { status: 401, json: { message: 'Bad token' } };
      return {
        json: { id: Number(id), apiKey: request.headers['x-api-key'] ?? null, authorization: authorization ?? null },
      };
    },
    'POST /things': (request) => ({ status: 201, json: { created: JSON.parse(request.body || '{}') as unknown } }),
  });
  return {
    url: api.url,
    oauth,
    env: { FAKE_URL: api.url, FAKE_OAUTH_URL: oauth.url },
    get requests() {
      return api.requests.map((request) => ({
        method: request.method,
        path: request.path,
        apiKey: request.headers['x-api-key'],
        authorization: request.headers['authorization'],
        body: request.body,
      }));
    },
    get grants() {
      return oauth.tokenRequests.map((request) => request.grantType ?? '');
    },
    close: async () => {
      await api.close();
      await oauth.close();
    },
  };
}
