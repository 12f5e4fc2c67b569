#!/usr/bin/env node
import { MCP_CLI_USAGE, UsageError, runMcpCli } from './run-mcp-cli.js';

try {
  const running = await runMcpCli(process.argv.slice(2));
  if (running) {
    const stop = () => void running.close().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`plugboard-mcp: ${message}\n${error instanceof UsageError ? `\n${MCP_CLI_USAGE}\n` : ''}`);
  process.exitCode = 1;
}
