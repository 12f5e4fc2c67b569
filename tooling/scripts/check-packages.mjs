#!/usr/bin/env node
// Checks every publishable workspace package the way its users will receive it: packs it with
// pnpm (so `workspace:*` is rewritten exactly as on publish), lints the tarball with publint and
// @arethetypeswrong/cli, and, for packages that have a smoke test in tooling/scripts/smoke/,
// installs the tarball with plain npm into an empty project outside the workspace and runs it.
//
// Assumes the packages are built (`pnpm build`); `pnpm test` builds them first.
// Usage: node tooling/scripts/check-packages.mjs [package-name ...]

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const smokeDirectory = path.join(root, 'tooling/scripts/smoke');
const binaries = path.join(root, 'node_modules/.bin');
// A package named here fails the check when its smoke test is missing.
const REQUIRED_SMOKE_TESTS = new Set(['@plugboard/core']);
const COMMAND_TIMEOUT_MS = 120_000;

const temporaryDirectories = [];
let failures = 0;

process.on('SIGINT', () => {
  cleanUp().finally(() => process.exit(130));
});

try {
  await main(process.argv.slice(2));
} catch (error) {
  failures += 1;
  console.error(`check-packages: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanUp();
}
process.exitCode = failures > 0 ? 1 : 0;

async function main(only) {
  const started = Date.now();
  let packages = await publishablePackages();
  if (only.length > 0) {
    const unknown = only.filter((name) => !packages.some((candidate) => candidate.name === name));
    if (unknown.length > 0) throw new Error(`not publishable workspace packages: ${unknown.join(', ')}`);
    packages = packages.filter((candidate) => only.includes(candidate.name));
  }
  if (packages.length === 0) throw new Error('no publishable packages found under packages/');
  console.log(
    `check-packages: ${packages.length} publishable ${packages.length === 1 ? 'package' : 'packages'}: ${packages.map((entry) => entry.name).join(', ')}`,
  );

  const packDirectory = await temporaryDirectory('plugboard-pack-');
  const tarballs = new Map();
  for (const workspacePackage of packages) {
    const tarball = await step('pack', workspacePackage.name, () => pack(workspacePackage, packDirectory));
    if (tarball) tarballs.set(workspacePackage.name, tarball);
  }
  for (const workspacePackage of packages) {
    const tarball = tarballs.get(workspacePackage.name);
    if (!tarball) continue;
    await step('publint', workspacePackage.name, () => lintWithPublint(tarball));
    await step('attw', workspacePackage.name, () => lintWithAttw(tarball));
  }
  for (const workspacePackage of packages) {
    if (!tarballs.has(workspacePackage.name)) continue;
    await step('smoke', workspacePackage.name, () => smokeTest(workspacePackage, packages, tarballs));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    failures === 0 ? `check-packages: all good (${seconds} s)` : `check-packages: ${failures} failed (${seconds} s)`,
  );
}

/** Non-private workspace packages under packages/, as pnpm sees the workspace. */
async function publishablePackages() {
  const listing = await run('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root });
  if (listing.code !== 0) throw new Error(`pnpm ls failed:\n${indent(listing.output)}`);
  const packagesDirectory = path.join(root, 'packages') + path.sep;
  return JSON.parse(listing.stdout)
    .filter((entry) => !entry.private && entry.path.startsWith(packagesDirectory))
    .map((entry) => ({
      name: entry.name,
      directory: entry.path,
      manifest: JSON.parse(readFileSync(path.join(entry.path, 'package.json'), 'utf8')),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Prints "<label> <name> ... ok (<note>, <seconds> s)", "... skipped (<reason>)" or "... FAILED"
 * followed by the reason. Returns the task's value, or undefined when it failed.
 */
async function step(label, name, task) {
  const started = Date.now();
  process.stdout.write(`${label.padEnd(8)}${name} ... `);
  try {
    const value = (await task()) ?? {};
    const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (value.skipped) console.log(`skipped (${value.skipped})`);
    else console.log(`ok (${value.note ? `${value.note}, ` : ''}${seconds})`);
    return value;
  } catch (error) {
    failures += 1;
    console.log('FAILED');
    console.log(indent(error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

async function pack(workspacePackage, destination) {
  if (!existsSync(path.join(workspacePackage.directory, 'dist'))) {
    throw new Error(
      `${path.relative(root, workspacePackage.directory)}/dist does not exist: run \`pnpm build\` first.`,
    );
  }
  const result = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: workspacePackage.directory,
  });
  if (result.code !== 0) throw new Error(`pnpm pack failed:\n${indent(result.output)}`);
  const { filename, files } = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  const paths = files.map((file) => file.path);
  const stray = paths.filter((file) =>
    /(^|\/)(src|test|__fixtures__)\/|\.test(-d)?\.[cm]?[jt]s$|\.tsbuildinfo$/.test(file),
  );
  if (stray.length > 0) throw new Error(`the tarball contains files users should not get: ${stray.join(', ')}`);
  return { path: filename, note: `${path.basename(filename)}, ${paths.length} files` };
}

