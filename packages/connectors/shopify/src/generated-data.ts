import { createJsonReader } from '@plugboard/core';

const readJson = createJsonReader(
  import.meta.url,
  "Shopify's generated actions are read from a JSON file with Node's module loader (Node.js 20.16 or later, Deno, Bun); this runtime has only the curated actions, SHOPIFY_GRAPHQL_QUERY and SHOPIFY_BULK_EXPORT.",
);

/**
 * One JSON file of src/generated/ (dist/generated/ once built), read synchronously the first time
 * the catalogue needs it and never at import: the Admin API catalogue is 1 MB, and a module holding
 * it cost every importing process the time to read and scan it. This module sits at the package
 * root so that the relative path is the same in src/ and in the bundled dist/.
 */
export function readGeneratedJson(file: string): unknown {
  return readJson(`./generated/${file}`);
}
