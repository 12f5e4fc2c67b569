import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ToolSelection, ToolsetForAgents } from '@plugboard/core';
import { serveStdio } from './stdio.js';
import { serveHttp, type ServeHttpOptions } from './streamable-http.js';

export const MCP_CLI_USAGE = `Usage: plugboard-mcp <config-module> [options]

Serves the toolset a module exports (\`export const toolset\` or a default export) as MCP tools.
The module may also export \`mcp\`: options for serveStdio / serveHttp (e.g. authenticate).

Options:
  --transport <stdio|http>      default: stdio
  --port <number>               http: default 3333
  --host <address>              http: default 127.0.0.1
  --path <path>                 http: default /mcp
  --entity <id>                 run every call as this entity (default: "default")
  --connected-account <id>      run every call with this connection
  --entity-header <name>        http: take the entity from this header; only behind a trusted proxy
  --apps <a,b>  --actions <A,B>  --tags <x,y>   which actions to offer
  --read-only                   offer only actions that only read
  --router                      offer three tools (search, get schema, execute) instead of one per action
  -h, --help`;

/** What the CLI needs to talk back; the bin passes the process's own streams. */
export interface McpCliIo {
  stderr: { write(text: string): unknown };
}

/**
 * Runs the `plugboard-mcp` command: loads a config module exporting a toolset and serves it over
 * stdio (until stdin closes) or Streamable HTTP (until `close` is called or the process stops).
 * The `plugboard mcp` command of the Plugboard CLI wraps this. Resolves once the server is up.
 */
export async function runMcpCli(
  argv: readonly string[],
  io: McpCliIo = { stderr: process.stderr },
): Promise<{ close(): Promise<void> } | undefined> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      transport: { type: 'string', default: 'stdio' },
      port: { type: 'string', default: '3333' },
      host: { type: 'string', default: '127.0.0.1' },
      path: { type: 'string', default: '/mcp' },
      entity: { type: 'string' },
      'connected-account': { type: 'string' },
      'entity-header': { type: 'string' },
      apps: { type: 'string' },
      actions: { type: 'string' },
      tags: { type: 'string' },
      'read-only': { type: 'boolean' },
      router: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stderr.write(`${MCP_CLI_USAGE}\n`);
    return undefined;
  }
  const [configPath] = positionals;
  if (!configPath || positionals.length > 1) throw new UsageError('Give exactly one config module path.');
  if (values.transport !== 'stdio' && values.transport !== 'http')
    throw new UsageError(`Unknown transport "${values.transport}": use stdio or http.`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`Invalid port "${values.port}".`);

  const config = (await import(pathToFileURL(resolve(configPath)).href)) as {
    toolset?: unknown;
    default?: unknown;
    mcp?: ServeHttpOptions;
  };
  const toolset = config.toolset ?? config.default;
  if (!isToolset(toolset))
    throw new UsageError(`${configPath} exports no toolset: export const toolset = createToolset({ ... }).`);

  const options: ServeHttpOptions = { ...config.mcp };
  const selection: ToolSelection = { ...options.selection };
  if (values.apps) selection.apps = list(values.apps);
  if (values.actions) selection.actions = list(values.actions);
  if (values.tags) selection.tags = list(values.tags);
  if (values['read-only']) selection.readOnly = true;
  if (values.router) selection.mode = 'router';
  options.selection = selection;
  if (values.entity !== undefined) options.entityId = values.entity;
  if (values['connected-account'] !== undefined) options.connectedAccountId = values['connected-account'];

  if (values.transport === 'stdio') {
    if (values['entity-header']) throw new UsageError('--entity-header needs --transport http.');
    return serveStdio(toolset, options);
  }
  if (values['entity-header']) options.entityHeader = values['entity-header'];
  const running = await serveHttp(toolset, { ...options, port, host: values.host, path: values.path });
  io.stderr.write(`plugboard-mcp: serving ${running.url}\n`);
  return running;
}

/** A mistake in the command line; the bin prints it with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isToolset(value: unknown): value is ToolsetForAgents {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ToolsetForAgents).listActions === 'function' &&
    typeof (value as ToolsetForAgents).executeAction === 'function'
  );
}
