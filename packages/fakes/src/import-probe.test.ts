import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeImport } from './index.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'plugboard-probe-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('probeImport', () => {
  it('reports nothing for a module without side effects, and the value of exercise', async () => {
    const entry = path.join(folder, 'clean.mjs');
    await writeFile(entry, 'export const make = (name) => ({ name });\n');
    expect(probeImport({ entry, exercise: "module.make('x')", env: { SECRET_TOKEN: 'probe' } })).toEqual({
      reads: [],
      sockets: [],
      result: { name: 'x' },
    });
  });

  it('reports the environment variables a module reads and the sockets it opens at import', async () => {
    const entry = path.join(folder, 'dirty.mjs');
    // Port 9 (discard) is closed on 127.0.0.1: the connection attempt is what counts.
    await writeFile(
      entry,
      "import net from 'node:net';\nexport const token = process.env.SECRET_TOKEN;\nnet.connect(9, '127.0.0.1').on('error', () => {});\n",
    );
    const report = probeImport({ entry, env: { SECRET_TOKEN: 'probe' } });
    expect(report.reads).toContain('SECRET_TOKEN');
    expect(report.sockets.length).toBeGreaterThan(0);
  });

  it('reports a server started at import, and a read made by a CommonJS dependency', async () => {
    const entry = path.join(folder, 'listens.mjs');
    await writeFile(path.join(folder, 'dependency.cjs'), 'module.exports = process.env.DEPENDENCY_SETTING;\n');
    await writeFile(
      entry,
      "import net from 'node:net';\nimport setting from './dependency.cjs';\nexport { setting };\nnet.createServer().listen(0, '127.0.0.1').unref();\n",
    );
    const report = probeImport({ entry, exercise: 'module.setting ?? null' });
    expect(report.sockets).toEqual(['listen']);
    // The dependency's read counts, once; what Node's loader reads while loading it does not (the MCP
    // adapter's import test is where that case arises: its SDK's dependencies carry source maps).
    expect(report.reads).toEqual(['DEPENDENCY_SETTING']);
  });

  it('refuses an entry that does not exist, asking for a build', () => {
    expect(() => probeImport({ entry: path.join(folder, 'dist/index.js') })).toThrow(
      'does not exist; build the package first',
    );
  });
});
