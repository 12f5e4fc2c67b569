import { PlugboardError } from '../errors.js';

type RequireFunction = (id: string) => unknown;

/**
 * A reader of the JSON files a connector generates and ships beside its code (large catalogues:
 * GitHub's operations and schemas, Shopify's Admin API), read synchronously the first time an
 * action needs them and never at import, since a module holding megabytes of data costs every
 * importing process the time to read and scan it. Paths are relative to `moduleUrl`
 * (`import.meta.url` of the calling module). Node's `require` reads the JSON; it is reached
 * through `process.getBuiltinModule` rather than an import of node:module, so the connector stays
 * importable where Node's module loader is missing (edge workers): there the reader throws
 * `CONFIGURATION_ERROR` with `unavailable` as its message, and only the actions that need no
 * generated data work.
 * @example
 * const readJson = createJsonReader(import.meta.url, 'Acme's generated actions need Node.js 20.16 or later.');
 * const operations = readJson('./generated/operations.json');
 */
export function createJsonReader(moduleUrl: string, unavailable: string): (path: string) => unknown {
  let requireJson: RequireFunction | undefined;
  return (path) => {
    if (requireJson === undefined) {
      const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const nodeModule = runtime?.getBuiltinModule?.('node:module') as
        | { createRequire(url: string): RequireFunction }
        | undefined;
      if (!nodeModule) throw new PlugboardError('CONFIGURATION_ERROR', unavailable);
      requireJson = nodeModule.createRequire(moduleUrl);
    }
    return requireJson(path);
  };
}
