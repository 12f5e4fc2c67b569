import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { EXIT_USAGE_ERROR } from '../exit-codes.js';

/** The options `plugboard mcp` declares, as commander names them. */
export interface McpCommandOptions {
  transport?: string;
  port?: string;
  host?: string;
  path?: string;
  entity?: string;
  connectedAccount?: string;
  entityHeader?: string;
  apps?: string;
  actions?: string;
  tags?: string;
}

/**
 * Each declared option and the `plugboard-mcp` flag it becomes. The flags are runMcpCli's own,
 * so `plugboard mcp` and `plugboard-mcp` accept the same command line; defaults stay runMcpCli's.
 */
const PASSED_THROUGH: readonly (readonly [keyof McpCommandOptions, string])[] = [
  ['transport', '--transport'],
  ['port', '--port'],
  ['host', '--host'],
  ['path', '--path'],
  ['entity', '--entity'],
  ['connectedAccount', '--connected-account'],
  ['entityHeader', '--entity-header'],
  ['apps', '--apps'],
  ['actions', '--actions'],
  ['tags', '--tags'],
];

/** The argv runMcpCli receives for `plugboard mcp <config> [options]`: only the options given. */
export function toMcpCliArgv(config: string, options: McpCommandOptions): string[] {
  const argv = [config];
  for (const [key, flag] of PASSED_THROUGH) {
    const value = options[key];
    if (value !== undefined) argv.push(flag, value);
  }
  return argv;
}

export function createMcpCommand(): Command {
  return new Command('mcp')
    .description("serve a toolset's actions as MCP tools over stdio or Streamable HTTP")
    .argument(
      '<config>',
      'a JavaScript module exporting `toolset` (or a default export), optionally `mcp` server options',
    )
    .addOption(
      new Option('--transport <transport>', 'how MCP clients reach the server (default: stdio)').choices([
        'stdio',
        'http',
      ]),
    )
    .addOption(
      new Option('--port <number>', 'http: the port to listen on, 0 for any free one (default: 3333)').argParser(
        parsePort,
      ),
    )
    .option('--host <address>', 'http: the address to listen on (default: 127.0.0.1)')
    .option('--path <path>', 'http: the endpoint path (default: /mcp)')
    .option('--entity <id>', 'run every call as this entity (default: "default")')
    .option('--connected-account <id>', 'run every call with this connection')
    .option('--entity-header <name>', 'http: take the entity from this request header; only behind a trusted proxy')
    .option('--apps <a,b>', 'offer only these apps’ actions')
    .option('--actions <A,B>', 'offer only these actions')
    .option('--tags <x,y>', 'offer only actions with these tags')
    .helpOption('-h, --help', 'show help')
    .addHelpText(
      'after',
      `
The config module is plain JavaScript (or anything Node can import), for example:
  import { createToolset } from '@plugboard/core';
  export const toolset = createToolset({ connectors: [github] });

Examples:
  plugboard mcp ./toolset.mjs --entity user-42
  plugboard mcp ./toolset.mjs --transport http --port 3333 --tags read`,
    )
    .action(async (config: string, options: McpCommandOptions) => {
      // Checked here so a typo in the path is a usage error with a hint, not an import stack.
      if (!existsSync(resolve(config)))
        throw new CliError(`config module not found: ${config}`, {
          hint: 'give the path of a module that exports a toolset',
          exitCode: EXIT_USAGE_ERROR,
        });
      // Loaded here, not at the top: the MCP SDK takes most of a second to import, and
      // `plugboard --version` or any other command should not pay for it.
      const { UsageError, runMcpCli } = await import('@plugboard/mcp');
      let running: { close(): Promise<void> } | undefined;
      try {
        running = await runMcpCli(toMcpCliArgv(config, options));
      } catch (error) {
        throw toCliError(error, options, error instanceof UsageError);
      }
      if (running) {
        const server = running;
        const stop = () => void server.close().finally(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
    });
}

function parsePort(value: string): string {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('Use a whole number from 0 to 65535.');
  return value;
}

function toCliError(error: unknown, options: McpCommandOptions, isUsageError: boolean): CliError {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // runMcpCli parses with node:util parseArgs too; its complaints are the command line's fault.
  if (isUsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))) {
    return new CliError(message, { hint: 'see plugboard mcp --help', exitCode: EXIT_USAGE_ERROR, cause: error });
  }
  if (code === 'EADDRINUSE')
    return new CliError(message, {
      hint: `port ${options.port ?? '3333'} is taken: pass another --port, or --port 0 for any free one`,
      cause: error,
    });
  return new CliError(message, {
    hint: 'the config module failed to load or the server failed to start; PLUGBOARD_DEBUG=1 prints the stack',
    cause: error,
  });
}
