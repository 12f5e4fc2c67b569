import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MCP_CLI_USAGE, UsageError, runMcpCli } from './index.js';

const noToolset = fileURLToPath(new URL('../test/no-toolset.mjs', import.meta.url));

describe('runMcpCli', () => {
  it('prints the usage for --help and refuses a bad command line before loading anything', async () => {
    let written = '';
    expect(await runMcpCli(['--help'], { stderr: { write: (text: string) => (written += text) } })).toBeUndefined();
    expect(written).toContain(MCP_CLI_USAGE);
    await expect(runMcpCli([])).rejects.toBeInstanceOf(UsageError);
    await expect(runMcpCli(['config.mjs', '--transport', 'sse'])).rejects.toThrow(/Unknown transport "sse"/);
    await expect(runMcpCli(['config.mjs', '--transport', 'http', '--port', 'abc'])).rejects.toThrow(/Invalid port/);
  });

  it('says so when the config module exports no toolset', async () => {
    await expect(runMcpCli([noToolset])).rejects.toThrow(/exports no toolset/);
  });
});
