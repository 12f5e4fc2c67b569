#!/usr/bin/env node
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ScaffoldError, scaffold } from './scaffold.js';

const USAGE = `Usage: create-plugboard-connector <directory> [--name <app-id>] [--package-name <npm-name>]

Creates a Plugboard connector package in <directory>: src/ with an example action and auth
scheme, a test running the @plugboard/testkit conformance suite and a recording server, README,
changeset config and tsconfig.

  npm create plugboard-connector plugboard-connector-acme
  pnpm create plugboard-connector my-connector --name acme

Options:
  --name           the app id (lower-case, like "acme"); default: the directory name without "plugboard-connector-"
  --package-name   the npm package name; default: plugboard-connector-<name>
  -h, --help       show this help`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, 'package-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`create-plugboard-connector: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [directory, ...extra] = parsed.positionals;
  if (directory === undefined || extra.length > 0) {
    process.stderr.write(`create-plugboard-connector: give exactly one directory.\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await scaffold({
      directory,
      ...(parsed.values.name !== undefined ? { name: parsed.values.name } : {}),
      ...(parsed.values['package-name'] !== undefined ? { packageName: parsed.values['package-name'] } : {}),
    });
    const relative = path.relative(process.cwd(), result.directory) || '.';
    process.stdout.write(
      `Created ${result.packageName} (app "${result.id}") in ${relative}:\n${result.files.map((file) => `  ${file}`).join('\n')}\n\nNext:\n  cd ${relative}\n  npm install\n  npm test\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      process.stderr.write(`create-plugboard-connector: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
