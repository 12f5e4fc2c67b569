import { startFakeOAuth1Server, TRELLO_OAUTH1, trelloRoutes, type FakeOAuth1Server } from '@plugboard/testkit';

export interface FakeTrello {
  /** The test kit's OAuth 1.0a server at Trello's paths: it verifies every signature (RFC 5849, its own code). */
  server: FakeOAuth1Server;
  /** Trello's real origins, each sent to the fake; for `rerouteFetch` in the test and in the config module. */
  routes: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Trello's OAuth 1.0a endpoints (`/1/OAuthGetRequestToken`, `/1/OAuthAuthorizeToken` where the user
 * approves at once, `/1/OAuthGetAccessToken`) and its API under `/1/`, on 127.0.0.1. The API
 * answers `GET /1/members/me/boards` with one board; any other signed call with the test kit's
 * echo of what it received (`{ ok, method, path, query, token }`). Unsigned or badly signed calls
 * are refused with 401.
 */
export async function startFakeTrello(): Promise<FakeTrello> {
  const server = await startFakeOAuth1Server({
    consumerKey: 'trello-api-key',
    consumerSecret: 'trello-oauth-secret',
    ...TRELLO_OAUTH1,
    resourceHandler: (request) =>
      request.method === 'GET' && request.path === '/1/members/me/boards'
        ? { json: [{ id: '5abbe4b7ddc1b351ef961414', name: 'Roadmap' }] }
        : undefined,
  });
  return {
    server,
    routes: trelloRoutes(server.url),
    close: () => server.close(),
  };
}
