// Installed size: what `npm install` puts on disk for each client, each in an empty project of
// its own outside the workspace. Plugboard is installed from its packed tarballs (pnpm pack, as
// it would be published) with zod, the peer dependency every Plugboard user needs. Install
// scripts are off: @composio/core is installed to be measured, never run.

import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InstallTarget {
  name: string;
  description: string;
  /** What `npm install` is given; `{core}` and `{github}` stand for the packed tarballs. */
  specs: string[];
}

export interface InstallSizeResult {
  tarballs: Array<{ name: string; file: string; bytes: number }>;
  targets: Array<
    | {
        name: string;
        description: string;
        specs: string[];
        ok: true;
        /** `du -sk node_modules`: disk usage in KiB, block-rounded as `du` counts it. */
        diskKiB: number;
        /** The sum of file sizes. */
        apparentBytes: number;
        files: number;
        packages: number;
        largest: Array<{ name: string; diskKiB: number }>;
        installSeconds: number;
      }
    | { name: string; description: string; specs: string[]; ok: false; error: string }
  >;
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const INSTALL_TIMEOUT_MS = 300_000;

export const INSTALL_TARGETS: InstallTarget[] = [
  {
    name: 'plugboard',
    description: '@plugboard/core + @plugboard/github (packed tarballs) + zod, their peer dependency',
    specs: ['{core}', '{github}', 'zod@^4'],
  },
  { name: '@octokit/rest', description: 'npm install @octokit/rest', specs: ['@octokit/rest'] },
  { name: 'octokit', description: 'npm install octokit (the batteries-included package)', specs: ['octokit'] },
  {
    name: '@composio/core',
    description: 'npm install @composio/core (the hosted platform SDK; installed, never run)',
    specs: ['@composio/core'],
  },
];

export async function runInstallSize(log: (line: string) => void): Promise<InstallSizeResult> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'plugboard-bench-size-'));
  try {
    const packDirectory = path.join(workspace, 'pack');
    const tarballs: InstallSizeResult['tarballs'] = [];
    const placeholders: Record<string, string> = {};
    for (const [key, name, directory] of [
      ['{core}', '@plugboard/core', 'packages/core'],
      ['{github}', '@plugboard/github', 'packages/connectors/github'],
    ] as const) {
      const packed = await run(
        'pnpm',
        ['pack', '--json', '--pack-destination', packDirectory],
        path.join(ROOT, directory),
        120_000,
      );
      if (packed.code !== 0) throw new Error(`pnpm pack ${name} failed: ${packed.output.slice(-500)}`);
      const file = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('{'))) as { filename: string }).filename;
      placeholders[key] = file;
      tarballs.push({ name, file: path.basename(file), bytes: (await stat(file)).size });
    }
    log(
      `install size: packed ${tarballs.map((tarball) => tarball.file).join(', ')}; installing ${INSTALL_TARGETS.length} projects with npm`,
    );
    const targets = await Promise.all(
      INSTALL_TARGETS.map(async (target): Promise<InstallSizeResult['targets'][number]> => {
        const specs = target.specs.map((spec) => placeholders[spec] ?? spec);
        const project = path.join(workspace, target.name.replace(/[@/]/g, '_'));
        try {
          await run('mkdir', ['-p', project], workspace, 10_000);
          await writeFile(
            path.join(project, 'package.json'),
            JSON.stringify({ name: 'size-probe', version: '0.0.0', private: true }),
          );
          const started = Date.now();
          const install = await run(
            'npm',
            [
              'install',
              '--no-audit',
              '--no-fund',
              '--ignore-scripts',
              '--no-package-lock',
              '--engine-strict=false',
              '--loglevel=error',
              ...specs,
            ],
            project,
            INSTALL_TIMEOUT_MS,
          );
          if (install.code !== 0) throw new Error(install.output.trim().split('\n').slice(-5).join(' | '));
          const installSeconds = (Date.now() - started) / 1000;
          const modules = path.join(project, 'node_modules');
          const walked = await walk(modules);
          const largest = await largestPackages(modules);
          log(
            `install size: ${target.name} ${(walked.apparentBytes / 1024 / 1024).toFixed(1)} MB in ${installSeconds.toFixed(0)} s`,
          );
          return {
            ...target,
            ok: true,
            diskKiB: await du(modules),
            apparentBytes: walked.apparentBytes,
            files: walked.files,
            packages: walked.packages,
            largest,
            installSeconds,
          };
        } catch (error) {
          log(`install size: ${target.name} failed: ${error instanceof Error ? error.message : String(error)}`);
          return { ...target, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return { tarballs, targets };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/** Apparent bytes, files and packages (directories with a package.json directly under a node_modules). */
async function walk(directory: string): Promise<{ apparentBytes: number; files: number; packages: number }> {
  const totals = { apparentBytes: 0, files: 0, packages: 0 };
  const visit = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        await visit(full);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        totals.apparentBytes += (await lstat(full)).size;
        totals.files++;
        if (entry.name === 'package.json' && /node_modules[\\/](@[^\\/]+[\\/])?[^\\/@][^\\/]*$/.test(current))
          totals.packages++;
      }
    }
  };
  await visit(directory);
  return totals;
}

async function largestPackages(modules: string): Promise<Array<{ name: string; diskKiB: number }>> {
  const names: string[] = [];
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of await readdir(path.join(modules, entry.name))) names.push(`${entry.name}/${scoped}`);
    } else {
      names.push(entry.name);
    }
  }
  const sized = await Promise.all(names.map(async (name) => ({ name, diskKiB: await du(path.join(modules, name)) })));
  return sized.sort((a, b) => b.diskKiB - a.diskKiB).slice(0, 5);
}

async function du(target: string): Promise<number> {
  const result = await run('du', ['-sk', target], path.dirname(target), 60_000);
  if (result.code !== 0) throw new Error(`du failed: ${result.output}`);
  return Number.parseInt(result.stdout, 10);
}

function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, output });
    });
  });
}
