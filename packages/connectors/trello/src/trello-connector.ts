import { CONNECTOR_SPEC_VERSION, defineConnector, type Connector } from '@plugboard/core';
import { trelloActions } from './actions/index.js';
import { trelloApiKeyScheme, trelloOAuth1Scheme, type TrelloExpiration } from './trello-auth.js';
import { CONNECTOR_VERSION } from './version.js';

/** Trello's REST API. */
export const TRELLO_API_URL = 'https://api.trello.com/1';

export interface TrelloConnectorOptions {
  /**
   * The application name Trello shows the user on the authorize page (`name`).
   * @default 'Plugboard'
   */
  appName?: string;
  /**
   * The OAuth 1.0a `scope`: any of `read`, `write`, `account`, comma-separated.
   * @default 'read,write'
   */
  scope?: string;
  /**
   * How long the token Trello issues lives (`expiration`).
   * @default 'never'
   */
  expiration?: TrelloExpiration;
}

/** A Trello connector; `trello` is the one with the default options. */
export function trelloConnector(options: TrelloConnectorOptions = {}): Connector {
  return defineConnector({
    id: 'trello',
    name: 'Trello',
    description: 'Boards, lists, cards and comments on Trello.',
    version: CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: TRELLO_API_URL,
    headers: { Accept: 'application/json' },
    preferredAuthMode: 'OAUTH1',
    authSchemes: [trelloOAuth1Scheme(options), trelloApiKeyScheme()],
    actions: [...trelloActions],
    docsUrl: 'https://developer.atlassian.com/cloud/trello/rest/',
  });
}

/** The Trello connector with default options: OAuth 1.0a asking for read,write, never expiring. */
export const trello: Connector = trelloConnector();
