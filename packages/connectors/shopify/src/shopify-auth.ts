import { apiKeyScheme, oauth2Scheme, type AuthScheme, type PlacementTemplate } from '@plugboard/core';
import { verifyShopifyCallback } from './verify-callback.js';

/**
 * The scopes an OAuth integration asks for when it names none (and the toolset does not work them
 * out from the actions it offers): what the curated actions need, so that `scope` is never missing
 * from Shopify's authorize URL, which requires it. Each action lists the scopes it needs in `scopes`.
 * @see https://shopify.dev/docs/api/usage/access-scopes
 */
export const SHOPIFY_DEFAULT_SCOPES: readonly string[] = Object.freeze([
  'read_customers',
  'read_orders',
  'read_products',
  'write_customers',
  'write_products',
]);

/** The end user's shop, placed in the host: `https://{shop}.myshopify.com`. */
const shopField = {
  name: 'shop',
  displayName: 'Shop name',
  description:
    'The shop\'s myshopify.com subdomain: "acme-store" for acme-store.myshopify.com (not the custom domain, not the full host).',
  pattern: '[a-zA-Z0-9][a-zA-Z0-9-]{0,62}',
};

const shopPlacement: PlacementTemplate = { in: 'subdomain', name: 'shop', value: '{{shop}}' };

/** Shopify takes the token in its own header, never as a Bearer token. */
const tokenPlacement = (variable: string): PlacementTemplate => ({
  in: 'header',
  name: 'X-Shopify-Access-Token',
  value: `{{${variable}}}`,
});

/** The Admin API access token of an app installed on the shop (a custom app's `shpat_...`). */
export function shopifyApiKeyScheme(): AuthScheme {
  return apiKeyScheme({
    displayName: 'Admin API access token',
    keyField: {
      name: 'api_key',
      displayName: 'Admin API access token',
      description:
        'The Admin API access token of an app installed on the shop (shpat_...), sent as X-Shopify-Access-Token.',
    },
    fields: [shopField],
    placements: [tokenPlacement('api_key'), shopPlacement],
  });
}

export interface ShopifyOAuth2Options {
  /** Send `expiring=1` with the authorization-code exchange to get an expiring offline token. */
  expiringOfflineTokens?: boolean | undefined;
}

/**
 * Shopify's per-shop authorization code grant: the authorize and token URLs are on the shop's own
 * host, the callback is signed with the client secret (checked before the code is exchanged).
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 */
export function shopifyOAuth2Scheme(options: ShopifyOAuth2Options = {}): AuthScheme {
  return oauth2Scheme({
    displayName: 'OAuth 2.0 (Shopify app)',
    authorizationUrl: 'https://{shop}.myshopify.com/admin/oauth/authorize',
    tokenUrl: 'https://{shop}.myshopify.com/admin/oauth/access_token',
    // Sent in the body of the authorization-code exchange only, never with a refresh.
    ...(options.expiringOfflineTokens ? { tokenParams: { expiring: '1' } } : {}),
    defaultScopes: [...SHOPIFY_DEFAULT_SCOPES],
    scopeSeparator: ',',
    // Shopify's authorization code grant documents no PKCE; the client secret goes in the body.
    pkce: false,
    clientAuthMethod: 'client_secret_post',
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    verifyCallback: verifyShopifyCallback,
    fields: [shopField],
    tokenPlacements: [tokenPlacement('access_token')],
    placements: [shopPlacement],
  });
}
