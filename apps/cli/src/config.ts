import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolsetOptions } from '@plugboard/core';
import { CliError } from './cli-error.js';
import { EXIT_USAGE_ERROR } from './exit-codes.js';

/** What a `--config` module's default export may give: anything `createToolset` takes except the store. */
export type CliConfig = Omit<ToolsetOptions, 'store'>;

/** The options every command inherits from `plugboard`. */
export interface GlobalOptions {
  storeDir?: string;
  config?: string;
}

/**
 * The toolset options from `--config` (or `PLUGBOARD_CONFIG`): the module's default export, an
 * object or a function returning one. Without `connectors`, or without a config at all, the
 * built-in GitHub, Gmail, Shopify and Trello connectors are used.
 */
export async function loadConfig(globals: GlobalOptions): Promise<CliConfig> {
  const path = globals.config ?? nonEmpty(process.env['PLUGBOARD_CONFIG']);
  let config: CliConfig = {};
  if (path !== undefined) {
    const absolute = resolve(path);
    if (!existsSync(absolute))
      throw new CliError(`config module not found: ${path}`, {
        hint: 'give --config (or PLUGBOARD_CONFIG) the path of an ES module whose default export holds toolset options',
        exitCode: EXIT_USAGE_ERROR,
      });
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    } catch (error) {
      throw new CliError(
        `the config module ${path} failed to load: ${error instanceof Error ? error.message : String(error)}`,
        { hint: 'PLUGBOARD_DEBUG=1 prints the stack', cause: error },
      );
    }
    const exported = typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
    if (typeof exported !== 'object' || exported === null) {
      throw new CliError(`the config module ${path} has no default export object`, {
        hint: 'export default { connectors: [...], oauthApps: {...} }',
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    config = exported as CliConfig;
  }
  if (config.connectors === undefined) config = { ...config, connectors: await builtInConnectors() };
  return config;
}

async function builtInConnectors() {
  const [{ github }, { gmail }, { shopify }, { trello }] = await Promise.all([
    import('@plugboard/github'),
    import('@plugboard/gmail'),
    import('@plugboard/shopify'),
    import('@plugboard/trello'),
  ]);
  return [github, gmail, shopify, trello];
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
