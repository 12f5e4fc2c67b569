export {
  shopify,
  shopifyConnector,
  SHOPIFY_API_VERSIONS,
  SHOPIFY_DEFAULT_API_VERSION,
} from './shopify-connector.js';
export type { ShopifyConnectorOptions } from './shopify-connector.js';
export { shopifyApiKeyScheme, shopifyOAuth2Scheme, SHOPIFY_DEFAULT_SCOPES } from './shopify-auth.js';
export type { ShopifyOAuth2Options } from './shopify-auth.js';
export { verifyShopifyCallback, signableQuery, SHOP_HOSTNAME } from './verify-callback.js';
export type { ShopifyPage } from './actions/fields.js';
export { throttleWaitMs } from './graphql/admin-request.js';
export type { GraphqlCost, ShopifyThrottleOptions, ShopifyUserError } from './graphql/admin-request.js';
export { CONNECTOR_VERSION as SHOPIFY_CONNECTOR_VERSION } from './version.js';
