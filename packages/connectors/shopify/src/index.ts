export {
  shopify,
  shopifyConnector,
  SHOPIFY_CONNECTOR_VERSION,
  SHOPIFY_DEFAULT_API_VERSION,
} from './shopify-connector.js';
export type { ShopifyConnectorOptions } from './shopify-connector.js';
export { verifyShopifyCallback, signableQuery, SHOP_HOSTNAME } from './verify-callback.js';
export { pageInfoFromLink, rateLimitOf } from './shared.js';
export type { RateLimit, ShopifyPage } from './shared.js';
export { throttleWaitMs } from './actions/graphql.js';
export type { GraphqlCost, GraphqlThrottleOptions } from './actions/graphql.js';
