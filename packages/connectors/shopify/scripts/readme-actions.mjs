#!/usr/bin/env node
// Renders the README's table of actions from the connector itself (names, endpoints, and the
// JSON Schema of each input), between the <!-- actions:start --> and <!-- actions:end --> markers.
//   node scripts/readme-actions.mjs          check that README.md is up to date (exit 1 if not)
//   node scripts/readme-actions.mjs --write  rewrite the table in README.md
// Reads the built package (dist), so run `pnpm build` first. The README test renders from source.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createToolset } from '@plugboard/core';

const START = '<!-- actions:start -->';
const END = '<!-- actions:end -->';

function typeOf(schema) {
  if (schema.type === 'array') {
    const item = typeOf(schema.items ?? {});
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (schema.type) return schema.type;
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' \\| ');
  return 'any';
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function describeParameter(name, schema, required) {
  const parts = [`\`${name}\` (${typeOf(schema)}${required ? ', required' : ''})`];
  if (schema.enum) parts.push(`one of ${schema.enum.map((value) => `\`${value}\``).join(', ')}`);
  if (schema.description) parts.push(cell(schema.description));
  if (schema.type === 'object' && schema.properties)
    parts.push(
      `Fields: ${Object.keys(schema.properties)
        .map((field) => `\`${field}\``)
        .join(', ')}.`,
    );
  return parts.join(' ');
}

/** The markdown table of every action of a connector. */
export function renderActionsTable(connector) {
  const toolset = createToolset({ connectors: [connector] });
  const rows = toolset.listActions({ app: connector.id }).map((action) => {
    const endpoint = /\(((?:GET|POST|PUT|PATCH|DELETE) \/[^\s)]+)/.exec(action.description)?.[1] ?? '';
    const schema = action.inputJsonSchema;
    const required = new Set(schema.required ?? []);
    const parameters = Object.entries(schema.properties ?? {}).map(([name, property]) =>
      describeParameter(name, property, required.has(name)),
    );
    const summary = action.description.split(/(?<=\.) /)[0];
    const aliases = toolset.getAction(action.name).aliases;
    const name = `\`${action.name}\`${aliases.length > 0 ? ` (alias ${aliases.map((alias) => `\`${alias}\``).join(', ')})` : ''}`;
    return `| ${name} | \`${endpoint}\` | ${cell(summary)} | ${parameters.length > 0 ? parameters.join('<br>') : 'none'} |`;
  });
  return ['| Action | Endpoint | What it does | Parameters |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** README text with the table between the markers replaced. */
export function updateReadme(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}.`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

async function main() {
  const { shopify } = await import('../dist/index.js');
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  const readme = readFileSync(path, 'utf8');
  const updated = updateReadme(readme, renderActionsTable(shopify));
  if (process.argv.includes('--write')) {
    writeFileSync(path, updated);
    console.log('README.md: actions table written.');
  } else if (updated !== readme) {
    console.error('README.md: the actions table is out of date; run `pnpm readme`.');
    process.exitCode = 1;
  } else {
    console.log('README.md: actions table up to date.');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
