#!/usr/bin/env node
// Copies the generated JSON data (src/generated/) next to the compiled code (dist/generated/):
// tsc compiles only the TypeScript, and src/generated-actions.ts reads the JSON at run time.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(packageFolder, 'dist', 'generated');
rmSync(target, { recursive: true, force: true });
cpSync(join(packageFolder, 'src', 'generated'), target, { recursive: true });
