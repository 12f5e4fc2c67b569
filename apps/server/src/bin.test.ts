import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The built command, as `pnpm run server` and users run it (the test task builds the package first).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = promisify(execFile);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'plugboard-server-bin-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const env = () => ({ PATH: process.env['PATH'], PLUGBOARD_DATA_DIR: dataDir });

describe('plugboard-server', () => {
  it('bootstrap creates the first project and admin key once; a second run changes nothing', async () => {
    const first = await run('node', [BIN, 'bootstrap', '--name', 'acme'], { env: env() });
    const projectId = /^PLUGBOARD_PROJECT_ID=(proj_[a-z0-9]{16})$/m.exec(first.stdout)?.[1];
    const key = /^PLUGBOARD_API_KEY=(pbk_\S+)$/m.exec(first.stdout)?.[1];
    expect(projectId).toBeDefined();
    expect(key).toBeDefined();

    const second = await run('node', [BIN, 'bootstrap'], { env: env() });
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`Already bootstrapped: project ${projectId}`);

    const another = await run('node', [BIN, 'key', 'create', '--project', projectId as string, '--scope', 'execute'], {
      env: env(),
    });
    expect(another.stdout).toMatch(/^PLUGBOARD_API_KEY=pbk_[a-z0-9]{16}_\S{43}\n$/);
  });

  it('serves the OpenAPI document, the reference page and readiness on a fresh directory with no database, and stops on SIGTERM', async () => {
    await run('node', [BIN, 'bootstrap'], { env: env() });
    const child = spawn('node', [BIN], { env: { ...env(), PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    try {
      const document = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
      expect(document.openapi).toBe('3.1.0');
      const page = await fetch(`${url}/reference`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Plugboard API');
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad configuration with a message naming the variable and exit code 78', async () => {
    const failure = await run('node', [BIN], { env: { ...env(), PORT: 'eighty' } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 78 });
    expect((failure as { stderr: string }).stderr).toContain('PORT must be a whole number');
  });
});
