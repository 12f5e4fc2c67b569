import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { probeImport, renderActionsReadme, replaceActionsSection } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';
import { TRELLO_CONNECTOR_VERSION, trello } from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};

describe('@plugboard/trello as a package', () => {
  it('lists every action in README.md, as `plugboard-connector readme` renders them', () => {
    expect(
      replaceActionsSection(readme, renderActionsReadme(trello)),
      'README.md is out of date: run `pnpm build && pnpm readme`',
    ).toBe(readme);
    for (const action of trello.actions) expect(readme).toContain(`\`${action.name}\``);
  });

  it('declares the version of package.json and depends on nothing but its peers', () => {
    expect(TRELLO_CONNECTOR_VERSION).toBe(manifest.version);
    expect(trello.version).toBe(manifest.version);
    expect(manifest.dependencies).toBeUndefined();
  });

  it('reads no environment variable and opens no socket when imported or when a connector is made', () => {
    const report = probeImport({
      entry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
      exercise: "module.trelloConnector({ appName: 'Probe' }).authSchemes.map((scheme) => scheme.mode)",
      env: { TRELLO_API_KEY: 'probe', TRELLO_TOKEN: 'probe', HTTPS_PROXY: 'http://proxy.invalid:1' },
    });
    expect(report).toEqual({ reads: [], sockets: [], result: ['OAUTH1', 'API_KEY'] });
  });
});

describe('only public APIs', () => {
  it('imports nothing from core or the test kit but their package entry points', () => {
    const sources = [
      'src/index.ts',
      'src/trello-connector.ts',
      'src/trello-auth.ts',
      'src/version.ts',
      'src/actions/boards.ts',
      'src/actions/cards.ts',
      'src/actions/fields.ts',
      'src/actions/index.ts',
      'test/fake-trello.ts',
    ];
    for (const file of sources) {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1] as string);
      expect(
        specifiers.filter(
          (specifier) =>
            !specifier.startsWith('.') &&
            !['@plugboard/core', '@plugboard/testkit', 'zod'].includes(specifier) &&
            !specifier.startsWith('node:'),
        ),
        file,
      ).toEqual([]);
      expect(
        specifiers.filter((specifier) => specifier.includes('/core/') || specifier.includes('/testkit/')),
        file,
      ).toEqual([]);
    }
  });
});
