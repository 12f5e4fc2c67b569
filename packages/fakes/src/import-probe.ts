import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ImportProbeOptions {
  /** Absolute path (or file URL) of the built entry point, e.g. `fileURLToPath(new URL('../dist/index.js', import.meta.url))`. */
  entry: string;
  /**
   * JavaScript run with the imported module as `module` before the probe stops counting, to check
   * that calling a factory has no side effect either; its value (JSON-serialisable) is returned as `result`.
   * @example "module.shopifyConnector({ apiVersion: '2026-10' }).baseUrl"
   */
  exercise?: string;
  /** The child's environment, on top of `PATH`: put tempting variables here (`GITHUB_TOKEN`, `HTTPS_PROXY`). */
  env?: Record<string, string>;
  /** Where bare imports in `exercise` (`await import('@plugboard/core')`) resolve from. @default the entry's folder */
  cwd?: string;
}

export interface ImportProbeReport {
  /**
   * Environment variables read by package code: a frame of the reading stack is a file. Reads by
   * Node's module loader itself (`NODE_V8_COVERAGE` while it compiles a dependency) are not the
   * package's and are not counted; reads by other Node internals that package code called are.
   */
  reads: string[];
  /** Sockets opened (port or path) and servers started (`'listen'`). */
  sockets: string[];
  /** The value of `exercise`, when given. */
  result: unknown;
}

/**
 * Imports a built package in a fresh Node process and reports the environment variables its code
 * read and the sockets it opened: both must be empty for a connector (no side effects at import).
 */
export function probeImport(options: ImportProbeOptions): ImportProbeReport {
  const entry = options.entry.startsWith('file:') ? new URL(options.entry).pathname : options.entry;
  if (!existsSync(entry)) throw new Error(`probeImport: ${entry} does not exist; build the package first.`);
  const probe = `
const net = require('node:net');
const reads = [];
const sockets = [];
const original = process.env;
const fromPackageCode = (stack) => { const frames = stack.split('\\n').slice(2); const file = frames.findIndex((frame) => /file:\\/\\/|\\(\\//.test(frame) && !frame.includes('[eval]')); return file !== -1 && !frames.slice(0, file).some((frame) => frame.includes('node:internal/modules/')); };
process.env = new Proxy(original, { get(target, key) { if (typeof key === 'string' && fromPackageCode(new Error().stack)) reads.push(key); return Reflect.get(target, key); } });
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { sockets.push(String(args[0] && (args[0].port || args[0].path || args[0]))); return connect.apply(this, args); };
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) { sockets.push('listen'); return listen.apply(this, args); };
import(${JSON.stringify(new URL(`file://${entry}`).href)}).then(async (module) => {
  const result = await (async () => (${options.exercise ?? 'undefined'}))();
  process.env = original;
  process.stdout.write(JSON.stringify({ reads, sockets, result: result === undefined ? null : result }));
});
`;
  const output = execFileSync(process.execPath, ['-e', probe], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: options.cwd ?? dirname(entry),
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
  });
  return JSON.parse(output) as ImportProbeReport;
}
