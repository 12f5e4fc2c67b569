import { CONNECTOR_SPEC_VERSION, defineConnector, PlugboardError, type Connector } from '@plugboard/core';
import { curatedActions } from './actions/index.js';
import { bulkExportAction, type DownloadFetch } from './actions/bulk-export.js';
import { buildGeneratedActions } from './actions/generated.js';
import { graphqlQueryAction } from './actions/graphql.js';
import { ADMIN_OPERATION_COUNTS, GENERATED_API_VERSIONS } from './generated/index.js';
import { createCostBuckets, type CostAccount, type ShopifyThrottleOptions } from './graphql/admin-request.js';
import { shopifyApiKeyScheme, shopifyOAuth2Scheme } from './shopify-auth.js';
import { CONNECTOR_VERSION } from './version.js';

/**
 * The Admin API version requests use unless `apiVersion` says otherwise: the newest stable
 * quarterly release the generated actions were built from.
 * @see https://shopify.dev/docs/api/usage/versioning
 */
export const SHOPIFY_DEFAULT_API_VERSION: string = GENERATED_API_VERSIONS[0];

/** The Admin API versions `apiVersion` accepts: those whose schema the generated actions were built from. */
export const SHOPIFY_API_VERSIONS: readonly string[] = GENERATED_API_VERSIONS;

export interface ShopifyConnectorOptions {
  /**
   * The Admin API version in every request path (`/admin/api/{version}/graphql.json`); one of
   * `SHOPIFY_API_VERSIONS`, whose schema the generated actions were built from.
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
  /** How calls wait for the shop's GraphQL cost budget (before a call, and after a THROTTLED answer). */
  throttle?: ShopifyThrottleOptions;
  /**
   * The fetch that downloads bulk operation results from the signed storage URL Shopify gives
   * (no credentials are sent with it). Tests pass their rerouting fetch here.
   * @default globalThis.fetch
   */
  fetch?: DownloadFetch;
}

// The queries and mutations a curated action takes over (its name or alias is the generated name),
// so that listApps counts the catalogue without reading it; a test checks it against the catalogue.
const OPERATIONS_TAKEN_OVER = 10;

// The cost buckets are the process's, shared by every connector instance and toolset.
const costBuckets = createCostBuckets();
let connectorCount = 0;

/**
 * The Shopify Admin API connector, for one API version.
 * @example const shopify = shopifyConnector({ apiVersion: '2026-10' })
 */
export function shopifyConnector(options: ShopifyConnectorOptions = {}): Connector {
  const apiVersion = options.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  if (!SHOPIFY_API_VERSIONS.includes(apiVersion)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Shopify apiVersion ${JSON.stringify(apiVersion)} is not one this connector was generated for: use ${SHOPIFY_API_VERSIONS.map((version) => `"${version}"`).join(', ')}, or a newer @plugboard/shopify for a newer version.`,
    );
  }
  const account: CostAccount = { buckets: costBuckets, key: `connector-${++connectorCount}` };
  return defineConnector({
    id: 'shopify',
    name: 'Shopify',
    description:
      'The Shopify GraphQL Admin API of one shop: curated customer, order, product and shop actions, and one action per query and mutation.',
    version: CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `https://{shop}.myshopify.com/admin/api/${apiVersion}`,
    headers: { Accept: 'application/json' },
    docsUrl: 'https://shopify.dev/docs/api/admin-graphql',
    preferredAuthMode: 'API_KEY',
    authSchemes: [shopifyApiKeyScheme(), shopifyOAuth2Scheme({ expiringOfflineTokens: options.expiringOfflineTokens })],
    actions: [
      ...curatedActions({ account, throttle: options.throttle }),
      graphqlQueryAction({ account, throttle: options.throttle }),
      bulkExportAction({ account, throttle: options.throttle, fetch: options.fetch }),
    ],
    generatedActions: () => buildGeneratedActions({ apiVersion, account, throttle: options.throttle }),
    generatedActionCount:
      ADMIN_OPERATION_COUNTS[apiVersion as keyof typeof ADMIN_OPERATION_COUNTS] - OPERATIONS_TAKEN_OVER,
  });
}

/** The Shopify connector at the default API version. */
export const shopify: Connector = shopifyConnector();
