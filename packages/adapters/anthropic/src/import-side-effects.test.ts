import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported, and an adapter created, in a fresh Node process: no environment
// variable may be read and no socket opened. A read counts when a frame of its stack is a file (of
// this package or its dependencies), not Node's own internals.
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const probe = `
const net = require('node:net');
const reads = [];
const sockets = [];
const original = process.env;
const fromPackageCode = (stack) => stack.split('\\n').slice(2).some((frame) => /file:\\/\\/|\\(\\//.test(frame) && !frame.includes('[eval]'));
process.env = new Proxy(original, { get(target, key) { if (typeof key === 'string' && fromPackageCode(new Error().stack)) reads.push(key); return Reflect.get(target, key); } });
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { sockets.push(String(args[0] && (args[0].port || args[0].path || args[0]))); return connect.apply(this, args); };
import(${JSON.stringify(entry)}).then((anthropic) => {
  const toolset = { listActions: () => [], executeAction: async () => ({ successful: true, data: null, error: null }) };
  const adapter = anthropic.createAnthropicAdapter(toolset);
  const tools = adapter.getTools();
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, tools }));
});
`;

describe('importing @plugboard/anthropic', () => {
  it('reads no environment variable and opens no socket, even when an adapter is created', () => {
    if (!existsSync(entry))
      throw new Error('Build @plugboard/anthropic first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        ANTHROPIC_API_KEY: 'sk-ant-probe',
        ANTHROPIC_BASE_URL: 'https://anthropic.invalid',
      },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; tools: unknown[] };
    expect(report.tools).toEqual([]);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
