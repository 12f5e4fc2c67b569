// Smoke test of the published create-plugboard-connector, run by check-packages.mjs with plain node in
// an npm project outside the workspace: its bin writes a connector package into a temporary folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'plugboard-create-smoke-'));
try {
  const bin = path.resolve('node_modules/.bin/create-plugboard-connector');
  const output = execFileSync(bin, ['plugboard-connector-smoke'], { cwd: folder, encoding: 'utf8' });
  assert.match(output, /Created plugboard-connector-smoke \(app "smoke"\)/);
  const manifest = JSON.parse(readFileSync(path.join(folder, 'plugboard-connector-smoke/package.json'), 'utf8'));
  assert.equal(manifest.name, 'plugboard-connector-smoke');
  assert.ok(manifest.peerDependencies['@plugboard/core']);
  assert.match(
    readFileSync(path.join(folder, 'plugboard-connector-smoke/src/smoke-connector.test.ts'), 'utf8'),
    /runConnectorConformance\(smoke,/,
  );
  console.log('create-plugboard-connector smoke: 4 checks passed');
} finally {
  rmSync(folder, { recursive: true, force: true });
}
