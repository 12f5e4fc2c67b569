#!/usr/bin/env node
// The release check: every publishable workspace package as its users will get it.
//
//  1. stage    the workspace is copied to a temporary folder and `changeset version` applies the
//              pending changesets there (versions, CHANGELOG.md), as `pnpm version-packages` would;
//  2. pack     each package is packed with pnpm from that copy (`workspace:` ranges rewritten) and
//              must hold LICENSE, README.md and CHANGELOG.md and no sources or tests;
//  3. lint     publint and Are the Types Wrong on each tarball;
//  4. publish  Verdaccio starts on 127.0.0.1 with a temporary storage (other packages through an
//              uplink to the npm registry) and `pnpm publish -r` publishes the copy to it;
//  5. install  in empty folders outside the workspace, with plain npm from that registry: the root
//              README's install line and its flows.mjs against local fakes of the vendors,
//              `npm install -g @plugboard/cli` and the `plugboard` command, `npm create
//              plugboard-connector` and the new package's own tests, each package's smoke test
//              in tooling/scripts/smoke/ (its .ts file typechecked against the installed types), and
//              `npx @plugboard/server` with no database answering /openapi.json and /reference.
//
// Assumes the packages are built (`pnpm build`); `pnpm test` builds them first. Needs the npm registry.
// Usage: node tooling/scripts/check-packages.mjs [--keep] [package-name ...]
//   package names limit the pack, lint and smoke steps; everything is published all the same.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGlobalCli } from './release-check/cli-global.mjs';
import { checkCreateConnector } from './release-check/create-connector.mjs';
import { checkReadmeFlows, readmeFlows } from './release-check/readme-flows.mjs';
import { checkServerNpx } from './release-check/server-npx.mjs';
import { indent, run, runOrThrow } from './release-check/run-command.mjs';
import { stagedManifest, stageRelease } from './release-check/stage-release.mjs';
import { typecheckConsumer } from './release-check/typecheck-consumer.mjs';
import { startVerdaccio } from './release-check/verdaccio.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const smokeDirectory = path.join(root, 'tooling/scripts/smoke');
const binaries = path.join(root, 'node_modules/.bin');
// A package named here fails the check when its smoke test is missing.
const REQUIRED_SMOKE_TESTS = new Set(['@plugboard/core']);
// Every published tarball carries these (npm shows the README; the CHANGELOG exists once versioned).
const REQUIRED_FILES = ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md'];
const CLI_INSTALL_LINE = 'npm install -g @plugboard/cli';

const temporaryDirectories = [];
const cleanUps = [];
let failures = 0;
const keep = process.argv.includes('--keep');

process.on('SIGINT', () => {
  cleanUp().finally(() => process.exit(130));
});

