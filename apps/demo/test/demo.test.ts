import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built demo as `pnpm demo` does, without a terminal (so without colors). */
function runDemo(args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// What a real token of each kind looks like; none may appear in the output.
const TOKEN_SHAPES = [
  /fake_(?:at|rt|code)_[0-9a-f]{20,}/,
  /gh[upro]_[A-Za-z0-9]{20,}/,
  /shpat_[0-9a-f]{20,}/,
  /ya29\.[\w-]{20,}/,
];

describe('pnpm demo', () => {
  it('walks through every auth mode against the local fakes and exits 0', async () => {
    const run = await runDemo();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const heading of [
      '1. GitHub: OAuth 2.0 with your own GitHub App',
      '2. Gmail: a bearer token the user already has',
      '3. Shopify: an Admin API access token and the shop as subdomain',
      '4. Per-call custom auth and addAuth',
      '5. An expired token, refreshed automatically',
      '6. What a bad input and an upstream error look like',
    ]) {
      expect(run.stdout).toContain(`\n${heading}\n`);
    }
    expect(run.stdout).toMatch(
      /redirectUrl: https:\/\/github\.com\/login\/oauth\/authorize\?response_type=code&client_id=Iv23liDemoApp0000001&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fgithub%2Fcallback&/,
    );
    expect(run.stdout).toContain('result: #42 "Add a plugboard to the widget factory" by mona');
    expect(run.stdout).toContain('email: PR #42 is ready for review');
    expect(run.stdout).toContain('customer: 207119551 Grace <grace@example.com>');
    expect(run.stdout).toContain('POST https://acme-widgets.myshopify.com/admin/api/2026-10/graphql.json');
    expect(run.stdout).toContain('token endpoint requests (grant_type=refresh_token): 1\n');
    expect(run.stdout).toContain('result: INVALID_PARAMS: Invalid input for GITHUB_GET_A_PULL_REQUEST');
    expect(run.stdout).toContain('result: UPSTREAM_ERROR (status 404)');
    expect(run.stdout).toMatch(
      /store: @plugboard\/store-embedded \(store\.jsonl, its key in secret\.key\) in .*plugboard-demo-/,
    );
    expect(run.stdout).toMatch(
      /✓ none of the \d+ secrets of this tour \(client secret, tokens, API key\) is in any file/,
    );
    expect(run.stdout).toContain('3 ACTIVE connections: ');
    expect(run.stdout).toContain('✓ the connections are still there: the store is durable across processes');
    expect(run.stdout).toMatch(/✓ All 6 steps held: \d+ checks in \d+ ms\. Nothing left this machine\.\n$/);
    expect(run.stdout).not.toContain('✗');
    expect(run.stdout).not.toContain('\u001b[');
    for (const shape of TOKEN_SHAPES) expect(run.stdout).not.toMatch(shape);
  });

  it('keeps the embedded store in --store-dir: sealed credentials, files 0600, no token in clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plugboard-demo-test-'));
    try {
      const run = await runDemo(['--store-dir', join(dir, 'store')]);
      expect(run.code).toBe(0);
      const files = (await readdir(join(dir, 'store'))).sort();
      expect(files).toEqual(expect.arrayContaining(['secret.key', 'store.jsonl']));
      for (const file of files) expect((await stat(join(dir, 'store', file))).mode & 0o077).toBe(0);
      const data = await readFile(join(dir, 'store', 'store.jsonl'), 'utf8');
      expect(data).toMatch(/"pb1\.[\w-]+\.[\w-]+\.[\w-]+"/);
      for (const shape of TOKEN_SHAPES) expect(data).not.toMatch(shape);
      expect(data).toContain('"entityId":"ada"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the step when a fake does not behave as the narration says', async () => {
    const run = await runDemo([], { PLUGBOARD_DEMO_SABOTAGE: 'shopify' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '✗ Step 3 (Shopify: an Admin API access token and the shop as subdomain) failed: expected that the first page has 2 customers',
    );
    expect(run.stdout).toContain('2. Gmail: a bearer token the user already has');
    expect(run.stdout).not.toContain('4. Per-call custom auth and addAuth');
    expect(run.stdout).not.toContain('All 6 steps held');
  });

  it('exits 2 with the usage on an unknown option', async () => {
    const run = await runDemo(['--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--colour'");
    expect(run.stderr).toContain('Usage: pnpm demo');
  });
});
