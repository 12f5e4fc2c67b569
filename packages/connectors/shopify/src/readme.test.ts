import { readFileSync } from 'node:fs';
import { renderActionsReadme, replaceActionsSection } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';
import { shopify } from './index.js';

describe('README.md', () => {
  it('lists every action as the connector defines it (run `pnpm readme` after a build)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rendered = renderActionsReadme(shopify);
    expect(replaceActionsSection(readme, rendered)).toBe(readme);
    for (const action of shopify.actions) expect(rendered).toContain(`\`${action.name}\``);
  });
});
