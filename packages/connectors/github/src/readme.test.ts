import { readFileSync } from 'node:fs';
import { createToolset } from '@plugboard/core';
import { describe, expect, it } from 'vitest';
import { actionRows, renderActionsTable, replaceActionsSection } from '../scripts/readme-actions.mjs';
import { github } from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('lists every action with its endpoint and parameters, as scripts/readme-actions.mjs renders them', () => {
    const table = renderActionsTable(actionRows(github, createToolset({ connectors: [github] })));
    expect(
      replaceActionsSection(readme, table),
      'README.md is out of date: run `pnpm build && node scripts/readme-actions.mjs --write`',
    ).toBe(readme);
    for (const action of github.actions) expect(readme).toContain(`\`${action.name}\``);
    expect(readme).toContain('alias `GITHUB_CREATE_AN_ISSUE`');
    expect(readme).toContain('`GET /repos/{owner}/{repo}/contents/{+path}`');
  });
});
