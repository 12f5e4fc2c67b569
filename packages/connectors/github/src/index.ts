export {
  github,
  githubConnector,
  webUrlFor,
  GITHUB_API_URL,
  GITHUB_WEB_URL,
  GITHUB_DEFAULT_API_VERSION,
} from './github-connector.js';
export type { GitHubConnectorOptions } from './github-connector.js';
export { githubActions } from './actions/index.js';
export { parseLinkHeader, pageInfo } from './pagination.js';
export type { LinkRelation, Page, PageInfo, SearchPage } from './pagination.js';
export { githubAppScheme, githubOAuth2Scheme, githubTokenScheme, GITHUB_DEFAULT_SCOPES } from './github-auth.js';
export { githubRateLimit } from './github-rate-limit.js';
export { CONNECTOR_VERSION as GITHUB_CONNECTOR_VERSION } from './version.js';
