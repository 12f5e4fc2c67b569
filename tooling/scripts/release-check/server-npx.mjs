// `npx @plugboard/server` from the registry in an empty folder, as the server's README starts it:
// no database, no bootstrap; the server must answer /openapi.json and /reference, then stop on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { indent } from './run-command.mjs';

// npx installs the server and its dependencies first: minutes through a cold registry.
const START_TIMEOUT_MS = 240_000;

export async function checkServerNpx({ directory, npmEnv, version }) {
  const started = Date.now();
  // Its own process group, so the stop reaches the server that npx started, not npx alone.
  const child = spawn('npx', ['--yes', `@plugboard/server@${version}`], {
    cwd: directory,
    env: {
      ...process.env,
      ...npmEnv,
      FORCE_COLOR: '0',
      PORT: '0',
      PLUGBOARD_DATA_DIR: path.join(directory, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening on" within ${START_TIMEOUT_MS / 1000} s:\n${indent(output)}`)),
        START_TIMEOUT_MS,
      );
      child.stderr.on('data', (chunk) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npx @plugboard/server exited (${code}) before listening:\n${indent(output)}`));
      });
    });
    const startSeconds = ((Date.now() - started) / 1000).toFixed(1);
    const document = await (await fetch(`${url}/openapi.json`)).json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/v1/actions/{name}/execute'], 'the document describes the execute route');
    const page = await fetch(`${url}/reference`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Plugboard API/);
    const ready = await (await fetch(`${url}/readyz`)).json();
    assert.deepEqual(ready, { status: 'ready' });
    process.kill(-child.pid, 'SIGTERM');
    const code = await exited;
    return {
      note: `npx start (install included) ${startSeconds} s, ${Object.keys(document.paths).length} paths, stopped (${code})`,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  }
}