try {
  await main(process.argv.slice(2).filter((argument) => argument !== '--keep'));
} catch (error) {
  failures += 1;
  console.error(`check-packages: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanUp();
}
process.exitCode = failures > 0 ? 1 : 0;

async function main(only) {
  const started = Date.now();
  const packages = await publishablePackages();
  if (only.length > 0) {
    const unknown = only.filter((name) => !packages.some((candidate) => candidate.name === name));
    if (unknown.length > 0) throw new Error(`not publishable workspace packages: ${unknown.join(', ')}`);
  }
  if (packages.length === 0) throw new Error('no publishable packages found');
  for (const workspacePackage of packages) {
    if (!existsSync(path.join(workspacePackage.directory, 'dist')))
      throw new Error(`${workspacePackage.relative}/dist does not exist: run \`pnpm build\` first.`);
  }
  console.log(
    `check-packages: ${packages.length} publishable packages: ${packages.map((entry) => entry.name).join(', ')}`,
  );

  const work = await temporaryDirectory('plugboard-release-');
  const staged = path.join(work, 'workspace');
  console.log('stage    a copy of the workspace: pnpm install, changeset version ...');
  const versioned = await step('stage', 'changeset version', async () => {
    await stageRelease(root, staged);
    return { note: 'in a copy of the workspace' };
  });
  if (!versioned) return;
  for (const workspacePackage of packages) {
    workspacePackage.staged = path.join(staged, workspacePackage.relative);
    workspacePackage.version = (await stagedManifest(workspacePackage.staged)).version;
  }
  console.log(`versions: ${packages.map((entry) => `${entry.name}@${entry.version}`).join(', ')}`);
  const checked = only.length > 0 ? packages.filter((candidate) => only.includes(candidate.name)) : packages;

  const packDirectory = path.join(work, 'tarballs');
  await mkdir(packDirectory);
  const tarballs = new Map();
  for (const workspacePackage of checked) {
    const tarball = await step('pack', workspacePackage.name, () => pack(workspacePackage, packDirectory));
    if (tarball) tarballs.set(workspacePackage.name, tarball);
  }
  await inParallel(
    checked
      .filter((workspacePackage) => tarballs.has(workspacePackage.name))
      .map((workspacePackage) => async () => {
        const tarball = tarballs.get(workspacePackage.name);
        await step('publint', workspacePackage.name, () => lintWithPublint(tarball));
        await step('attw', workspacePackage.name, () => lintWithAttw(tarball));
      }),
    2,
  );

  const registryDirectory = path.join(work, 'registry');
  await mkdir(registryDirectory);
  const registry = await step('registry', 'verdaccio 6.8.0', async () => {
    const started = await startVerdaccio({
      directory: registryDirectory,
      binary: path.join(binaries, 'verdaccio'),
      ownScopes: [
        '@plugboard/*',
        ...packages.filter((entry) => !entry.name.startsWith('@')).map((entry) => entry.name),
      ],
    });
    cleanUps.push(started.stop);
    return { ...started, note: `${started.url}, uplink ${started.uplink}` };
  });
  if (!registry) return;
  // npm and pnpm read the registry and the token from this file only: nothing in ~/.npmrc changes.
  const npmEnv = { NPM_CONFIG_USERCONFIG: registry.npmrc, npm_config_registry: registry.url };
  console.log(`publish  pnpm publish -r to ${registry.url} ...`);
  const published = await step('publish', `pnpm publish -r to ${registry.url}`, () =>
    publish(staged, packages, registry, npmEnv),
  );
  if (!published) return;

  const projects = path.join(work, 'projects');
  await mkdir(projects);
  const project = async (name) => {
    const directory = path.join(projects, name);
    await mkdir(directory);
    return directory;
  };
  await step('readme', 'install lines', checkReadmeInstallLines);
  // One after another: side by side, the installs contend for Verdaccio (one process that fetches
  // and rewrites every third-party package document on first use) and take longer in all. The
  // order warms its storage for the next: core and zod, then vitest, then the CLI's own.
  console.log('installing from the registry with npm, in empty folders outside the workspace ...');
  await step('install', 'README: npm install + flows.mjs', async () => ({
    note: await checkReadmeFlows({ root, project: await project('readme-flows'), npmEnv }),
  }));
  for (const workspacePackage of checked) {
    await step('smoke', workspacePackage.name, () => smokeTest(workspacePackage, project, npmEnv));
  }
  await step('install', 'npm create plugboard-connector', async () => ({
    note: await checkCreateConnector({ directory: await project('create'), npmEnv }),
  }));
  await step('install', CLI_INSTALL_LINE, async () => {
    const directory = await project('cli');
    return { note: await checkGlobalCli({ root, directory, npmEnv, installLine: CLI_INSTALL_LINE }) };
  });

  const server = packages.find((entry) => entry.name === '@plugboard/server');
  if (server && (only.length === 0 || only.includes(server.name))) {
    await step('install', 'npx @plugboard/server', async () =>
      checkServerNpx({ directory: await project('server-npx'), npmEnv, version: server.version }),
    );
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    failures === 0 ? `check-packages: all good (${seconds} s)` : `check-packages: ${failures} failed (${seconds} s)`,
  );
  if (keep) console.log(`kept ${work}`);
}

