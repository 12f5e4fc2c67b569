import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderActionsTable, updateReadme } from '../scripts/readme-actions.mjs';
import { shopify } from './index.js';

describe('README.md', () => {
  it('lists every action with its parameters as the connector defines them (run `pnpm readme` after a change)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = renderActionsTable(shopify);
    expect(updateReadme(readme, table)).toBe(readme);
    for (const action of shopify.actions) expect(table).toContain(`\`${action.name}\``);
  });
});
