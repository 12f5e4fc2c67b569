#!/usr/bin/env node
// Writes src/version.ts from package.json, so the connector's `version` follows the package's
// version after `changeset version` without reading anything at run time. Run by `pnpm build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const target = fileURLToPath(new URL('../src/version.ts', import.meta.url));
const content = `// Generated from package.json by scripts/sync-version.mjs (run by \`pnpm build\`). Do not edit.\nexport const GMAIL_CONNECTOR_VERSION = '${packageJson.version}';\n`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // First run.
}
if (current !== content) writeFileSync(target, content);
