import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineAction, defineConnector } from '@plugboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ACTIONS_END,
  ACTIONS_START,
  describeJsonSchemaType,
  renderActionsReadme,
  replaceActionsSection,
  versionModule,
} from '../src/index.js';
import { sampleDefinition } from './sample-connectors.js';

const cli = fileURLToPath(new URL('../dist/connector-cli.js', import.meta.url));
const generated = () => [
  defineAction({
    name: 'SAMPLE_DELETE_A_WIDGET',
    description: 'Delete a widget. Gone for good.',
    input: () => z.object({ widget_id: z.string() }),
    request: 'DELETE /widgets/{widget_id}',
  }),
  defineAction({
    name: 'SAMPLE_LIST_OLD_WIDGETS',
    description: 'List old widgets.',
    input: () => z.object({}),
    request: 'GET /old-widgets',
    deprecated: true,
  }),
];
const connector = defineConnector({ ...sampleDefinition(), generatedActions: generated });

describe('renderActionsReadme', () => {
  it('lists curated actions with endpoint and parameters, then the generated ones in one line each', () => {
    const rendered = renderActionsReadme(connector);
    const [curated, rest] = rendered.split('<details>');
    for (const action of connector.actions) expect(curated).toContain(`\`${action.name}\``);
    expect(curated).toMatch(/\| `[A-Z_]+` \| `(GET|POST|PUT|PATCH|DELETE) \/[^`]*` \| `/);
    expect(rest).toContain('2 generated actions');
    expect(rest).toContain('| `SAMPLE_DELETE_A_WIDGET` | `DELETE /widgets/{widget_id}` | Delete a widget. |');
    expect(rest).toContain('| `SAMPLE_LIST_OLD_WIDGETS` | `GET /old-widgets` | List old widgets. (deprecated) |');
  });

  it('describes JSON Schema types briefly', () => {
    expect(describeJsonSchemaType({ type: 'array', items: { enum: ['a', 'b'] } })).toBe('("a" | "b")[]');
    expect(describeJsonSchemaType({ anyOf: [{ type: 'integer' }, { type: 'null' }] })).toBe('integer | null');
    expect(describeJsonSchemaType({ type: 'string', format: 'date-time' })).toBe('string (date-time)');
  });

  it('replaces only the text between the markers, and refuses a README without them', () => {
    const readme = `# Sample\n\n${ACTIONS_START}\nold\n${ACTIONS_END}\n\nMore.\n`;
    expect(replaceActionsSection(readme, 'new')).toBe(`# Sample\n\n${ACTIONS_START}\nnew\n${ACTIONS_END}\n\nMore.\n`);
    expect(() => replaceActionsSection('# Sample\n', 'new')).toThrow(/needs the markers/);
  });
});

describe('plugboard-connector', () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const makePackage = () => {
    folder = mkdtempSync(join(tmpdir(), 'plugboard-connector-'));
    mkdirSync(join(folder, 'src'));
    mkdirSync(join(folder, 'dist'));
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'x', version: '1.4.2', type: 'module' }));
    writeFileSync(join(folder, 'README.md'), `# X\n\n${ACTIONS_START}\n${ACTIONS_END}\n`);
    // A built connector that imports core from this workspace.
    const core = import.meta.resolve('@plugboard/core');
    writeFileSync(
      join(folder, 'dist', 'index.js'),
      `import { defineConnector, defineAction, bearerTokenScheme, CONNECTOR_SPEC_VERSION } from ${JSON.stringify(core)};
export const x = defineConnector({ id: 'x', name: 'X', version: '1.4.2', specVersion: CONNECTOR_SPEC_VERSION,
  baseUrl: 'https://x.test', authSchemes: [bearerTokenScheme()], actions: [] });`,
    );
    return folder;
  };
  const run = (cwd: string, ...args: string[]) => {
    try {
      return {
        code: 0,
        output: execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }),
      };
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      return { code: failed.status, output: failed.stderr };
    }
  };

  it('version writes src/version.ts from package.json', () => {
    const cwd = makePackage();
    expect(run(cwd, 'version').code).toBe(0);
    expect(readFileSync(join(cwd, 'src', 'version.ts'), 'utf8')).toBe(versionModule('1.4.2'));
    expect(versionModule('1.4.2')).toContain("export const CONNECTOR_VERSION = '1.4.2';");
  });

  it('readme fails on a stale README, --write mends it, and then it passes', () => {
    const cwd = makePackage();
    const stale = run(cwd, 'readme');
    expect(stale.code).toBe(1);
    expect(stale.output).toMatch(/out of date/);
    expect(run(cwd, 'readme', '--write').code).toBe(0);
    expect(readFileSync(join(cwd, 'README.md'), 'utf8')).toContain('| Action | Endpoint | Parameters |');
    expect(run(cwd, 'readme').code).toBe(0);
  });

  it('an unknown command prints the usage and exits 2', () => {
    const result = run(makePackage(), 'publish');
    expect(result.code).toBe(2);
  });
});
