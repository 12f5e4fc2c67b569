#!/usr/bin/env node
// Copies the generated JSON data (src/generated/) next to the compiled code (dist/generated/):
// tsc compiles only the TypeScript (index.ts, which it has already written there), and
// src/generated-data.ts reads the JSON at run time.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(packageFolder, 'src', 'generated');
const target = join(packageFolder, 'dist', 'generated');
// JSON from an earlier build goes first, so a file the generator no longer writes is not shipped.
if (existsSync(target)) {
  rmSync(join(target, 'schemas'), { recursive: true, force: true });
  for (const name of readdirSync(target)) if (name.endsWith('.json')) rmSync(join(target, name));
}
cpSync(source, target, {
  recursive: true,
  filter: (path) => statSync(path).isDirectory() || path.endsWith('.json'),
});
