import { Command, InvalidArgumentError } from 'commander';

interface ServeOptions {
  port?: string;
  host?: string;
  dataDir?: string;
}

/**
 * `plugboard serve`: the HTTP API of `@plugboard/server`, configured by its environment variables;
 * the options set the three most often changed.
 */
export function createServeCommand(): Command {
  return new Command('serve')
    .description('serve the Plugboard HTTP API (projects, API keys, OpenAPI) on the embedded store or PostgreSQL')
    .option('--port <number>', 'the port to listen on, 0 for any free one (default: $PORT or 8080)', parsePort)
    .option('--host <address>', 'the address to listen on (default: $HOST or 127.0.0.1)')
    .option('--data-dir <dir>', 'the server’s embedded store (default: $PLUGBOARD_DATA_DIR or ./.plugboard-server)')
    .addHelpText(
      'after',
      `
Every other setting is an environment variable of plugboard-server: DATABASE_URL, PLUGBOARD_SECRET_KEY,
PLUGBOARD_PUBLIC_URL, PLUGBOARD_CORS_ORIGINS, PLUGBOARD_RATE_LIMIT, PLUGBOARD_BODY_LIMIT.
The first project and its admin key come from \`plugboard-server bootstrap\` (or \`pnpm run server bootstrap\`).

Examples:
  plugboard serve
  plugboard serve --port 3000 --data-dir ./server-data`,
    )
    .action(async (options: ServeOptions) => {
      const env: Record<string, string | undefined> = { ...process.env };
      if (options.port !== undefined) env['PORT'] = options.port;
      if (options.host !== undefined) env['HOST'] = options.host;
      if (options.dataDir !== undefined) env['PLUGBOARD_DATA_DIR'] = options.dataDir;
      // Loaded here: the server's modules cost nothing to the other commands.
      const { startServer } = await import('@plugboard/server');
      const { listening, notice } = await startServer(env);
      process.stderr.write(notice);
      const stop = () => void listening.close().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function parsePort(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError('Use a whole number from 0 to 65535.');
  return value;
}
