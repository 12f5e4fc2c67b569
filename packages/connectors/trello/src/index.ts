export {
  trello,
  trelloConnector,
  trelloOAuth1Scheme,
  trelloApiKeyScheme,
  TRELLO_API_URL,
  TRELLO_OAUTH_URL,
} from './trello-connector.js';
export type { TrelloConnectorOptions, TrelloExpiration } from './trello-connector.js';
export { trelloActions } from './actions/index.js';
export { TRELLO_CONNECTOR_VERSION } from './version.js';
