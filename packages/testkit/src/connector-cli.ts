#!/usr/bin/env node
// `plugboard-connector`: the chores every connector package shares, run from the package's folder.
//   plugboard-connector version          write src/version.ts from package.json (run it before tsc in `build`)
//   plugboard-connector readme [--write] check (or rewrite) README.md's actions section from the built dist/
//   plugboard-connector copy-generated   copy src/generated/**/*.json to dist/generated/ (run it after tsc)
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connector } from '@plugboard/core';
import { renderActionsReadme, replaceActionsSection, versionModule } from './readme-actions.js';

const USAGE = `Usage: plugboard-connector <command>, in a connector package's folder

Commands:
  version           write src/version.ts from package.json's version
  readme [--write]  check that README.md lists the built connector's actions (exit 1 if stale), or rewrite them
                    --export NAME  the export holding the connector (default: the only Connector export)
  copy-generated    copy the generated JSON data (src/generated/) next to the compiled code (dist/generated/)`;

function writeIfChanged(path: string, content: string): boolean {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === content) return false;
  writeFileSync(path, content);
  return true;
}

const isConnector = (value: unknown): value is Connector =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Connector).id === 'string' &&
  Array.isArray((value as Connector).actions) &&
  Array.isArray((value as Connector).authSchemes);

async function readme(folder: string, args: string[]): Promise<number> {
  const entry = join(folder, 'dist', 'index.js');
  if (!existsSync(entry)) {
    process.stderr.write(`plugboard-connector: ${entry} does not exist; build the package first.\n`);
    return 1;
  }
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const exportIndex = args.indexOf('--export');
  const wanted = exportIndex === -1 ? undefined : args[exportIndex + 1];
  const candidates = Object.entries(module).filter(
    ([name, value]) => (wanted === undefined || name === wanted) && isConnector(value),
  );
  const unique = [...new Set(candidates.map(([, value]) => value))];
  if (unique.length !== 1) {
    const names = candidates.map(([name]) => name).join(', ') || 'none';
    process.stderr.write(
      `plugboard-connector: expected one connector export, found ${names}; name it with --export.\n`,
    );
    return 2;
  }
  const path = join(folder, 'README.md');
  const current = readFileSync(path, 'utf8');
  const next = replaceActionsSection(current, renderActionsReadme(unique[0] as Connector));
  if (args.includes('--write')) {
    process.stdout.write(writeIfChanged(path, next) ? 'README.md updated.\n' : 'README.md is up to date.\n');
    return 0;
  }
  if (next !== current) {
    process.stderr.write('README.md is out of date: run `plugboard-connector readme --write` after a build.\n');
    return 1;
  }
  process.stdout.write('README.md is up to date.\n');
  return 0;
}

/**
 * tsc compiles only the TypeScript of src/generated/; the JSON a connector reads at run time (on
 * first need, never at import) is copied beside it. JSON from an earlier build goes first, so a
 * file the generator no longer writes is not shipped.
 */
function removeJson(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) removeJson(path);
    else if (entry.name.endsWith('.json')) rmSync(path);
  }
}

function copyGenerated(folder: string): number {
  const source = join(folder, 'src', 'generated');
  const target = join(folder, 'dist', 'generated');
  if (!existsSync(source)) {
    process.stderr.write(`plugboard-connector: ${source} does not exist; nothing generated to copy.\n`);
    return 1;
  }
  if (existsSync(target)) removeJson(target);
  cpSync(source, target, {
    recursive: true,
    filter: (path) => statSync(path).isDirectory() || path.endsWith('.json'),
  });
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const folder = process.cwd();
  if (command === 'version') {
    const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
    writeIfChanged(join(folder, 'src', 'version.ts'), versionModule(version));
    return 0;
  }
  if (command === 'readme') return readme(folder, rest);
  if (command === 'copy-generated') return copyGenerated(folder);
  process.stdout.write(`${USAGE}\n`);
  return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2));
