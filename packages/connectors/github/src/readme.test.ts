import { readFileSync } from 'node:fs';
import { renderActionsReadme, replaceActionsSection } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';
import { github } from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('lists every action as the testkit renders it', () => {
    expect(
      replaceActionsSection(readme, renderActionsReadme(github)),
      'README.md is out of date: run `pnpm --filter @plugboard/github build && pnpm --filter @plugboard/github readme`',
    ).toBe(readme);
    for (const action of github.actions) expect(readme).toContain(`\`${action.name}\``);
    expect(readme).toContain('alias `GITHUB_CREATE_AN_ISSUE`');
    expect(readme).toContain('`GET /repos/{owner}/{repo}/contents/{+path}`');
  });
});
