import { PlugboardError } from '@plugboard/core';

type RequireFunction = (id: string) => unknown;
let requireJson: RequireFunction | undefined;

/**
 * One JSON file of src/generated/ (dist/generated/ once built), read synchronously the first time
 * the catalogue needs it and never at import: the Admin API catalogue is 1 MB, and a module holding
 * it cost every importing process the time to read and scan it. Node's `require` reads JSON; it is
 * reached through `process.getBuiltinModule` rather than an import of node:module, so importing the
 * package stays possible where Node's module loader is missing (edge workers), where only the
 * curated actions work. This module sits at the package root so that the relative path is the same
 * in src/ and in the bundled dist/.
 */
export function readGeneratedJson(file: string): unknown {
  if (requireJson === undefined) {
    const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const nodeModule = runtime?.getBuiltinModule?.('node:module') as
      | { createRequire(url: string): RequireFunction }
      | undefined;
    if (!nodeModule)
      throw new PlugboardError(
        'CONFIGURATION_ERROR',
        "Shopify's generated actions are read from a JSON file with Node's module loader (Node.js 20.16 or later, Deno, Bun); this runtime has only the curated actions, SHOPIFY_GRAPHQL_QUERY and SHOPIFY_BULK_EXPORT.",
      );
    requireJson = nodeModule.createRequire(import.meta.url);
  }
  return requireJson(`./generated/${file}`);
}
