import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process: it may read no environment variable and
// open no socket or server until a transport is started.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('importing @plugboard/mcp', () => {
  it('reads no environment variable and opens no socket', () => {
    const report = probeImport({ entry, exercise: 'Object.keys(module).sort()' });
    expect(report.result).toEqual([
      'MCP_CLI_USAGE',
      'UsageError',
      'buildMcpServer',
      'createMcpServer',
      'createStreamableHttpHandler',
      'runMcpCli',
      'serveHttp',
      'serveStdio',
      'toCallToolResult',
      'toMcpTool',
    ]);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
