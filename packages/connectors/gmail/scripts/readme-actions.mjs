#!/usr/bin/env node
// Renders the README's action reference from the connector's own catalogue (names, descriptions
// and input JSON Schemas), between the `<!-- actions:start -->` and `<!-- actions:end -->` markers.
// `pnpm readme` (after `pnpm build`) rewrites README.md; test/connector.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const START = '<!-- actions:start -->';
export const END = '<!-- actions:end -->';

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function typeOf(schema) {
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' | ');
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' or ');
  if (schema.type === 'array') {
    const items = typeOf(schema.items ?? {});
    return items.includes(' ') ? `(${items})[]` : `${items}[]`;
  }
  if (schema.type === 'object') return 'object';
  return schema.type ?? 'any';
}

/** Markdown for every action: a summary table, then one parameter table per action. */
export function renderActions(actions) {
  const lines = ['| Action | What it does |', '| --- | --- |'];
  for (const action of actions)
    lines.push(`| [\`${action.name}\`](#${action.name.toLowerCase()}) | ${cell(action.description)} |`);
  for (const action of actions) {
    lines.push('', `### ${action.name}`, '');
    if (action.aliases.length > 0)
      lines.push(`Also answers to ${action.aliases.map((alias) => `\`${alias}\``).join(', ')}.`, '');
    const schema = action.inputJsonSchema;
    const required = new Set(schema.required ?? []);
    lines.push('| Parameter | Type | Required | Description |', '| --- | --- | --- | --- |');
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const fallback = property.default === undefined ? '' : ` Default: \`${JSON.stringify(property.default)}\`.`;
      const described = property.description ?? '';
      lines.push(
        `| \`${name}\` | ${cell(typeOf(property))} | ${required.has(name) && property.default === undefined ? 'yes' : 'no'} | ${cell(described + (described.includes('Default') ? '' : fallback))} |`,
      );
    }
  }
  return lines.join('\n');
}

/** The README with the section between the markers replaced. */
export function replaceActionsSection(readme, rendered) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START} and ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${rendered}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { createToolset } = await import('@plugboard/core');
  const { gmail } = await import('../dist/index.js');
  const actions = createToolset({ connectors: [gmail] }).listActions({ app: 'gmail' });
  const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
  const updated = replaceActionsSection(readFileSync(readmePath, 'utf8'), renderActions(actions));
  writeFileSync(readmePath, updated);
  console.log(`README.md: ${actions.length} actions`);
}
