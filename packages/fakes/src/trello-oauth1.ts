import type { FakeOAuth1ServerOptions } from './fake-oauth1-server.js';

/**
 * Trello's OAuth 1.0a provider as options of `startFakeOAuth1Server`: HMAC-SHA1 only, its endpoints
 * under `/1/` on trello.com, and an access-token answer with nothing beyond the token and secret.
 * Spread it and add the consumer and the API: `startFakeOAuth1Server({ ...TRELLO_OAUTH1, consumerKey, resourceHandler })`.
 * @see https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/#using-basic-oauth
 */
export const TRELLO_OAUTH1: Required<Pick<FakeOAuth1ServerOptions, 'signatureMethods' | 'paths' | 'accessTokenExtra'>> =
  {
    signatureMethods: ['HMAC-SHA1'],
    paths: {
      requestToken: '/1/OAuthGetRequestToken',
      authorize: '/1/OAuthAuthorizeToken',
      accessToken: '/1/OAuthGetAccessToken',
      resourcePrefix: '/1/',
    },
    accessTokenExtra: {},
  };

/** Trello's two origins (the OAuth endpoints and the API) sent to one fake, for `rerouteFetch`. */
export function trelloRoutes(fakeUrl: string): Record<string, string> {
  return { 'https://trello.com': fakeUrl, 'https://api.trello.com': fakeUrl };
}