/** Non-private workspace packages, as pnpm sees the workspace. */
async function publishablePackages() {
  const listing = await run('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root });
  if (listing.code !== 0) throw new Error(`pnpm ls failed:\n${indent(listing.output)}`);
  return JSON.parse(listing.stdout)
    .filter((entry) => !entry.private && entry.path !== root)
    .map((entry) => ({
      name: entry.name,
      directory: entry.path,
      relative: path.relative(root, entry.path),
      manifest: JSON.parse(readFileSync(path.join(entry.path, 'package.json'), 'utf8')),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Prints "<label> <name> ... ok (<note>, <seconds> s)", "... skipped (<reason>)" or "... FAILED"
 * followed by the reason, in one piece when the step ends (steps may run side by side). Returns the
 * task's value, or undefined when it failed.
 */
async function step(label, name, task) {
  const started = Date.now();
  const line = `${label.padEnd(9)}${name} ...`;
  try {
    const value = (await task()) ?? {};
    const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (value.skipped) console.log(`${line} skipped (${value.skipped})`);
    else console.log(`${line} ok (${value.note ? `${value.note}, ` : ''}${seconds})`);
    return value;
  } catch (error) {
    failures += 1;
    console.log(`${line} FAILED (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    console.log(indent(error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

/**
 * Runs the tasks at most `concurrency` at a time (the machine has few cores, and the installs mostly
 * wait on the network), resolving with their values in order.
 */
async function inParallel(tasks, concurrency) {
  const values = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      values[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return values;
}

async function pack(workspacePackage, destination) {
  const result = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: workspacePackage.staged,
  });
  if (result.code !== 0) throw new Error(`pnpm pack failed:\n${indent(result.output)}`);
  const { filename, files } = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  const paths = files.map((file) => file.path);
  const stray = paths.filter((file) =>
    /(^|\/)(src|test|__fixtures__)\/|\.test(-d)?\.[cm]?[jt]s$|\.tsbuildinfo$/.test(file),
  );
  if (stray.length > 0) throw new Error(`the tarball contains files users should not get: ${stray.join(', ')}`);
  const missing = REQUIRED_FILES.filter((file) => !paths.includes(file));
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')} (see "files" in package.json)`);
  const license = readFileSync(path.join(workspacePackage.staged, 'LICENSE'), 'utf8');
  if (license !== readFileSync(path.join(root, 'LICENSE'), 'utf8'))
    throw new Error(`${workspacePackage.relative}/LICENSE differs from the root LICENSE`);
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
 * Publishes the staged workspace as a release does, then reads every package back from the
 * registry: its version is there, and no `workspace:` range was left in its dependencies.
 */
async function publish(staged, packages, registry, npmEnv) {
  const result = await run('pnpm', ['publish', '-r', '--registry', registry.url, '--no-git-checks'], {
    cwd: staged,
    env: npmEnv,
    timeoutMs: 300_000,
  });
  if (result.code !== 0) {
    throw new Error(
      `pnpm publish -r exited with ${result.code}:\n${indent(result.output)}\nverdaccio said:\n${indent(registry.log())}`,
    );
  }
  for (const workspacePackage of packages) {
    const answer = await fetch(new URL(workspacePackage.name.replace('/', '%2f'), registry.url));
    if (!answer.ok) throw new Error(`${workspacePackage.name} is not in the registry (${answer.status})`);
    const manifest = (await answer.json()).versions?.[workspacePackage.version];
    if (!manifest) throw new Error(`${workspacePackage.name}@${workspacePackage.version} is not in the registry`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (String(range).startsWith('workspace:'))
          throw new Error(`${workspacePackage.name} was published with ${field}.${name} = ${range}`);
      }
    }
  }
  return { note: `${packages.length} packages` };
}

/**
 * Installs the package from the registry, with its peer dependencies, into an empty npm project,
 * then runs tooling/scripts/smoke/<name>.mjs there with node, and typechecks <name>.ts when it exists.
 */
async function smokeTest(workspacePackage, project, npmEnv) {
  const shortName = workspacePackage.name.replace(/^@[^/]+\//, '');
  const script = path.join(smokeDirectory, `${shortName}.mjs`);
  if (!existsSync(script)) {
    if (REQUIRED_SMOKE_TESTS.has(workspacePackage.name))
      throw new Error(`${path.relative(root, script)} is missing; ${workspacePackage.name} must have a smoke test.`);
    return { skipped: `no ${path.relative(root, script)}` };
  }
  const directory = await project(`smoke-${shortName}`);
  await writeFile(
    path.join(directory, 'package.json'),
    `${JSON.stringify({ name: 'plugboard-smoke', private: true, type: 'module' }, null, 2)}\n`,
  );
  const peers = Object.entries(workspacePackage.manifest.peerDependencies ?? {})
    .filter(([name]) => !name.startsWith('@plugboard/'))
    .map(([name, range]) => `${name}@${range}`);
  const specs = [`${workspacePackage.name}@${workspacePackage.version}`, ...peers];
  const installStarted = Date.now();
  await runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: directory,
    env: npmEnv,
  });
  const installSeconds = ((Date.now() - installStarted) / 1000).toFixed(1);

  await mkdir(path.join(directory, 'smoke'));
  await writeFile(path.join(directory, 'smoke', 'smoke.mjs'), readFileSync(script));
  const execution = await run(process.execPath, ['smoke/smoke.mjs'], { cwd: directory, timeoutMs: 30_000 });
  if (execution.code !== 0) throw new Error(`node ${path.relative(root, script)} failed:\n${indent(execution.output)}`);

  const typesFile = path.join(smokeDirectory, `${shortName}.ts`);
  if (existsSync(typesFile)) {
    await typecheckConsumer({ root, project: directory, source: typesFile, target: 'smoke/consumer.ts' });
  }
  const output = execution.stdout.trim().split('\n').filter(Boolean);
  return {
    note: `npm install ${installSeconds} s${output.length > 0 ? `, ${output.at(-1)}` : ''}${existsSync(typesFile) ? ', types ok' : ''}`,
  };
}

/**
 * The README's install lines are the ones this check runs: the CLI's line must be there as it is,
 * and any other `npm install` line of ours must be the flows section's (which the check reads).
 */
function checkReadmeInstallLines() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const lines = readme.split('\n').map((line) => line.trim());
  if (!lines.includes(CLI_INSTALL_LINE))
    throw new Error(`README.md no longer has the line \`${CLI_INSTALL_LINE}\` that this check runs`);
  const { installLine } = readmeFlows(readme);
  const unchecked = lines.filter(
    (line) => /^npm (install|i)\b.*@plugboard\//.test(line) && line !== CLI_INSTALL_LINE && line !== installLine,
  );
  if (unchecked.length > 0)
    throw new Error(`README.md has install lines this check does not run: ${unchecked.join('; ')}`);
  return { note: `${CLI_INSTALL_LINE}; ${installLine}` };
}

async function temporaryDirectory(prefix) {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

async function cleanUp() {
  for (const stop of cleanUps.splice(0)) await stop().catch(() => {});
  if (keep) return;
  const directories = temporaryDirectories.splice(0);
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
}
