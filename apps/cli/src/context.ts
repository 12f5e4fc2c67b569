import { createToolset, type Toolset, type ToolsetOptions } from '@plugboard/core';
import type { Command } from 'commander';
import { loadConfig, type CliConfig, type GlobalOptions } from './config.js';
import { openStore, type OpenedStore } from './store.js';

/** Everything a command needs: the toolset over the CLI's store. */
export interface CliContext {
  toolset: Toolset;
  opened: OpenedStore;
  globals: GlobalOptions;
  config: CliConfig;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Opens the store and the toolset for one command, runs `body`, and always closes the store. */
export async function withToolset<T>(
  command: Command,
  body: (context: CliContext) => Promise<T>,
  extra: Partial<ToolsetOptions> = {},
): Promise<T> {
  const globals = globalsOf(command);
  const config = await loadConfig(globals);
  const opened = await openStore(globals);
  try {
    const toolset = createToolset({ ...config, ...extra, store: opened.store });
    return await body({ toolset, opened, globals, config });
  } finally {
    await opened.close();
  }
}

/** A toolset without a store, for the catalogue commands. */
export async function catalogueToolset(command: Command): Promise<Toolset> {
  return createToolset(await loadConfig(globalsOf(command)));
}
