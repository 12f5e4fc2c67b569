export { github, githubConnector, githubOAuth2Scheme, githubTokenScheme, webUrlFor, GITHUB_API_URL, GITHUB_WEB_URL, GITHUB_DEFAULT_API_VERSION, GITHUB_DEFAULT_SCOPES, } from './github-connector.js';
export { githubActions } from './actions/index.js';
export { parseLinkHeader, pageInfo } from './pagination.js';
export { GITHUB_CONNECTOR_VERSION } from './version.js';
