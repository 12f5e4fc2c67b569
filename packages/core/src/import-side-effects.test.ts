import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported in a fresh Node process, so nothing from the test runner itself
// (which reads its own environment variables) is counted. Reads made by Node's own internals
// (its module loader, the bundled undici that ky's feature checks wake up) are not the package's:
// a read counts when a frame of the stack is a file of the package or its dependencies.
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
import(${JSON.stringify(entry)}).then((core) => {
  core.createToolset();
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, exports: Object.keys(core).length }));
});
`;

describe('importing @plugboard/core', () => {
  it('reads no environment variable and opens no socket', () => {
    if (!existsSync(entry))
      throw new Error('Build @plugboard/core first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; exports: number };
    expect(report.exports).toBeGreaterThan(10);
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
