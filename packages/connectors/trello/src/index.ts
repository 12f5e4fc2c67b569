export { trello, trelloConnector, TRELLO_API_URL } from './trello-connector.js';
export type { TrelloConnectorOptions } from './trello-connector.js';
// The scheme builders are public for apps that build their own Trello-like connector.
export { trelloOAuth1Scheme, trelloApiKeyScheme, TRELLO_OAUTH_URL } from './trello-auth.js';
export type { TrelloExpiration } from './trello-auth.js';
export { trelloActions } from './actions/index.js';
export { CONNECTOR_VERSION as TRELLO_CONNECTOR_VERSION } from './version.js';
