// `npm install -g @plugboard/cli` into a temporary prefix, then the `plugboard` command as a user
// runs it: the catalogue, a connection with a token taken from the environment, and an action
// against the demo's fake GitHub (the --config module only brings the rerouting fetch).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runOrThrow } from './run-command.mjs';
import { startVendorFakes } from './vendor-fakes.mjs';
import { cliConfigSource, ROUTES_VARIABLE } from './vendor-routes.mjs';

export async function checkGlobalCli({ root, directory, npmEnv, installLine }) {
  const prefix = path.join(directory, 'prefix');
  const home = path.join(directory, 'home');
  await mkdir(home);
  const [command, ...args] = installLine.split(/\s+/);
  const installStarted = Date.now();
  await runOrThrow(command, [...args, '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: directory,
    env: npmEnv,
  });
  const installSeconds = ((Date.now() - installStarted) / 1000).toFixed(1);
  const plugboard = path.join(prefix, 'bin', 'plugboard');
  const config = path.join(directory, 'plugboard.config.mjs');
  await writeFile(config, cliConfigSource());

  const fakes = await startVendorFakes(root);
  try {
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    fakes.github.addPersonalToken(token, 'octocat');
    const env = {
      CI: 'true',
      PLUGBOARD_HOME: path.join(home, '.plugboard'),
      PLUGBOARD_CONFIG: config,
      CHECK_GITHUB_TOKEN: token,
      CHECK_GITHUB_AUTH: `Bearer ${token}`,
      [ROUTES_VARIABLE]: JSON.stringify(fakes.routes),
    };
    const cli = (...cliArgs) => runOrThrow(plugboard, cliArgs, { cwd: home, env, timeoutMs: 60_000 });

    const version = (await cli('--version')).stdout.trim();
    const apps = (await cli('apps')).stdout;
    for (const app of ['github', 'gmail', 'shopify', 'trello']) assert.match(apps, new RegExp(`\\b${app}\\b`), apps);
    const actions = (await cli('actions', 'github')).stdout;
    assert.match(actions, /GITHUB_GET_A_PULL_REQUEST/, actions);

    // Per-call auth: no stored connection, the header's value from the environment.
    const perCall = await cli(
      'run',
      'GITHUB_GET_A_PULL_REQUEST',
      'owner=plugboard-demo',
      'repo=widgets',
      'pull_number=42',
      '--auth-from-env',
      'header:Authorization=CHECK_GITHUB_AUTH',
      '--output',
      'json',
    );
    assert.equal(JSON.parse(perCall.stdout).successful, true, perCall.output);
    assert.equal(
      fakes.github.api.requests.at(-1)?.headers.authorization,
      `Bearer ${token}`,
      'per-call auth reached GitHub',
    );
    assert.ok(!perCall.output.includes(token), 'plugboard run printed the token');

    await cli('connect', 'github', '--auth-mode', 'BEARER_TOKEN', '--secret-from-env', 'token=CHECK_GITHUB_TOKEN');
    const ran = await cli(
      'run',
      'GITHUB_GET_A_PULL_REQUEST',
      'owner=plugboard-demo',
      'repo=widgets',
      'pull_number=42',
      '--output',
      'json',
    );
    const result = JSON.parse(ran.stdout);
    assert.equal(result.successful, true, ran.output);
    assert.equal(result.data.number, 42, ran.output);
    const call = fakes.github.api.requests.at(-1);
    assert.equal(call?.headers.authorization, `Bearer ${token}`, 'the token reached GitHub as a bearer token');
    assert.ok(!ran.output.includes(token), 'plugboard run printed the token');
    return `plugboard ${version} installed in ${installSeconds} s; apps, actions github, run with per-call auth, connect, run ok`;
  } finally {
    await fakes.close();
  }
}
