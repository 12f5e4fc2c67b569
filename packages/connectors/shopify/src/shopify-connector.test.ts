import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_ERRORS, startFakeShopify, type FakeShopify, type RecordedRequest } from '../test/fake-shopify.js';
import {
  shopify,
  shopifyConnector,
  SHOPIFY_API_VERSIONS,
  SHOPIFY_CONNECTOR_VERSION,
  SHOPIFY_DEFAULT_API_VERSION,
} from './index.js';

const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';
const BASE = `/admin/api/${SHOPIFY_DEFAULT_API_VERSION}`;

let server: FakeShopify;

beforeEach(async () => {
  server = await startFakeShopify();
  server.addToken('acme', TOKEN);
});

afterEach(async () => {
  await server.close();
});

async function connected(connector = shopify, entityId = 'default') {
  const toolset = createToolset({ connectors: [connector], fetch: server.fetch, http: { backoffLimitMs: 50 } });
  await toolset.initiateConnection({
    app: 'shopify',
    entityId,
    connectedAccountParams: { api_key: TOKEN, shop: 'acme' },
  });
  return toolset;
}

/** The one API request the call made, checked for what every Shopify request carries. */
function onlyRequest(): RecordedRequest {
  const requests = server.apiRequests();
  expect(requests).toHaveLength(1);
  const request = requests[0] as RecordedRequest;
  expect(request.host).toBe('acme.myshopify.com');
  expect(request.headers['x-shopify-access-token']).toBe(TOKEN);
  expect(request.headers['accept']).toBe('application/json');
  expect(request.headers['authorization']).toBeUndefined();
  return request;
}

const customers = () => server.shops.get('acme')?.customers ?? [];

