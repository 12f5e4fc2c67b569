import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process: it may read no environment variable and
// open no socket or server until a transport is started. A read counts when the code reading is a
// file (of this package or of its dependencies), not Node's own internals: Node's CommonJS loader
// reads NODE_V8_COVERAGE itself while loading the SDK's CommonJS dependencies.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const probe = `
const net = require('node:net');
const reads = [];
const sockets = [];
const original = process.env;
const fromPackageCode = (stack) => { const reader = stack.split('\\n')[2] ?? ''; return /file:\\/\\/|\\(\\//.test(reader) && !reader.includes('[eval]'); };
process.env = new Proxy(original, { get(target, key) { if (typeof key === 'string' && fromPackageCode(new Error().stack)) reads.push(key); return Reflect.get(target, key); } });
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { sockets.push(String(args[0] && (args[0].port || args[0].path || args[0]))); return connect.apply(this, args); };
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) { sockets.push('listen'); return listen.apply(this, args); };
import(${JSON.stringify(entry)}).then((mcp) => {
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, exports: Object.keys(mcp).sort() }));
});
`;

describe('importing @plugboard/mcp', () => {
  it('reads no environment variable and opens no socket', () => {
    if (!existsSync(entry))
      throw new Error('Build @plugboard/mcp first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; exports: string[] };
    expect(report.exports).toEqual([
      'MCP_CLI_USAGE',
      'UsageError',
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
