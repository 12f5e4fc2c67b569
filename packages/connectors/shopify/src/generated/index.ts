// DO NOT EDIT. Written by scripts/generate.mjs (`pnpm --filter @plugboard/shopify generate`) from
// Shopify's GraphQL Admin API schema, version 2026-10, as @shopify/dev-mcp 1.16.0 ships it
// (dist/data/admin_2026-10.json.gz; schema data (c) Shopify, see https://shopify.dev/docs/api/admin-graphql).

import { ADMIN_CATALOGUE_JSON as ADMIN_2026_10 } from './admin-2026-10.js';

/** The Admin API versions the generated actions were built from, newest first. */
export const GENERATED_API_VERSIONS = ['2026-10'] as const;

/** The catalogue JSON of each generated version. */
export const ADMIN_CATALOGUES: Readonly<Record<(typeof GENERATED_API_VERSIONS)[number], string>> = {
  '2026-10': ADMIN_2026_10,
};