describe('catalogue', () => {
  it('registers the app with its two auth modes and twelve actions', () => {
    const toolset = createToolset({ connectors: [shopify] });
    expect(toolset.listApps()).toEqual([
      {
        id: 'shopify',
        name: 'Shopify',
        description: shopify.description,
        authModes: ['API_KEY', 'OAUTH2'],
        actionCount: 12 + (shopify.generatedActions?.().length ?? 0),
        version: SHOPIFY_CONNECTOR_VERSION,
      },
    ]);
    expect(shopify.actions.map((action) => action.name)).toEqual([
      'SHOPIFY_GET_ALL_CUSTOMERS',
      'SHOPIFY_GET_CUSTOMER',
      'SHOPIFY_CREATE_CUSTOMER',
      'SHOPIFY_SEARCH_CUSTOMERS',
      'SHOPIFY_COUNT_CUSTOMERS',
      'SHOPIFY_LIST_ORDERS',
      'SHOPIFY_GET_ORDER',
      'SHOPIFY_LIST_PRODUCTS',
      'SHOPIFY_GET_PRODUCT',
      'SHOPIFY_CREATE_PRODUCT',
      'SHOPIFY_GET_SHOP_DETAILS',
      'SHOPIFY_GRAPHQL_QUERY',
    ]);
    expect(toolset.getAction('SHOPIFY_GET_SHOP').name).toBe('SHOPIFY_GET_SHOP_DETAILS');
  });

  it('keeps the version constant equal to package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(SHOPIFY_CONNECTOR_VERSION).toBe(manifest.version);
    expect(shopify.version).toBe(manifest.version);
  });

  it('describes every input field for the JSON Schema an LLM sees', () => {
    const toolset = createToolset({ connectors: [shopify] });
    for (const action of toolset.listActions({ app: 'shopify' })) {
      const properties = (action.inputJsonSchema['properties'] ?? {}) as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${action.name}.${name}`).toMatch(/\w/);
      }
      expect(action.inputJsonSchema['additionalProperties'], action.name).toBe(false);
    }
  });

  it('asks the user for the Admin API token and the shop name (API_KEY), and only the shop for OAUTH2', async () => {
    const toolset = createToolset({ connectors: [shopify] });
    const apiKey = await toolset.getExpectedParamsForUser({ app: 'shopify', authScheme: 'API_KEY' });
    expect(
      apiKey.expectedParams.map(({ name, required, secret, suppliedBy }) => ({ name, required, secret, suppliedBy })),
    ).toEqual([
      { name: 'api_key', required: true, secret: true, suppliedBy: 'user' },
      { name: 'shop', required: true, secret: false, suppliedBy: 'user' },
    ]);
    expect(apiKey.expectedParams[1]?.pattern).toBe('[a-zA-Z0-9][a-zA-Z0-9-]{0,62}');
    const oauth = await toolset.getExpectedParamsForUser({ app: 'shopify', authScheme: 'OAUTH2' });
    expect(oauth.expectedParams.map((field) => field.name)).toEqual(['shop']);
    const developer = toolset
      .getAuthSchemeForApp('shopify', 'OAUTH2')
      .fields.filter((field) => field.suppliedBy === 'developer');
    expect(developer.map((field) => field.name)).toEqual(['client_id', 'client_secret', 'scopes']);
  });
});

describe('API_KEY: an Admin API access token and a shop name', () => {
  it("seed flow: connects with api_key + shop, then gets all customers from the shop's own host", async () => {
    const toolset = await connected(shopify, 'merchant-1');
    const result = await toolset.executeAction(
      'SHOPIFY_GET_ALL_CUSTOMERS',
      { limit: 2, created_at_min: '2024-01-01T00:00:00-05:00', fields: ['id', 'email'] },
      { entityId: 'merchant-1' },
    );
    const request = onlyRequest();
    expect(request.method).toBe('GET');
    expect(request.path).toBe(`${BASE}/customers.json`);
    expect(request.search).toBe('created_at_min=2024-01-01T00%3A00%3A00-05%3A00&limit=2&fields=id%2Cemail');
    expect(request.body).toBe('');
    const [ada, bob] = customers();
    expect(result).toMatchObject({ successful: true, error: null });
    expect(result.data).toEqual({
      items: [
        { id: ada?.id, email: 'ada@example.com' },
        { id: bob?.id, email: 'bob@example.com' },
      ],
      nextPageInfo: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      previousPageInfo: null,
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('follows nextPageInfo with only limit and fields, and reports the previous page cursor', async () => {
    const toolset = await connected();
    const first = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 2, since_id: customers()[0]?.id });
    const firstPage = first.data as { items: Array<{ email: string }>; nextPageInfo: string };
    expect(firstPage.items.map((entry) => entry.email)).toEqual(['bob@example.com', 'cleo@example.com']);

    const second = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      page_info: firstPage.nextPageInfo,
      limit: 2,
    });
    const request = server.apiRequests()[1] as RecordedRequest;
    expect(request.search).toBe(`limit=2&page_info=${firstPage.nextPageInfo}`);
    const secondPage = second.data as {
      items: Array<{ email: string }>;
      nextPageInfo: string | null;
      previousPageInfo: string | null;
      rateLimit: unknown;
    };
    expect(secondPage.items.map((entry) => entry.email)).toEqual(['dan@example.com', 'eve@example.com']);
    expect(secondPage.nextPageInfo).toBeNull();
    expect(secondPage.previousPageInfo).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(secondPage.rateLimit).toEqual({ used: 2, max: 40 });

    const back = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      page_info: secondPage.previousPageInfo,
      limit: 2,
    });
    expect((back.data as { items: Array<{ email: string }> }).items.map((entry) => entry.email)).toEqual([
      'bob@example.com',
      'cleo@example.com',
    ]);
  });

  it('refuses page_info with another filter before anything is sent', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      page_info: 'abc123',
      created_at_min: '2024-01-01',
      limit: 10,
      fields: 'id',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(result.error?.message).toContain('created_at_min cannot be passed with page_info');
    expect(server.requests).toHaveLength(0);
    // The rule is Shopify's own: the fake answers 400 when it is broken.
    const raw = await toolset.proxy({
      app: 'shopify',
      method: 'GET',
      path: '/customers.json',
      query: { page_info: 'abc', since_id: 1 },
    });
    expect(raw).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        status: 400,
        details: { body: { errors: { since_id: 'since_id cannot be passed when page_info is present.' } } },
      },
    });
  });

  it('retries a GET answered 429 with Retry-After, after waiting that long', async () => {
    const toolset = await connected();
    server.throttleNext('1.0');
    const started = Date.now();
    const result = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.successful).toBe(true);
    expect(server.apiRequests().map((request) => `${request.method} ${request.path}?${request.search}`)).toEqual([
      `GET ${BASE}/customers.json?limit=1`,
      `GET ${BASE}/customers.json?limit=1`,
    ]);
  });

  it('does not repeat a POST answered 429 without Retry-After, and says it may be retried', async () => {
    const toolset = await connected();
    server.throttleNext(null);
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', { customer: { email: 'new@example.com' } });
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 429, retryable: true },
    });
    expect(result.error?.message).toContain(API_ERRORS.throttled);
    expect(server.apiRequests()).toHaveLength(1);
    expect(customers().some((entry) => entry.email === 'new@example.com')).toBe(false);
  });

  it('repeats a POST answered 429 with Retry-After: Shopify did not act on it', async () => {
    const toolset = await connected();
    server.throttleNext('1');
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', { customer: { email: 'new@example.com' } });
    expect(result.successful).toBe(true);
    expect(server.apiRequests()).toHaveLength(2);
  });

  it("reports a refused token as a 401 with Shopify's message, never the token", async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    const wrong = 'shpat_ffffffffffffffffffffffffffffffff';
    await toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: wrong, shop: 'acme' } });
    const result = await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 401, retryable: false },
    });
    expect(result.error?.message).toContain(API_ERRORS.unauthorized);
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(inspect(result, { depth: 10 })).not.toContain(wrong);
  });

  it('refuses a shop that is not a bare myshopify.com subdomain before anything is stored or sent', async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    for (const shop of ['evil.example/x', 'acme.myshopify.com', '-acme', 'a'.repeat(64)]) {
      await expect(
        toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: TOKEN, shop } }),
      ).rejects.toMatchObject({
        code: 'INVALID_CONNECTION_PARAMS',
      });
    }
    expect(await toolset.listConnections()).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('accepts custom auth placed by the caller, for one call', async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    const auth = {
      parameters: [
        { name: 'X-Shopify-Access-Token', in: 'header' as const, value: TOKEN },
        { name: 'shop', in: 'subdomain' as const, value: 'acme' },
      ],
    };
    const result = await toolset.executeAction('SHOPIFY_COUNT_CUSTOMERS', {}, { auth });
    expect(result).toEqual({ successful: true, data: { count: 5, rateLimit: { used: 1, max: 40 } }, error: null });
    expect(onlyRequest().path).toBe(`${BASE}/customers/count.json`);
  });
});

describe('customers', () => {
  it('SHOPIFY_GET_CUSTOMER: GET /customers/{id}.json', async () => {
    const toolset = await connected();
    const ada = customers()[0];
    const result = await toolset.executeAction('SHOPIFY_GET_CUSTOMER', {
      customer_id: String(ada?.id),
      fields: 'id,first_name',
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/customers/${ada?.id}.json?fields=id%2Cfirst_name`,
    );
    expect(result.data).toEqual({ customer: { id: ada?.id, first_name: 'Ada' }, rateLimit: { used: 1, max: 40 } });
  });

  it('SHOPIFY_GET_CUSTOMER: an unknown id is Shopify\'s 404 "Not Found"', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_CUSTOMER', { customer_id: 999 });
    expect(onlyRequest().path).toBe(`${BASE}/customers/999.json`);
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 404, details: { body: { errors: 'Not Found' } } },
    });
  });

  it('SHOPIFY_CREATE_CUSTOMER: POST /customers.json with { customer }', async () => {
    const toolset = await connected();
    const customer = {
      first_name: 'Steve',
      last_name: 'Lastnameson',
      email: 'steve.lastnameson@example.com',
      phone: '+15142546011',
      verified_email: true,
      addresses: [{ address1: '123 Oak St', city: 'Ottawa', province: 'ON', zip: '123 ABC', country: 'CA' }],
      tags: 'wholesale',
      accepts_marketing_updated_at: '2024-01-01T00:00:00Z',
    };
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', { customer });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}${request.search}`).toBe(`POST ${BASE}/customers.json`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ customer });
    const created = customers().at(-1);
    expect(result.data).toMatchObject({
      customer: { id: created?.id, email: 'steve.lastnameson@example.com', first_name: 'Steve' },
      rateLimit: { used: 1, max: 40 },
    });
  });

  it("SHOPIFY_CREATE_CUSTOMER: a taken email is Shopify's 422 with the field errors", async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', {
      customer: { email: 'ada@example.com', first_name: 'Ada' },
    });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        status: 422,
        details: { body: { errors: { email: ['has already been taken'] } } },
      },
    });
  });

  it('SHOPIFY_SEARCH_CUSTOMERS: GET /customers/search.json with query and order', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_SEARCH_CUSTOMERS', {
      query: 'email:bob@example.com',
      order: 'last_order_date DESC',
      fields: ['id', 'email'],
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/customers/search.json?query=email%3Abob%40example.com&order=last_order_date+DESC&fields=id%2Cemail`,
    );
    expect(result.data).toEqual({
      items: [{ id: customers()[1]?.id, email: 'bob@example.com' }],
      nextPageInfo: null,
      previousPageInfo: null,
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('SHOPIFY_COUNT_CUSTOMERS: GET /customers/count.json with date filters', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_COUNT_CUSTOMERS', {
      created_at_min: '2024-03-01T00:00:00Z',
      updated_at_max: '2024-12-31',
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/customers/count.json?created_at_min=2024-03-01T00%3A00%3A00Z&updated_at_max=2024-12-31`,
    );
    expect(result.data).toEqual({ count: 3, rateLimit: { used: 1, max: 40 } });
  });

  it('refuses bad customer input before anything is sent', async () => {
    const toolset = await connected();
    const bad: Array<[string, unknown]> = [
      ['SHOPIFY_GET_ALL_CUSTOMERS', { limit: 251 }],
      ['SHOPIFY_GET_ALL_CUSTOMERS', { created_at_min: 'yesterday' }],
      ['SHOPIFY_GET_ALL_CUSTOMERS', { created_after: '2024-01-01' }],
      ['SHOPIFY_GET_CUSTOMER', { customer_id: '12/../orders' }],
      ['SHOPIFY_CREATE_CUSTOMER', { customer: {} }],
      ['SHOPIFY_CREATE_CUSTOMER', { customer: { email: 'not an email' } }],
      ['SHOPIFY_SEARCH_CUSTOMERS', { page_info: 'abc', query: 'bob' }],
    ];
    for (const [name, input] of bad) {
      expect(await toolset.executeAction(name, input), name).toMatchObject({
        successful: false,
        error: { code: 'INVALID_PARAMS' },
      });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('orders', () => {
  it('SHOPIFY_LIST_ORDERS: GET /orders.json, open orders by default', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_LIST_ORDERS', {});
    const request = onlyRequest();
    expect(`${request.method} ${request.path}${request.search}`).toBe(`GET ${BASE}/orders.json`);
    expect((result.data as { items: Array<{ name: string }> }).items.map((order) => order.name)).toEqual([
      '#1001',
      '#1002',
    ]);
  });

  it('SHOPIFY_LIST_ORDERS: status, financial_status, ids and fields go to the query as Shopify names them', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_LIST_ORDERS', {
      status: 'any',
      financial_status: 'refunded',
      ids: [450789471, '450789472'],
      fields: 'id,name',
      limit: 5,
    });
    const request = onlyRequest();
    expect(request.search).toBe(
      'ids=450789471%2C450789472&limit=5&status=any&financial_status=refunded&fields=id%2Cname',
    );
    expect(result.data).toEqual({
      items: [{ id: 450789471, name: '#1003' }],
      nextPageInfo: null,
      previousPageInfo: null,
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('SHOPIFY_GET_ORDER: GET /orders/{id}.json', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_ORDER', { order_id: 450789469 });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}${request.search}`).toBe(`GET ${BASE}/orders/450789469.json`);
    expect(result.data).toMatchObject({
      order: { id: 450789469, name: '#1001', line_items: [{ title: 'IPod Nano - 8gb' }] },
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('refuses bad order input before anything is sent', async () => {
    const toolset = await connected();
    for (const input of [{ status: 'pending' }, { financial_status: 'free' }, { page_info: 'abc', status: 'any' }]) {
      expect(await toolset.executeAction('SHOPIFY_LIST_ORDERS', input)).toMatchObject({
        successful: false,
        error: { code: 'INVALID_PARAMS' },
      });
    }
    expect(await toolset.executeAction('SHOPIFY_GET_ORDER', { order_id: '#1001' })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('products', () => {
  it('SHOPIFY_LIST_PRODUCTS: GET /products.json with filters', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_LIST_PRODUCTS', {
      vendor: 'Apple',
      status: ['active', 'draft'],
      limit: 1,
      fields: 'id,title',
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/products.json?limit=1&vendor=Apple&status=active%2Cdraft&fields=id%2Ctitle`,
    );
    const page = result.data as { items: unknown[]; nextPageInfo: string };
    expect(page.items).toEqual([{ id: 632910392, title: 'IPod Nano - 8GB' }]);
    const next = await toolset.executeAction('SHOPIFY_LIST_PRODUCTS', {
      page_info: page.nextPageInfo,
      limit: 1,
      fields: 'id,title',
    });
    expect(next.data).toMatchObject({ items: [{ id: 921728736, title: 'IPod Touch 8GB' }], nextPageInfo: null });
  });

  it('SHOPIFY_GET_PRODUCT: GET /products/{id}.json', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_PRODUCT', {
      product_id: '632910392',
      fields: ['id', 'variants'],
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/products/632910392.json?fields=id%2Cvariants`,
    );
    expect(result.data).toEqual({
      product: { id: 632910392, variants: [{ id: 808950810, price: '199.00', sku: 'IPOD2008PINK' }] },
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('SHOPIFY_CREATE_PRODUCT: POST /products.json with { product }', async () => {
    const toolset = await connected();
    const product = {
      title: 'Burton Custom Freestyle 151',
      body_html: '<strong>Good snowboard!</strong>',
      vendor: 'Burton',
      product_type: 'Snowboard',
      status: 'draft',
      tags: ['Barnes & Noble', 'Big Air'],
    };
    const result = await toolset.executeAction('SHOPIFY_CREATE_PRODUCT', { product });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}`).toBe(`POST ${BASE}/products.json`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ product });
    expect(result.data).toMatchObject({
      product: { title: 'Burton Custom Freestyle 151', handle: 'burton-custom-freestyle-151', status: 'draft' },
      rateLimit: { used: 1, max: 40 },
    });
  });

  it('refuses bad product input before anything is sent', async () => {
    const toolset = await connected();
    expect(await toolset.executeAction('SHOPIFY_CREATE_PRODUCT', { product: { vendor: 'Burton' } })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(await toolset.executeAction('SHOPIFY_LIST_PRODUCTS', { published_status: 'hidden' })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(await toolset.executeAction('SHOPIFY_GET_PRODUCT', { product_id: 0 })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('shop', () => {
  it('SHOPIFY_GET_SHOP_DETAILS: GET /shop.json', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {
      fields: 'name,myshopify_domain,currency',
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}?${request.search}`).toBe(
      `GET ${BASE}/shop.json?fields=name%2Cmyshopify_domain%2Ccurrency`,
    );
    expect(result.data).toEqual({
      shop: { name: 'acme store', myshopify_domain: 'acme.myshopify.com', currency: 'USD' },
      rateLimit: { used: 1, max: 40 },
    });
    expect(await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', { fields: 'name; DROP' })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(server.apiRequests()).toHaveLength(1);
  });
});

describe('GraphQL Admin API', () => {
  it('SHOPIFY_GRAPHQL_QUERY: POST /graphql.json with { query, variables }, returning data and extensions.cost', async () => {
    const toolset = await connected();
    const query = 'query Customers($first: Int!) { customers(first: $first) { nodes { id email } } }';
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', {
      query,
      variables: { first: 2 },
      operationName: 'Customers',
    });
    const request = onlyRequest();
    expect(`${request.method} ${request.path}${request.search}`).toBe(`POST ${BASE}/graphql.json`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ query, variables: { first: 2 }, operationName: 'Customers' });
    const [ada, bob] = customers();
    expect(result).toEqual({
      successful: true,
      data: {
        data: {
          customers: {
            nodes: [
              { id: `gid://shopify/Customer/${ada?.id}`, email: 'ada@example.com' },
              { id: `gid://shopify/Customer/${bob?.id}`, email: 'bob@example.com' },
            ],
          },
        },
        cost: {
          requestedQueryCost: 4,
          actualQueryCost: 3,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1997, restoreRate: 100 },
        },
      },
      error: null,
    });
  });

  it('fails on errors in a 200 answer, with the errors and the cost in details', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ nonsense { id } }' });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        status: 200,
        retryable: false,
        details: {
          errors: [
            { message: "Field 'nonsense' doesn't exist on type 'QueryRoot'", extensions: { code: 'undefinedField' } },
          ],
          cost: { requestedQueryCost: 1 },
        },
      },
    });
    expect(result.error?.message).toContain("Field 'nonsense' doesn't exist on type 'QueryRoot'");
    const syntax = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ shop { name }' });
    expect(syntax).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        details: { errors: [{ message: 'syntax error, unexpected end of file' }], cost: null },
      },
    });
  });

  it('waits out a THROTTLED answer for as long as the restore rate says, then succeeds', async () => {
    const toolset = await connected();
    server.throttleGraphqlNext();
    const started = Date.now();
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ shop { name } }' });
    // requested 12, available 2, restoring 100 a second: 100 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(result).toEqual({
      successful: true,
      data: {
        data: { shop: { name: 'acme store' } },
        cost: {
          requestedQueryCost: 1,
          actualQueryCost: 1,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 },
        },
      },
      error: null,
    });
    expect(server.apiRequests()).toHaveLength(2);
  });

  it('gives up on THROTTLED as RATE_LIMITED, retryable, with the wait, when retries are off', async () => {
    const toolset = await connected(shopifyConnector({ throttle: { retries: 0 } }));
    server.throttleGraphqlNext();
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ shop { name } }' });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'RATE_LIMITED',
        retryable: true,
        details: { retryAfterMs: 100, cost: { requestedQueryCost: 12 } },
      },
    });
    expect(server.apiRequests()).toHaveLength(1);
  });

  it('refuses an empty query or variables that are not an object before anything is sent', async () => {
    const toolset = await connected();
    expect(await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '' })).toMatchObject({
      successful: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(
      await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ shop { name } }', variables: [1] }),
    ).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(server.requests).toHaveLength(0);
  });
});

describe('API version', () => {
  it('is pinned by default and configurable per connector', async () => {
    expect(shopify.baseUrl).toBe(`https://{shop}.myshopify.com/admin/api/${SHOPIFY_DEFAULT_API_VERSION}`);
    const toolset = await connected(shopifyConnector({ apiVersion: '2026-10' }));
    await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(onlyRequest().path).toBe('/admin/api/2026-10/shop.json');
  });

  it('refuses a version the generated actions were not built from, naming those it accepts', () => {
    for (const apiVersion of ['2026-08', 'latest', '../2026-07', '2026-07/x', '2026-07', 'unstable']) {
      expect(() => shopifyConnector({ apiVersion })).toThrow(
        expect.objectContaining({ code: 'INVALID_DEFINITION', message: expect.stringContaining('"2026-10"') }),
      );
    }
    expect(SHOPIFY_API_VERSIONS).toEqual(['2026-10']);
  });
});
