// Drives the built binary (dist/cli.js) as a subprocess, the way a person or an MCP client runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from './fake-api.js';
import { cleanupsAfterEach } from './run-cli.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const config = 'test/fixtures/toolset.mjs';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('Build @plugboard/cli first (pnpm build): these tests spawn dist/cli.js.');
});

const cleanups = cleanupsAfterEach();

async function fakeApi(): Promise<FakeApi> {
  const api = await startFakeApi();
  cleanups.push(() => api.close());
  return api;
}

/** Runs `plugboard ...args` to completion. */
function plugboard(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: packageDirectory,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function connect(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: 'plugboard-cli-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) =>
  (result.content[0]?.type === 'text' ? JSON.parse(result.content[0].text) : undefined) as unknown;

describe('plugboard', () => {
  it('--version prints the package version', async () => {
    expect(await plugboard(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands and the exit codes', async () => {
    const { code, stdout, stderr } = await plugboard(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: plugboard /);
    expect(stdout).toMatch(/^\s+mcp \[options\] <config>\s+serve a toolset/m);
    expect(stdout).toMatch(
      /^Exit codes:\n {2}0 +ok\n {2}1 +runtime error.*\n {2}2 +usage error.*\n {2}3 +no usable connection.*\n {2}4 +the secret key.*\n {2}130 +cancelled \(Ctrl-C or Escape at a prompt, Ctrl-C while connect waits for the browser\)$/m,
    );
    for (const command of [
      'apps',
      'actions',
      'action',
      'schemes',
      'integrations',
      'connect',
      'connections',
      'run',
      'keys',
      'store',
    ])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('an unknown command exits 2 with an error line naming the nearest command and a hint saying where help is', async () => {
    const { code, stdout, stderr } = await plugboard(['mpc']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "error: unknown command 'mpc' (Did you mean mcp?)\nhint: usage: plugboard [options] [command]; see plugboard --help\n",
    );
  });
});

describe('plugboard mcp: usage errors exit 2 with one line and the usage', () => {
  it.each([
    [[], "missing required argument 'config'"],
    [[config, 'extra.mjs'], "too many arguments for 'mcp'. Expected 1 argument but got 2."],
    [[config, '--bogus'], "unknown option '--bogus'"],
    [
      [config, '--transport', 'sse'],
      "option '--transport <transport>' argument 'sse' is invalid. Allowed choices are stdio, http.",
    ],
    [
      [config, '--port', '80a'],
      "option '--port <number>' argument '80a' is invalid. Use a whole number from 0 to 65535.",
    ],
  ])('plugboard mcp %j', async (args, message) => {
    const { code, stdout, stderr } = await plugboard(['mcp', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${message}\nhint: usage: plugboard mcp [options] <config>; see plugboard mcp --help\n`);
  });

  it('a config path that does not exist', async () => {
    expect(await plugboard(['mcp', 'missing.mjs'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: config module not found: missing.mjs\nhint: give the path of a module that exports a toolset\n',
    });
  });

  it('an option runMcpCli refuses: --entity-header over stdio', async () => {
    const api = await fakeApi();
    const { code, stderr } = await plugboard(['mcp', config, '--entity-header', 'X-Entity'], { FAKE_API_URL: api.url });
    expect(code).toBe(2);
    expect(stderr).toBe('error: --entity-header needs --transport http.\nhint: see plugboard mcp --help\n');
  });
});

describe('plugboard mcp: runtime errors exit 1 with one line and a hint', () => {
  it('a config module that throws while loading', async () => {
    const { code, stdout, stderr } = await plugboard(['mcp', config]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: FAKE_API_URL is not set\nhint: the config module failed to load or the server failed to start; PLUGBOARD_DEBUG=1 prints the stack\n$/,
    );
  });
});

describe('plugboard mcp: serving', () => {
  it('over stdio: an MCP client lists the selected tools and calls one as the --entity given', async () => {
    const api = await fakeApi();
    const client = await connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin, 'mcp', config, '--entity', 'user-1', '--tags', 'read'],
        cwd: packageDirectory,
        env: { PATH: process.env['PATH'] ?? '', FAKE_API_URL: api.url },
        stderr: 'pipe',
      }),
    );

    const { tools } = await client.listTools();
    expect(tools).toEqual([
      expect.objectContaining({ name: 'ACME_GET_THING', description: 'Get one thing by its id.' }),
    ]);
    const result = await call(client, 'ACME_GET_THING', { thing_id: 7 });
    expect(result.isError).toBe(false);
    expect(text(result)).toEqual({ id: 7, calledWith: 'key-user-1' });
    // Outside the --tags selection: refused without reaching the API.
    expect(await call(client, 'ACME_DELETE_THING', { thing_id: 7 })).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'TOOL_NOT_OFFERED' } },
    });
    expect(api.requests).toEqual([{ method: 'GET', path: '/things/7', apiKey: 'key-user-1' }]);
  });

  it('over Streamable HTTP: --transport, --port, --path, --entity and --actions reach the server', async () => {
    const api = await fakeApi();
    const child = spawn(
      process.execPath,
      [
        bin,
        'mcp',
        config,
        '--transport',
        'http',
        '--port',
        '0',
        '--path',
        '/tools',
        '--entity',
        'user-2',
        '--actions',
        'ACME_GET_THING',
      ],
      {
        cwd: packageDirectory,
        env: { PATH: process.env['PATH'] ?? '', FAKE_API_URL: api.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanups.push(() => stop(child));
    const url = await servingUrl(child);
    expect(new URL(url).pathname).toBe('/tools');

    const client = await connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['ACME_GET_THING']);
    expect(text(await call(client, 'ACME_GET_THING', { thing_id: 3 }))).toEqual({ id: 3, calledWith: 'key-user-2' });
  });
});

/** The URL the HTTP server announces on stderr once it listens. */
function servingUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`plugboard mcp exited with ${code} before serving: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
