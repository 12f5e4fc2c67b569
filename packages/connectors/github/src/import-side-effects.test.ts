import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package is imported, and a GitHub Enterprise connector made, in a fresh Node process:
// no environment variable may be read by package code and no socket opened. A read counts when a
// frame of its stack is a file (this package or its dependencies), not Node's own internals.
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
import(${JSON.stringify(entry)}).then((module) => {
  const enterprise = module.githubConnector({ baseUrl: 'https://ghe.example.com/api/v3' });
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, id: module.github.id, enterprise: enterprise.baseUrl }));
});
`;

describe('importing @plugboard/github', () => {
  it('reads no environment variable and opens no socket, even when a connector is made', () => {
    if (!existsSync(entry)) throw new Error('Build @plugboard/github first (pnpm build): this test imports dist/index.js.');
    const output = execFileSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', GITHUB_TOKEN: 'ghp_probe', GITHUB_API_URL: 'https://ghe.invalid/api/v3', HTTPS_PROXY: 'http://proxy.invalid:1' },
    });
    const report = JSON.parse(output) as { reads: string[]; sockets: string[]; id: string; enterprise: string };
    expect(report).toEqual({ reads: [], sockets: [], id: 'github', enterprise: 'https://ghe.example.com/api/v3' });
  });
});
