import { createToolset, type Connector } from '@plugboard/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminSchema } from '../test/fake-admin-graphql.js';
import { startFakeShopify, type FakeShopify } from '../test/fake-shopify.js';
import { shopifyConnector } from './index.js';

// Shopify's GraphQL Admin API charges each query points from a leaky bucket per app and shop and
// answers THROTTLED (HTTP 200) when a query costs more than the bucket holds. The fake keeps that
// bucket; these tests shrink it so that the waits stay short.
// See https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits

const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

let server: FakeShopify;

// Building Shopify's schema takes a second or two: not inside a measured wait.
beforeAll(() => {
  adminSchema();
});

beforeEach(async () => {
  server = await startFakeShopify();
  server.addToken('acme', TOKEN);
  server.addToken('globex', TOKEN);
});

afterEach(async () => {
  await server.close();
});

async function connected(connector: Connector, shop = 'acme') {
  const toolset = createToolset({ connectors: [connector], fetch: server.fetch });
  await toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: TOKEN, shop } });
  return toolset;
}

function setBucket(shop: string, maximumAvailable: number, currentlyAvailable: number, restoreRate: number) {
  const fake = server.shops.get(shop);
  if (!fake) throw new Error(shop);
  fake.bucket = { maximumAvailable, currentlyAvailable, restoreRate, at: Date.now() };
}

describe('cost-based throttling', () => {
  it('waits out a THROTTLED answer for as long as the throttle status says, then succeeds', async () => {
    const toolset = await connected(shopifyConnector());
    // The shop query costs 4 (the shop and three objects in it): with none left and 2 restored a
    // second, the bucket holds it again two seconds after it was emptied.
    setBucket('acme', 1000, 0, 2);
    const emptied = Date.now();
    const result = await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(Date.now() - emptied).toBeGreaterThanOrEqual(1900);
    expect(result).toMatchObject({ successful: true, data: { shop: { name: 'acme store' } } });
    expect(server.apiRequests()).toHaveLength(2);
  });

  it('gives up as RATE_LIMITED, retryable, with details.retryAfterMs, when the wait is longer than maxRetryAfterMs', async () => {
    const toolset = await connected(shopifyConnector({ throttle: { maxRetryAfterMs: 500 } }));
    setBucket('acme', 1000, 0, 1);
    const result = await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'RATE_LIMITED',
        retryable: true,
        details: {
          retryAfterMs: 4000,
          cost: { requestedQueryCost: 4, throttleStatus: { currentlyAvailable: 0, restoreRate: 1 } },
        },
      },
    });
    expect(server.apiRequests()).toHaveLength(1);
  });

  it('gives up after the retries it is allowed', async () => {
    const toolset = await connected(shopifyConnector({ throttle: { retries: 0 } }));
    setBucket('acme', 1000, 0, 2);
    expect(await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({
      successful: false,
      error: { code: 'RATE_LIMITED', details: { retryAfterMs: 2000 } },
    });
    expect(server.apiRequests()).toHaveLength(1);
  });

  it('shares one bucket per shop between concurrent calls, so that a burst is not throttled', async () => {
    const connector = shopifyConnector();
    const toolset = await connected(connector);
    // Ten customers at most cost 42 (2 + 10 x 4); the bucket holds 100 and restores 200 a second.
    setBucket('acme', 100, 100, 200);
    const input = { limit: 10 };
    // The first answer tells the connector which shop it talks to, its bucket and the query's cost.
    expect(await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', input)).toMatchObject({ successful: true });
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', input)),
    );
    expect(burst.every((result) => result.successful)).toBe(true);
    // Nine calls, nine requests: none was answered THROTTLED and sent again.
    expect(server.apiRequests()).toHaveLength(9);
  });

  it('does not hold back calls of a connector that talks to several shops: it cannot tell which bucket applies', async () => {
    const connector = shopifyConnector({ throttle: { maxRetryAfterMs: 500 } });
    const acme = await connected(connector, 'acme');
    const globex = await connected(connector, 'globex');
    expect(await acme.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({ successful: true });
    expect(await globex.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({ successful: true });
    // Acme's bucket is empty for seconds; globex's is full. A call to globex is sent at once
    // (waiting on acme's bucket, the last to answer, it would fail RATE_LIMITED without a request).
    setBucket('acme', 1000, 0, 1);
    expect(await acme.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({
      successful: false,
      error: { code: 'RATE_LIMITED' },
    });
    const started = Date.now();
    expect(await globex.executeAction('SHOPIFY_GET_SHOP_DETAILS', {})).toMatchObject({ successful: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.apiRequests().map((request) => request.host)).toEqual([
      'acme.myshopify.com',
      'globex.myshopify.com',
      'acme.myshopify.com',
      'globex.myshopify.com',
    ]);
  });

  it("keeps one bucket per shop for a connector that talks to several shops, told by each connection's shop", async () => {
    const connector = shopifyConnector();
    const toolset = createToolset({ connectors: [connector], fetch: server.fetch });
    for (const shop of ['acme', 'globex']) {
      await toolset.initiateConnection({
        app: 'shopify',
        entityId: shop,
        connectedAccountParams: { api_key: TOKEN, shop },
      });
    }
    setBucket('acme', 100, 100, 200);
    setBucket('globex', 100, 100, 200);
    const input = { limit: 10 };
    // One call per shop teaches each shop's bucket; then a burst on both, interleaved.
    for (const entityId of ['acme', 'globex']) {
      expect(await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', input, { entityId })).toMatchObject({
        successful: true,
      });
    }
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', input, { entityId: index % 2 === 0 ? 'acme' : 'globex' }),
      ),
    );
    expect(burst.every((result) => result.successful)).toBe(true);
    // Eighteen calls, eighteen requests: each shop's calls waited on that shop's bucket, none was THROTTLED.
    expect(server.apiRequests()).toHaveLength(18);
  });

  it('without the shared bucket the same burst runs into the limit, as the fake throttles like Shopify', async () => {
    setBucket('acme', 100, 100, 200);
    const toolsets = await Promise.all(Array.from({ length: 8 }, () => connected(shopifyConnector())));
    // Separate connectors have separate keys: none knows the shop yet, so none holds back.
    await Promise.all(toolsets.map((toolset) => toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 10 })));
    // Some were answered THROTTLED and sent again.
    expect(server.apiRequests().length).toBeGreaterThan(8);
  });
});
