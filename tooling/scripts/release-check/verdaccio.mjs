// A throwaway npm registry for the release check: Verdaccio 6.8.0 (the last major that runs on
// Node 20) on 127.0.0.1, with its storage in a temporary folder. Our own package names are served
// only from what the check publishes (never proxied, so a name taken on npmjs.com cannot leak in);
// every other package comes through an uplink to the npm registry this machine is configured with.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { run } from './run-command.mjs';

const START_TIMEOUT_MS = 30_000;

/**
 * Starts Verdaccio in `directory` and registers a user. Resolves with the registry `url` (with a
 * trailing slash), the `npmrc` file to hand npm and pnpm through NPM_CONFIG_USERCONFIG (registry and
 * token), and `stop()`.
 */
export async function startVerdaccio({ directory, binary, ownScopes }) {
  const uplink = await upstreamRegistry();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const own = ownScopes.map((pattern) => `  '${pattern}':\n    access: $all\n    publish: $authenticated\n`).join('');
  const config = path.join(directory, 'config.yaml');
  await writeFile(
    config,
    `storage: ${JSON.stringify(path.join(directory, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(path.join(directory, 'htpasswd'))}
    max_users: 1
uplinks:
  npmjs:
    url: ${JSON.stringify(uplink)}
    timeout: 60s
    maxage: 30m
packages:
${own}  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
max_body_size: 200mb
log: { type: stdout, format: pretty, level: warn }
`,
  );
  const child = spawn(binary, ['--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: directory,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, delay(5_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${log}`);
      try {
        const ping = await fetch(new URL('-/ping', url));
        if (ping.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${log}`);
      await delay(200);
    }
    // A user for publishing; Verdaccio answers the npm login call with a token.
    const login = await fetch(new URL('-/user/org.couchdb.user:plugboard-release', url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'plugboard-release', password: `check-${port}-${Date.now()}` }),
    });
    const { token } = await login.json();
    if (!login.ok || typeof token !== 'string') throw new Error(`verdaccio refused the user (${login.status})`);
    const npmrc = path.join(directory, 'npmrc');
    await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
    return { url, npmrc, uplink, log: () => log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The registry npm is configured with here (a mirror on CI), else npmjs. */
async function upstreamRegistry() {
  const result = await run('npm', ['config', 'get', 'registry'], { timeoutMs: 30_000 });
  const configured = result.code === 0 ? result.stdout.trim() : '';
  return /^https?:\/\//.test(configured) ? configured : 'https://registry.npmjs.org/';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
