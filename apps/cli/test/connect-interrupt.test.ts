// When `plugboard connect` stops waiting for the OAuth callback without a connection (Ctrl-C,
// --timeout): the listener stops, the connection it started is deleted, and the store is free for
// the next command. Ctrl-C once as a signal to a process without a terminal, once as the key typed
// at a terminal: one line, exit 130.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from './fake-servers.js';
import {
  acmeConfig,
  assertBuilt,
  bin,
  cleanupsAfterEach,
  parseJson as json,
  runCli,
  startCli,
  temporaryDirectory,
  type RunningCli,
} from './run-cli.js';

beforeAll(assertBuilt);

const cleanups = cleanupsAfterEach();

async function setup() {
  const fake: FakeServer = await startFakeServer();
  cleanups.push(() => fake.close());
  const home = await temporaryDirectory(cleanups);
  const env = { ...fake.env, PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig };
  const plugboard = (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env, ...extra });
  await plugboard([
    'integrations',
    'create',
    'acme',
    '--auth-mode',
    'OAUTH2',
    '--set',
    'client_id=cid-1',
    '--set',
    'client_secret=client-secret-1',
  ]);
  return { fake, home, env, plugboard };
}

/** Ends the process if a test fails before it exits by itself. */
function killLater(running: RunningCli): void {
  cleanups.push(async () => {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await running.done.catch(() => undefined);
  });
}

/** After the interruption: nothing is left of the attempt, the callback finds no listener, and the store takes a write. */
async function expectCleanStore(setupResult: Awaited<ReturnType<typeof setup>>, callbackUrl: string) {
  const { fake, home, plugboard } = setupResult;
  await expect(fetch(callbackUrl)).rejects.toThrow();
  expect(fake.grants).toEqual([]);
  expect(existsSync(join(home, 'store.lock'))).toBe(false);
  expect(json((await plugboard(['connections', 'list', '--json'])).stdout)).toEqual([]);
  const next = await plugboard(['connect', 'acme', '--entity', 'after', '--set', 'api_key=key-after']);
  expect(next).toMatchObject({ code: 0, stderr: '' });
  expect(
    json<{ entityId: string; status: string }[]>((await plugboard(['connections', 'list', '--json'])).stdout),
  ).toEqual([expect.objectContaining({ entityId: 'after', status: 'ACTIVE' })]);
}

describe('Ctrl-C while connect waits for the browser', () => {
  it('SIGINT: the listener stops, the pending connection is deleted, one line, exit 130; the next command works', async () => {
    const context = await setup();
    const connecting = startCli(
      ['connect', 'acme', '--auth-mode', 'OAUTH2', '--entity', 'quitter', '--timeout', '120'],
      context.env,
    );
    killLater(connecting);
    const [authorizationUrl = ''] = await connecting.waitFor(
      'stdout',
      new RegExp(`${context.fake.oauth.url.replace(/[.]/g, '\\.')}/authorize\\?\\S+`),
    );
    await connecting.waitFor('stderr', /waiting for the browser.*\n/);
    const pending = json<{ entityId: string; status: string }[]>(
      (await context.plugboard(['connections', 'list', '--json'])).stdout,
    );
    expect(pending).toEqual([expect.objectContaining({ entityId: 'quitter', status: 'INITIATED' })]);

    const before = connecting.output.stderr.length;
    connecting.child.kill('SIGINT');
    const { code, stdout, stderr } = await connecting.done;
    expect(code).toBe(130);
    expect(stderr.slice(before)).toBe('error: cancelled; acme is not connected for entity quitter\n');
    expect(stdout).not.toMatch(/connected acme/);

    // The state in the authorization URL belongs to no pending connection any more.
    const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '';
    const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
    await expectCleanStore(context, `${redirectUri}?code=code-1&state=${state}`);
  });

  it('Ctrl-C typed at a terminal (the spinner is showing): the same, exit 130', async () => {
    const context = await setup();
    // script(1) gives the CLI a pseudo-terminal; ^C written to it is the key a person presses.
    const command = `stty cols 100 rows 40; exec ${[process.execPath, bin, 'connect', 'acme', '--auth-mode', 'OAUTH2', '--entity', 'typist', '--timeout', '120', '--no-open'].map((part) => `'${part}'`).join(' ')}`;
    const session = startCli([], { ...context.env, TERM: 'xterm' }, ['script', '-qfec', command, '/dev/null']);
    killLater(session);
    const [authorizationUrl = ''] = await session.waitFor(
      'stdout',
      new RegExp(`${context.fake.oauth.url.replace(/[.]/g, '\\.')}/authorize\\?[^\\s\\x1b]+`),
    );
    await session.waitFor('stdout', /waiting for the browser/);
    session.child.stdin.write('\x03');
    const { code, stdout } = await session.done;
    expect(code).toBe(130);
    expect(stdout).toContain('error: cancelled; acme is not connected for entity typist');
    expect(stdout).not.toMatch(/connected acme for entity/);

    const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '';
    await expectCleanStore(context, `${redirectUri}?code=code-1&state=x`);
  });

  it('--timeout passing: the same clean-up, exit 1 with a hint', async () => {
    const context = await setup();
    const connecting = startCli(
      ['connect', 'acme', '--auth-mode', 'OAUTH2', '--entity', 'slow', '--timeout', '1'],
      context.env,
    );
    killLater(connecting);
    const [authorizationUrl = ''] = await connecting.waitFor(
      'stdout',
      new RegExp(`${context.fake.oauth.url.replace(/[.]/g, '\\.')}/authorize\\?\\S+`),
    );
    const { code, stderr } = await connecting.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /\nerror: no callback from the browser within 1 s; acme is not connected for entity slow\nhint: run the command again \(the browser step must finish within --timeout seconds\)\n$/,
    );
    const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '';
    await expectCleanStore(context, `${redirectUri}?code=code-1&state=x`);
  });
});
