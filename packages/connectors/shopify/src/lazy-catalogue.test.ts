import { createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeShopify, type FakeShopify } from '../test/fake-shopify.js';
import { isCatalogueParsed } from './graphql/catalogue.js';
import { shopify, SHOPIFY_DEFAULT_API_VERSION } from './index.js';

// Vitest gives this file its own module registry: nothing else here has touched the catalogue.
const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

let server: FakeShopify;

beforeEach(async () => {
  server = await startFakeShopify();
  server.addToken('acme', TOKEN);
});

afterEach(async () => {
  await server.close();
});

describe('the generated catalogue', () => {
  it('is not parsed at import nor by a curated call, only when a generated action is first asked for', async () => {
    expect(isCatalogueParsed(SHOPIFY_DEFAULT_API_VERSION)).toBe(false);
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    // listApps counts the generated actions from the generated count, without reading the catalogue.
    const counted = toolset.listApps()[0]?.actionCount;
    expect(isCatalogueParsed(SHOPIFY_DEFAULT_API_VERSION)).toBe(false);
    await toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: TOKEN, shop: 'acme' } });
    expect(await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({ successful: true });
    expect(toolset.getAction('SHOPIFY_GET_ALL_CUSTOMERS').name).toBe('SHOPIFY_GET_ALL_CUSTOMERS');
    expect(isCatalogueParsed(SHOPIFY_DEFAULT_API_VERSION)).toBe(false);
    expect(toolset.getAction('SHOPIFY_ORDER_UPDATE').scopes).toContain('write_orders');
    expect(isCatalogueParsed(SHOPIFY_DEFAULT_API_VERSION)).toBe(true);
    // The declared count is the catalogue's: the same before and after it is loaded.
    expect(shopify.generatedActionCount).toBe(shopify.generatedActions?.().length);
    expect(counted).toBe(shopify.actions.length + (shopify.generatedActions?.().length ?? 0));
    expect(toolset.listApps()[0]?.actionCount).toBe(counted);
  });
});
