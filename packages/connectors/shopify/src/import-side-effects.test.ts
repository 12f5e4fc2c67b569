import { fileURLToPath } from 'node:url';
import { probeImport } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';

// The built package is imported, and a second connector made, in a fresh Node process: no
// environment variable may be read and no socket opened.
describe('importing @plugboard/shopify', () => {
  it('reads no environment variable and opens no socket', () => {
    const report = probeImport({
      entry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
      exercise: "({ id: module.shopify.id, baseUrl: module.shopifyConnector({ apiVersion: '2026-10' }).baseUrl })",
      env: { SHOPIFY_API_KEY: 'probe', SHOPIFY_SHOP: 'probe' },
    });
    expect(report).toEqual({
      reads: [],
      sockets: [],
      result: { id: 'shopify', baseUrl: 'https://{shop}.myshopify.com/admin/api/2026-10' },
    });
  });
});
