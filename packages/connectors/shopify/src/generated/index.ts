// DO NOT EDIT. Written by scripts/generate.mjs (`pnpm --filter @plugboard/shopify generate`) from
// Shopify's GraphQL Admin API schema, version 2026-10, as @shopify/dev-mcp 1.16.0 ships it
// (dist/data/admin_2026-10.json.gz; schema data (c) Shopify, see https://shopify.dev/docs/api/admin-graphql).

/** The Admin API versions the generated actions were built from, newest first. */
export const GENERATED_API_VERSIONS = ['2026-10'] as const;

/** The catalogue file of each generated version, in this folder. */
export const ADMIN_CATALOGUE_FILES: Readonly<Record<(typeof GENERATED_API_VERSIONS)[number], string>> = {
  '2026-10': 'admin-2026-10.json',
};

/** How many queries and mutations each catalogue holds: listApps counts them without reading the file. */
export const ADMIN_OPERATION_COUNTS: Readonly<Record<(typeof GENERATED_API_VERSIONS)[number], number>> = {
  '2026-10': 812,
};
