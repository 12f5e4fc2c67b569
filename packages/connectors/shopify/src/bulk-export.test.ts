import { createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeShopify, type FakeShopify } from '../test/fake-shopify.js';
import { parseJsonLines } from './actions/bulk-export.js';
import { shopifyConnector } from './index.js';

// A bulk operation runs a query in the background at Shopify: bulkOperationRunQuery starts it,
// bulkOperation(id:) reports CREATED, RUNNING, then COMPLETED (or FAILED) with a signed URL of a
// JSONL file, one object per line, nested connections' nodes on their own lines with __parentId.
// See https://shopify.dev/docs/api/usage/bulk-operations/queries

const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';
const PRODUCTS_WITH_VARIANTS = '{ products { edges { node { id title variants { edges { node { id sku } } } } } } }';

let server: FakeShopify;

beforeEach(async () => {
  server = await startFakeShopify();
  server.addToken('acme', TOKEN);
});

afterEach(async () => {
  await server.close();
});

async function connected() {
  const connector = shopifyConnector({ fetch: server.fetch });
  const toolset = createToolset({ connectors: [connector], fetch: server.fetch });
  await toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: TOKEN, shop: 'acme' } });
  return toolset;
}

describe('SHOPIFY_BULK_EXPORT', () => {
  it('starts the operation, polls it to COMPLETED, downloads the JSONL file without credentials and parses it', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_BULK_EXPORT', {
      query: PRODUCTS_WITH_VARIANTS,
      poll_interval_ms: 10,
    });
    expect(result).toMatchObject({
      successful: true,
      data: {
        status: 'COMPLETED',
        objectCount: '4',
        rootObjectCount: '2',
        url: expect.stringMatching(/^https:\/\/storage\.googleapis\.com\/.*-bulk\.jsonl\?X-Goog-Algorithm=/),
        objects: [
          { id: 'gid://shopify/Product/632910392', title: 'IPod Nano - 8GB' },
          {
            id: 'gid://shopify/ProductVariant/808950810',
            sku: 'IPOD2008PINK',
            __parentId: 'gid://shopify/Product/632910392',
          },
          {
            id: 'gid://shopify/ProductVariant/49148385',
            sku: 'IPOD2008RED',
            __parentId: 'gid://shopify/Product/632910392',
          },
          { id: 'gid://shopify/Product/921728736', title: 'IPod Touch 8GB' },
        ],
      },
    });
    const calls = server.graphqlCalls();
    expect(calls[0]?.variables).toEqual({ query: PRODUCTS_WITH_VARIANTS, groupObjects: false });
    // CREATED after the start, RUNNING at the first poll, COMPLETED at the second.
    expect(calls.slice(1).map((call) => call.query.match(/bulkOperation\(id: \$id\)/) !== null)).toEqual([true, true]);
    const download = server.requests.find((request) => request.host === 'storage.googleapis.com');
    expect(download?.method).toBe('GET');
    expect(download?.headers['x-shopify-access-token']).toBeUndefined();
    expect(download?.headers['authorization']).toBeUndefined();
  });

  it('returns no objects when the query matched nothing (Shopify gives no URL then)', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_BULK_EXPORT', {
      query: '{ customers(query: "email:nobody@example.com") { edges { node { id } } } }',
      poll_interval_ms: 10,
    });
    expect(result).toMatchObject({
      successful: true,
      data: { status: 'COMPLETED', objectCount: '0', url: null, objects: [] },
    });
    expect(server.requests.some((request) => request.host === 'storage.googleapis.com')).toBe(false);
  });

  it('fails with the error code when the operation fails', async () => {
    const toolset = await connected();
    const shop = server.shops.get('acme');
    if (shop) shop.failNextBulk = 'ACCESS_DENIED';
    const result = await toolset.executeAction('SHOPIFY_BULK_EXPORT', {
      query: PRODUCTS_WITH_VARIANTS,
      poll_interval_ms: 10,
    });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        message: expect.stringContaining('ended FAILED (ACCESS_DENIED)'),
        details: { operation: { status: 'FAILED', errorCode: 'ACCESS_DENIED' } },
      },
    });
  });

  it("fails with Shopify's userErrors and their code when an operation is already running", async () => {
    const toolset = await connected();
    // One operation at a time per app and shop: start one and leave it running.
    const first = await toolset.executeAction('SHOPIFY_BULK_OPERATION_RUN_QUERY', {
      query: PRODUCTS_WITH_VARIANTS,
      groupObjects: false,
    });
    expect(first).toMatchObject({ successful: true, data: { data: { bulkOperation: { status: 'CREATED' } } } });
    const second = await toolset.executeAction('SHOPIFY_BULK_EXPORT', { query: PRODUCTS_WITH_VARIANTS });
    expect(second).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        details: { userErrors: [{ field: ['query'], code: 'OPERATION_IN_PROGRESS' }] },
      },
    });
  });

  it('stops waiting at timeout_ms and says the operation keeps running', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_BULK_EXPORT', {
      query: PRODUCTS_WITH_VARIANTS,
      poll_interval_ms: 200,
      timeout_ms: 100,
    });
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'TIMEOUT', details: { operation: { status: 'RUNNING' } } },
    });
  });

  it('refuses an invalid bulk query as Shopify does, in userErrors', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_BULK_EXPORT', {
      query: '{ products { edges { node { nope } } } }',
    });
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', details: { userErrors: [{ field: ['query'], code: 'INVALID' }] } },
    });
  });
});

describe('parseJsonLines', () => {
  it('parses one object per line and skips blank lines', () => {
    expect(parseJsonLines('{"id":1}\n\n{"id":2,"__parentId":1}\n')).toEqual([{ id: 1 }, { id: 2, __parentId: 1 }]);
    expect(() => parseJsonLines('{"id":1}\nnot json')).toThrow(expect.objectContaining({ code: 'INVALID_RESPONSE' }));
  });
});
