import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createToolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { describe, expect, it } from 'vitest';

const README = new URL('../../../README.md', import.meta.url);

async function flowsScript(): Promise<string> {
  const text = await readFile(README, 'utf8');
  const section = text.slice(text.indexOf('## Against the real APIs'));
  const match = /Save this as `flows\.mjs`[^\n]*\n\n```js\n([\s\S]*?)\n```/.exec(section);
  if (!match?.[1]) throw new Error('README.md has no flows.mjs block under "Against the real APIs"');
  return match[1];
}

describe('README.md', () => {
  it('gives pnpm start as the main job, with the demo behind it', async () => {
    const text = await readFile(README, 'utf8');
    expect(text).toContain(
      '# the main job: install, build and run the offline demo\nnpm install -g pnpm@10 && pnpm install && pnpm start\n',
    );
    const rootPackage = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(rootPackage.scripts['start']).toBe('pnpm --silent demo');
    expect(rootPackage.scripts['demo']).toContain('node apps/demo/dist/main.js');
  });

  it('shows the real-API flows as a script that parses and calls actions the connectors have', async () => {
    const script = await flowsScript();
    const dir = await mkdtemp(join(tmpdir(), 'plugboard-readme-'));
    try {
      await writeFile(join(dir, 'flows.mjs'), script);
      await promisify(execFile)(process.execPath, ['--check', join(dir, 'flows.mjs')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const toolset = createToolset({ connectors: [github, gmail, shopify] });
    const called = [...script.matchAll(/executeAction\('([A-Z_]+)'/g)].map((match) => match[1] ?? '');
    expect(new Set(called)).toEqual(
      new Set(['GITHUB_GET_A_PULL_REQUEST', 'GMAIL_FETCH_EMAILS', 'SHOPIFY_GET_ALL_CUSTOMERS']),
    );
    for (const name of called) expect(toolset.getAction(name).name).toBe(name);
    for (const mode of ['OAUTH2', 'BEARER_TOKEN']) expect(script).toContain(`'${mode}'`);
  });
});
