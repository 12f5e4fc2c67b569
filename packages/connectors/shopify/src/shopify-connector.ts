import { CONNECTOR_SPEC_VERSION, defineConnector, PlugboardError, type Connector } from '@plugboard/core';
import { countCustomers, createCustomer, getAllCustomers, getCustomer, searchCustomers } from './actions/customers.js';
import { graphqlQueryAction, type GraphqlThrottleOptions } from './actions/graphql.js';
import { getOrder, listOrders } from './actions/orders.js';
import { createProduct, getProduct, listProducts } from './actions/products.js';
import { getShopDetails } from './actions/shop.js';
import { shopifyApiKeyScheme, shopifyOAuth2Scheme } from './shopify-auth.js';
import { CONNECTOR_VERSION } from './version.js';

/**
 * The Admin API version requests use unless `apiVersion` says otherwise: a stable quarterly
 * release, supported by Shopify for at least twelve months after its release.
 * @see https://shopify.dev/docs/api/usage/versioning
 */
export const SHOPIFY_DEFAULT_API_VERSION = '2026-07';

const API_VERSION = /^(?:\d{4}-(?:01|04|07|10)|unstable)$/;

export interface ShopifyConnectorOptions {
  /**
   * The Admin API version in every request path (`/admin/api/{version}/...`).
   * @default SHOPIFY_DEFAULT_API_VERSION
   * @example '2026-10'
   */
  apiVersion?: string;
  /**
   * Ask Shopify for an expiring offline token (one hour, with a rotating refresh token) by
   * sending `expiring=1` in the body of the authorization-code exchange. Public apps must use
   * expiring tokens; Plugboard then refreshes the token on its own.
   * @default false
   */
  expiringOfflineTokens?: boolean;
  /** How the GraphQL action waits out a THROTTLED answer. */
  graphqlThrottle?: GraphqlThrottleOptions;
}

/**
 * The Shopify Admin API connector, for one API version.
 * @example const shopify = shopifyConnector({ apiVersion: '2026-10' })
 */
export function shopifyConnector(options: ShopifyConnectorOptions = {}): Connector {
  const apiVersion = options.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  if (!API_VERSION.test(apiVersion)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid Shopify apiVersion ${JSON.stringify(apiVersion)}: use a quarterly release like "${SHOPIFY_DEFAULT_API_VERSION}" or "unstable".`,
    );
  }
  return defineConnector({
    id: 'shopify',
    name: 'Shopify',
    description:
      'The Shopify Admin API of one shop: customers, orders, products, shop details, and any GraphQL Admin API query.',
    version: CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `https://{shop}.myshopify.com/admin/api/${apiVersion}`,
    headers: { Accept: 'application/json' },
    docsUrl: 'https://shopify.dev/docs/api/admin-rest',
    preferredAuthMode: 'API_KEY',
    authSchemes: [shopifyApiKeyScheme(), shopifyOAuth2Scheme({ expiringOfflineTokens: options.expiringOfflineTokens })],
    actions: [
      getAllCustomers,
      getCustomer,
      createCustomer,
      searchCustomers,
      countCustomers,
      listOrders,
      getOrder,
      listProducts,
      getProduct,
      createProduct,
      getShopDetails,
      graphqlQueryAction(options.graphqlThrottle),
    ],
  });
}

/** The Shopify connector at the pinned default API version. */
export const shopify: Connector = shopifyConnector();
