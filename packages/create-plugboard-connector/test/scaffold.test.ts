import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS_END, ACTIONS_START, versionModule } from '@plugboard/testkit';
import { scaffold } from '../src/index.js';
import * as templates from '../src/templates.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const workspace = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

// Children get a clean environment: no npm_config_* from the pnpm that runs this test, and no
// VITEST_* that would make the generated package's vitest think it is a worker of this one.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|VITEST|NODE_OPTIONS$|INIT_CWD$|TURBO_)/i.test(name)),
);

async function command(file: string, args: string[], cwd: string, timeout = 120_000) {
  try {
    return await run(file, args, {
      cwd,
      env: { ...cleanEnv, CI: '1', NO_COLOR: '1' },
      timeout,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${file} ${args.join(' ')} failed in ${cwd}: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

let root: string;
beforeAll(async () => {
  if (!existsSync(cli))
    throw new Error('Build create-plugboard-connector first (pnpm build): the tests run dist/cli.js.');
  root = await mkdtemp(path.join(tmpdir(), 'plugboard-scaffold-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('create-plugboard-connector <directory>', () => {
  it('prints its usage with --help and refuses a missing directory, a bad name and a non-empty directory', async () => {
    const help = await command(process.execPath, [cli, '--help'], root);
    expect(help.stdout).toContain('Usage: create-plugboard-connector <directory> [--name <app-id>]');
    await expect(command(process.execPath, [cli], root)).rejects.toThrow('give exactly one directory');
    await expect(command(process.execPath, [cli, path.join(root, 'x'), '--name', 'Not An Id'], root)).rejects.toThrow(
      '"Not An Id" is not a valid app id',
    );
    const occupied = path.join(root, 'occupied');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'keep.txt'), 'mine');
    await expect(scaffold({ directory: occupied, name: 'acme' })).rejects.toMatchObject({
      name: 'ScaffoldError',
      message: `${occupied} exists and is not empty.`,
    });
    expect(await readdir(occupied)).toEqual(['keep.txt']);
  });

  it('names the package and the actions after the directory or --name', async () => {
    const result = await scaffold({ directory: path.join(root, 'plugboard-connector-acme-crm') });
    expect(result).toMatchObject({ id: 'acme-crm', packageName: 'plugboard-connector-acme-crm' });
    // The one connector layout of the authoring guide.
    expect(result.files).toEqual([
      '.changeset/README.md',
      '.changeset/config.json',
      '.changeset/first-release.md',
      '.gitignore',
      'README.md',
      'package.json',
      'src/acme-crm-auth.ts',
      'src/acme-crm-connector.test.ts',
      'src/acme-crm-connector.ts',
      'src/actions/fields.ts',
      'src/actions/index.ts',
      'src/actions/items.ts',
      'src/index.ts',
      'src/package.test.ts',
      'src/version.ts',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
    const read = (file: string) => readFile(path.join(result.directory, file), 'utf8');
    expect(await read('src/actions/items.ts')).toContain("name: 'ACME_CRM_GET_ITEM'");
    expect(await read('src/acme-crm-connector.ts')).toContain('export const acmeCrm: Connector = acmeCrmConnector();');
    expect(await read('src/index.ts')).toContain(
      "export { CONNECTOR_VERSION as ACME_CRM_CONNECTOR_VERSION } from './version.js';",
    );
    expect(await read('src/version.ts')).toBe(versionModule('0.0.0'));
    const manifest = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
    expect(manifest.scripts).toMatchObject({
      build: 'plugboard-connector version && tsc -p tsconfig.build.json',
      readme: 'plugboard-connector readme --write',
    });
    const readme = await read('README.md');
    expect(readme.indexOf(ACTIONS_START)).toBeGreaterThan(0);
    expect(readme.indexOf(ACTIONS_END)).toBeGreaterThan(readme.indexOf(ACTIONS_START));
    const named = await scaffold({ directory: path.join(root, 'somewhere'), name: 'widgets' });
    expect(named).toMatchObject({ id: 'widgets', packageName: 'plugboard-connector-widgets' });
  });

  it("writes the test kit's README markers and version module, so the kit's command and renderer accept them", () => {
    expect(templates.ACTIONS_START).toBe(ACTIONS_START);
    expect(templates.ACTIONS_END).toBe(ACTIONS_END);
    expect(templates.versionModule('1.2.3')).toBe(versionModule('1.2.3'));
  });

  // The "done when": generated outside the workspace, installed from packed tarballs of
  // core and the test kit with plain npm, its own tests, typecheck and build pass.
  it('generates a package that installs from packed tarballs and passes its own tests, typecheck and build', async () => {
    expect(root.startsWith(workspace)).toBe(false);
    const tarballs = path.join(root, 'tarballs');
    await mkdir(tarballs);
    const packed: Record<string, string> = {};
    for (const [name, folder] of [
      ['@plugboard/core', 'packages/core'],
      ['@plugboard/fakes', 'packages/fakes'],
      ['@plugboard/testkit', 'packages/testkit'],
    ] as const) {
      const before = new Set(await readdir(tarballs));
      // pnpm pack rewrites workspace: ranges the way publishing does; npm pack would not.
      await command('pnpm', ['pack', '--pack-destination', tarballs], path.join(workspace, folder));
      const created = (await readdir(tarballs)).find((file) => !before.has(file));
      if (!created) throw new Error(`pnpm pack made no tarball for ${name}`);
      packed[name] = path.join(tarballs, created);
    }

    const { stdout } = await command(process.execPath, [cli, 'plugboard-connector-acme', '--name', 'acme'], root);
    expect(stdout).toContain('Created plugboard-connector-acme (app "acme")');
    const directory = path.join(root, 'plugboard-connector-acme');
    const manifestPath = path.join(directory, 'package.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      overrides?: Record<string, string>;
    };
    expect(manifest.peerDependencies).toEqual({ '@plugboard/core': '>=0.0.0 <1.0.0', zod: '^4.0.0' });
    expect(Object.keys(manifest.devDependencies).sort()).toEqual([
      '@plugboard/core',
      '@plugboard/testkit',
      '@types/node',
      'typescript',
      'vitest',
      'zod',
    ]);
    // What a user gets from the registry, taken from the tarballs instead; the rest comes from npm.
    manifest.devDependencies['@plugboard/core'] = `file:${packed['@plugboard/core']}`;
    manifest.devDependencies['@plugboard/testkit'] = `file:${packed['@plugboard/testkit']}`;
    // The test kit's own dependency on the fakes, unpublished here too.
    manifest.overrides = { '@plugboard/fakes': `file:${packed['@plugboard/fakes']}` };
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

    await command('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], directory);
    const installed = JSON.parse(
      await readFile(path.join(directory, 'node_modules/@plugboard/testkit/package.json'), 'utf8'),
    ) as { name: string };
    expect(installed.name).toBe('@plugboard/testkit');
    expect(existsSync(path.join(directory, 'node_modules/@plugboard/testkit/src'))).toBe(false);

    // The conformance suite's checks, the two tests against the fake API, the three package checks.
    const tests = await command('npm', ['test', '--silent'], directory);
    expect(tests.stdout).toMatch(/Tests\s+12 passed/);
    expect(tests.stdout).toContain('acme-connector.test.ts');
    expect(tests.stdout).toContain('package.test.ts');
    await command('npm', ['run', 'typecheck', '--silent'], directory);
    expect((await readdir(path.join(directory, 'dist'))).sort()).toEqual([
      'acme-auth.d.ts',
      'acme-auth.js',
      'acme-connector.d.ts',
      'acme-connector.js',
      'actions',
      'index.d.ts',
      'index.js',
      'version.d.ts',
      'version.js',
    ]);
    const readme = await command('npm', ['run', 'readme', '--silent'], directory);
    expect(readme.stdout).toContain('README.md is up to date.');
  });
});
