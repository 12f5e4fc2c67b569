import { PlugboardError, apiKeyScheme, oauth1Scheme, type AuthScheme } from '@plugboard/core';
import type { TrelloConnectorOptions } from './trello-connector.js';

/** Where Trello's OAuth 1.0a endpoints live. */
export const TRELLO_OAUTH_URL = 'https://trello.com/1';

export type TrelloExpiration = '1hour' | '1day' | '30days' | 'never';

const SCOPES = new Set(['read', 'write', 'account']);
const EXPIRATIONS = new Set<string>(['1hour', '1day', '30days', 'never']);

/**
 * OAuth 1.0a with HMAC-SHA1 at trello.com/1. The consumer key is your Trello API key and the
 * consumer secret its OAuth secret (https://trello.com/power-ups/admin, API key page).
 */
export function trelloOAuth1Scheme(options: TrelloConnectorOptions = {}): AuthScheme {
  const scope = options.scope ?? 'read,write';
  if (!scope.split(',').every((part) => SCOPES.has(part))) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid Trello connector option: scope is a comma-separated list of read, write and account, got ${JSON.stringify(scope)}.`,
    );
  }
  const expiration = options.expiration ?? 'never';
  if (!EXPIRATIONS.has(expiration)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid Trello connector option: expiration is one of 1hour, 1day, 30days and never, got ${JSON.stringify(expiration)}.`,
    );
  }
  return oauth1Scheme({
    displayName: 'Trello (OAuth 1.0a)',
    requestTokenUrl: `${TRELLO_OAUTH_URL}/OAuthGetRequestToken`,
    authorizationUrl: `${TRELLO_OAUTH_URL}/OAuthAuthorizeToken`,
    accessTokenUrl: `${TRELLO_OAUTH_URL}/OAuthGetAccessToken`,
    signatureMethod: 'HMAC-SHA1',
    authorizationParams: { name: options.appName ?? 'Plugboard', scope, expiration },
  });
}

/** Your API key and a user's token, both sent as query parameters (`key`, `token`), as Trello asks. */
export function trelloApiKeyScheme(): AuthScheme {
  return apiKeyScheme({
    displayName: 'Trello API key and token',
    keyField: {
      name: 'api_key',
      displayName: 'API key',
      description: 'The API key of your Trello Power-Up (https://trello.com/power-ups/admin).',
    },
    fields: [
      {
        name: 'token',
        displayName: 'Token',
        secret: true,
        description: "A user's token, from the Token link on your API key page or the authorize flow.",
      },
    ],
    placements: [
      { in: 'query', name: 'key', value: '{{api_key}}' },
      { in: 'query', name: 'token', value: '{{token}}' },
    ],
  });
}
