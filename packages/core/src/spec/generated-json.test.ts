import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonReader } from './generated-json.js';

const getBuiltinModule = process.getBuiltinModule;
afterEach(() => {
  process.getBuiltinModule = getBuiltinModule;
});

describe('createJsonReader', () => {
  it('reads JSON beside the calling module, on first use, relative to its URL', () => {
    const folder = mkdtempSync(join(tmpdir(), 'plugboard-json-'));
    writeFileSync(join(folder, 'operations.json'), JSON.stringify({ operations: [{ id: 'get-thing' }] }));
    const read = createJsonReader(pathToFileURL(join(folder, 'index.js')).href, 'unused');
    expect(read('./operations.json')).toEqual({ operations: [{ id: 'get-thing' }] });
    expect(() => read('./missing.json')).toThrow(/Cannot find module/);
  });

  it("throws CONFIGURATION_ERROR with the connector's message where Node's module loader is missing", () => {
    // @ts-expect-error: an edge worker's process has no getBuiltinModule.
    process.getBuiltinModule = undefined;
    const read = createJsonReader(import.meta.url, 'Only the curated actions work on this runtime.');
    expect(() => read('./anything.json')).toThrow(
      expect.objectContaining({
        code: 'CONFIGURATION_ERROR',
        message: 'Only the curated actions work on this runtime.',
      }),
    );
  });
});
