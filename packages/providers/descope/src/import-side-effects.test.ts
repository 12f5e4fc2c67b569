import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported, and a provider created, in a fresh Node process whose environment
// holds Descope settings: none of them may be read, and no socket opened, before credentials are
// requested. A read counts when a frame of its stack is a file (of this package or of its
// dependencies), not Node's own internals.
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
import(${JSON.stringify(entry)}).then((descope) => {
  const provider = descope.descopeProvider({ appId: 'github', scopes: ['repo'] });
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, name: provider.name }));
});
`;

describe('importing @plugboard/descope', () => {
  it('reads no environment variable and opens no socket, even when a provider is created', () => {
    if (!existsSync(entry))
      throw new Error('Build @plugboard/descope first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        DESCOPE_PROJECT_ID: 'P-probe',
        DESCOPE_MANAGEMENT_KEY: 'K-probe',
        DESCOPE_BASE_URL: 'https://descope.invalid',
      },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; name: string };
    expect(report.name).toBe('descope');
    expect(report.reads).toEqual([]);
    expect(report.sockets).toEqual([]);
  });
});
