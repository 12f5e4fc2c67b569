import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process, so the test runner's own environment
// reads are not counted; a read counts when a frame of its stack is a file (this package, core, zod).
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
Promise.all([import(${JSON.stringify(entry)}), import('@plugboard/core')]).then(([gmail, core]) => {
  const toolset = core.createToolset({ connectors: [gmail.gmail] });
  const actions = toolset.listActions({ app: 'gmail' }).length;
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, actions }));
});
`;

describe('importing @plugboard/gmail', () => {
  it('reads no environment variable and opens no socket', () => {
    if (!existsSync(entry)) throw new Error('Build @plugboard/gmail first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env['PATH'] ?? '' },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; actions: number };
    expect(report.actions).toBe(10);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
