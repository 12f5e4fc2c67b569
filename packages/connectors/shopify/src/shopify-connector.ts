import {
  apiKeyScheme,
  CONNECTOR_SPEC_VERSION,
  defineConnector,
  oauth2Scheme,
  PlugboardError,
  type AuthScheme,
  type Connector,
  type PlacementTemplate,
} from '@plugboard/core';
import { countCustomers, createCustomer, getAllCustomers, getCustomer, searchCustomers } from './actions/customers.js';
import { graphqlQueryAction, type GraphqlThrottleOptions } from './actions/graphql.js';
import { getOrder, listOrders } from './actions/orders.js';
import { createProduct, getProduct, listProducts } from './actions/products.js';
import { getShopDetails } from './actions/shop.js';
import { verifyShopifyCallback } from './verify-callback.js';

/** This package's version; a test keeps it equal to package.json. */
export const SHOPIFY_CONNECTOR_VERSION = '0.0.0';

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
   * sending `expiring=1` with the authorization-code exchange. Public apps must use expiring
   * tokens. The parameter goes in the token URL's query, because the core token request takes
   * no extra body parameters; Plugboard then refreshes the token on its own.
   * @default false
   */
  expiringOfflineTokens?: boolean;
  /** How the GraphQL action waits out a THROTTLED answer. */
  graphqlThrottle?: GraphqlThrottleOptions;
}

const SHOP_FIELD = {
  name: 'shop',
  displayName: 'Shop name',
  description:
    'The shop\'s myshopify.com subdomain: "acme-store" for acme-store.myshopify.com (not the custom domain, not the full host).',
  pattern: '[a-zA-Z0-9][a-zA-Z0-9-]{0,62}',
};

// Shopify takes the token in its own header, never as a Bearer token; the shop names the host.
const placements = (token: string): PlacementTemplate[] => [
  { in: 'header', name: 'X-Shopify-Access-Token', value: `{{${token}}}` },
  { in: 'subdomain', name: 'shop', value: '{{shop}}' },
];

const TOKEN_URL = 'https://{shop}.myshopify.com/admin/oauth/access_token';

function shopifyOAuth2Scheme(options: ShopifyConnectorOptions): AuthScheme {
  return oauth2Scheme({
    displayName: 'OAuth 2.0 (Shopify app)',
    authorizationUrl: 'https://{shop}.myshopify.com/admin/oauth/authorize',
    tokenUrl: TOKEN_URL,
    // Sent with the authorization-code exchange only.
    ...(options.expiringOfflineTokens ? { tokenParams: { expiring: '1' } } : {}),
    defaultScopes: [],
    scopeSeparator: ',',
    // Shopify's authorization code grant documents no PKCE; the client secret goes in the body.
    pkce: false,
    clientAuthMethod: 'client_secret_post',
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    verifyCallback: verifyShopifyCallback,
    fields: [SHOP_FIELD],
    tokenPlacements: [{ in: 'header', name: 'X-Shopify-Access-Token', value: '{{access_token}}' }],
    placements: [{ in: 'subdomain', name: 'shop', value: '{{shop}}' }],
  });
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
    version: SHOPIFY_CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `https://{shop}.myshopify.com/admin/api/${apiVersion}`,
    headers: { Accept: 'application/json' },
    docsUrl: 'https://shopify.dev/docs/api/admin-rest',
    preferredAuthMode: 'API_KEY',
    authSchemes: [
      apiKeyScheme({
        displayName: 'Admin API access token',
        keyField: {
          name: 'api_key',
          displayName: 'Admin API access token',
          description:
            'The Admin API access token of an app installed on the shop (shpat_...), sent as X-Shopify-Access-Token.',
        },
        fields: [SHOP_FIELD],
        placements: placements('api_key'),
      }),
      shopifyOAuth2Scheme(options),
    ],
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