async function lintWithPublint(tarball) {
  const result = await run(path.join(binaries, 'publint'), ['run', '--strict', '--level', 'warning', tarball.path], {
    cwd: root,
  });
  // publint exits 0 when it only has suggestions; --strict makes warnings fail.
  if (result.code !== 0 || /\b(Errors?|Warnings?):/.test(result.stdout))
    throw new Error(`publint found problems:\n${indent(result.output)}`);
}

async function lintWithAttw(tarball) {
  // ESM-only packages: CommonJS `require` of them is expected to fail, so that resolution is not checked.
  const result = await run(
    path.join(binaries, 'attw'),
    [tarball.path, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color'],
    { cwd: root },
  );
  if (result.code !== 0) throw new Error(`attw found problems:\n${indent(result.output)}`);
}

/**
 * Installs the tarball, the tarballs of the workspace packages it needs, and its other peer
 * dependencies into an empty npm project in the OS temp directory, then runs
 * tooling/scripts/smoke/<name>.mjs there with node, and typechecks <name>.ts when it exists.
 */
async function smokeTest(workspacePackage, packages, tarballs) {
  const shortName = workspacePackage.name.replace(/^@[^/]+\//, '');
  const script = path.join(smokeDirectory, `${shortName}.mjs`);
  if (!existsSync(script)) {
    if (REQUIRED_SMOKE_TESTS.has(workspacePackage.name))
      throw new Error(`${path.relative(root, script)} is missing; ${workspacePackage.name} must have a smoke test.`);
    return { skipped: `no ${path.relative(root, script)}` };
  }
  const installs = new Set([tarballs.get(workspacePackage.name).path]);
  const registryPeers = new Map();
  const queue = [workspacePackage];
  const seen = new Set();
  while (queue.length > 0) {
    const current = queue.shift();
    if (seen.has(current.name)) continue;
    seen.add(current.name);
    const needs = { ...current.manifest.dependencies, ...current.manifest.peerDependencies };
    for (const [name, range] of Object.entries(needs)) {
      const sibling = packages.find((candidate) => candidate.name === name);
      if (sibling) {
        const siblingTarball = tarballs.get(name);
        if (!siblingTarball) throw new Error(`${current.name} needs ${name}, which did not pack.`);
        installs.add(siblingTarball.path);
        queue.push(sibling);
      } else if (current.manifest.peerDependencies?.[name] !== undefined && !registryPeers.has(name)) {
        registryPeers.set(name, range);
      }
    }
  }

  const project = await temporaryDirectory('plugboard-smoke-');
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'plugboard-smoke', private: true, type: 'module' }, null, 2)}\n`,
  );
  const specs = [...installs, ...[...registryPeers].map(([name, range]) => `${name}@${range}`)];
  const installStarted = Date.now();
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs],
    { cwd: project },
  );
  if (install.code !== 0)
    throw new Error(
      `npm install ${specs.map((spec) => path.basename(spec)).join(' ')} failed:\n${indent(install.output)}`,
    );
  const installSeconds = ((Date.now() - installStarted) / 1000).toFixed(1);

  await mkdir(path.join(project, 'smoke'));
  await writeFile(path.join(project, 'smoke', 'smoke.mjs'), readFileSync(script));
  const execution = await run(process.execPath, ['smoke/smoke.mjs'], { cwd: project, timeoutMs: 30_000 });
  if (execution.code !== 0) throw new Error(`node ${path.relative(root, script)} failed:\n${indent(execution.output)}`);

  const typesFile = path.join(smokeDirectory, `${shortName}.ts`);
  if (existsSync(typesFile)) {
    await writeFile(path.join(project, 'smoke', 'consumer.ts'), readFileSync(typesFile));
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        include: ['smoke/consumer.ts'],
      }),
    );
    const typecheck = await run(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      { cwd: project },
    );
    if (typecheck.code !== 0)
      throw new Error(
        `tsc on ${path.relative(root, typesFile)} against the installed package failed:\n${indent(typecheck.output)}`,
      );
  }
  const output = execution.stdout.trim().split('\n').filter(Boolean);
  return {
    note: `npm install ${installSeconds} s${output.length > 0 ? `, ${output.at(-1)}` : ''}${existsSync(typesFile) ? ', types ok' : ''}`,
  };
}

async function temporaryDirectory(prefix) {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

async function cleanUp() {
  const directories = temporaryDirectories.splice(0);
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
}

/** Runs a command without a shell, collecting its output; never rejects on a non-zero exit. */
function run(command, args, { cwd, timeoutMs = COMMAND_TIMEOUT_MS }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr, output: output.trim() });
    });
  });
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
