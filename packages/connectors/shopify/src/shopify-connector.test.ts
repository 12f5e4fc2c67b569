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

/** The GraphQL body of the only API request, checked to go to the Admin API's one endpoint. */
function onlyCall(): { query: string; variables: Record<string, unknown> } {
  const request = onlyRequest();
  expect(request.method).toBe('POST');
  expect(request.path).toBe(`${BASE}/graphql.json`);
  return JSON.parse(request.body) as { query: string; variables: Record<string, unknown> };
}

describe('catalogue', () => {
  it('registers the app with its two auth modes, thirteen curated actions and the generated ones', () => {
    const toolset = createToolset({ connectors: [shopify] });
    expect(toolset.listApps()).toEqual([
      {
        id: 'shopify',
        name: 'Shopify',
        description: shopify.description,
        authModes: ['API_KEY', 'OAUTH2'],
        actionCount: 13 + (shopify.generatedActions?.().length ?? 0),
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
      'SHOPIFY_BULK_EXPORT',
    ]);
    expect(toolset.getAction('SHOPIFY_GET_SHOP').name).toBe('SHOPIFY_GET_SHOP_DETAILS');
    // The generated names of the operations curated actions cover stay reachable, as aliases.
    expect(toolset.getAction('SHOPIFY_SHOP').name).toBe('SHOPIFY_GET_SHOP_DETAILS');
    expect(toolset.getAction('SHOPIFY_PRODUCT_CREATE').name).toBe('SHOPIFY_CREATE_PRODUCT');
    expect(toolset.getAction('SHOPIFY_CUSTOMERS_COUNT').name).toBe('SHOPIFY_COUNT_CUSTOMERS');
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
    for (const action of toolset.listActions({ app: 'shopify' }).slice(0, shopify.actions.length)) {
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
  it("seed flow: connects with api_key + shop, then gets all customers from the shop's own GraphQL endpoint", async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {});
    const call = onlyCall();
    expect(call.query).toMatch(/^query Customers\(.*\) \{ customers\(first: \$first, after: \$after, query: \$query/);
    expect(call.variables).toEqual({ first: 50, after: null, query: null, sortKey: 'ID', reverse: false });
    expect(result).toMatchObject({
      successful: true,
      data: {
        items: customers().map((entry) => ({ id: entry.id, firstName: entry['firstName'] })),
        nextPageInfo: null,
        cost: { requestedQueryCost: expect.any(Number), throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } },
      },
    });
  });

  it('follows nextPageInfo as the after cursor, with the same filters, to the last page', async () => {
    const toolset = await connected();
    const first = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 2, fields: 'id,first_name' });
    expect(first).toMatchObject({ successful: true, data: { items: [{}, {}] } });
    const firstData = first.data as { items: Array<Record<string, unknown>>; nextPageInfo: string };
    expect(Object.keys(firstData.items[0] ?? {})).toEqual(['id', 'firstName']);
    const second = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      limit: 2,
      fields: 'id,first_name',
      page_info: firstData.nextPageInfo,
    });
    const third = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      limit: 2,
      page_info: (second.data as { nextPageInfo: string }).nextPageInfo,
    });
    const names = [first, second, third].flatMap((page) =>
      (page.data as { items: Array<{ firstName: string }> }).items.map((item) => item.firstName),
    );
    expect(names).toEqual(['Ada', 'Bob', 'Cleo', 'Dan', 'Eve']);
    expect((third.data as { nextPageInfo: string | null }).nextPageInfo).toBeNull();
    const calls = server.graphqlCalls();
    expect(calls[1]?.variables?.['after']).toBe(firstData.nextPageInfo);
    expect(calls[0]?.query).toContain('nodes { id firstName }');
  });

  it("turns the REST filters into Shopify's search syntax: ids, since_id and dates", async () => {
    const toolset = await connected();
    const [ada, bob, cleo] = customers();
    const result = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', {
      ids: [Number(ada?.legacyResourceId), String(bob?.legacyResourceId), String(cleo?.id)],
      since_id: ada?.id,
      created_at_max: '2024-03-01T00:00:00Z',
    });
    expect(onlyCall().variables['query']).toBe(
      `(id:${ada?.legacyResourceId} OR id:${bob?.legacyResourceId} OR id:${cleo?.legacyResourceId}) AND id:>${ada?.legacyResourceId} AND created_at:<="2024-03-01T00:00:00Z"`,
    );
    expect((result.data as { items: Array<{ firstName: string }> }).items.map((item) => item.firstName)).toEqual([
      'Bob',
    ]);
  });

  it("reports a refused token as a 401 with Shopify's message, never the token", async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch, http: { retries: 0 } });
    const wrong = 'shpat_ffffffffffffffffffffffffffffffff';
    await toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: wrong, shop: 'acme' } });
    const result = await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 401, details: { body: { errors: API_ERRORS.unauthorized } } },
    });
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(inspect(result, { depth: 10 })).not.toContain(wrong);
  });

  it('refuses a shop that is not a bare myshopify.com subdomain before anything is stored or sent', async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    for (const shop of ['acme.myshopify.com', 'evil.com/x', 'a b', '']) {
      await expect(
        toolset.initiateConnection({ app: 'shopify', connectedAccountParams: { api_key: TOKEN, shop } }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^INVALID_/) });
    }
    expect(server.requests).toHaveLength(0);
  });

  it('accepts custom auth placed by the caller, for one call', async () => {
    const toolset = createToolset({ connectors: [shopify], fetch: server.fetch });
    const result = await toolset.executeAction(
      'SHOPIFY_COUNT_CUSTOMERS',
      {},
      {
        auth: {
          parameters: [
            { in: 'header', name: 'X-Shopify-Access-Token', value: TOKEN },
            { in: 'subdomain', name: 'shop', value: 'acme' },
          ],
        },
      },
    );
    expect(result).toMatchObject({ successful: true, data: { count: 5, precision: 'EXACT' } });
    expect(onlyCall().query).toBe(
      'query CustomersCount($query: String) { customersCount(query: $query) { count precision } }',
    );
  });
});

describe('customers', () => {
  it('SHOPIFY_GET_CUSTOMER: takes the REST number or the gid and asks for the gid', async () => {
    const toolset = await connected();
    const ada = customers()[0];
    const byNumber = await toolset.executeAction('SHOPIFY_GET_CUSTOMER', {
      customer_id: Number(ada?.legacyResourceId),
    });
    expect(byNumber).toMatchObject({
      successful: true,
      data: {
        customer: {
          id: ada?.id,
          displayName: 'Ada Lovelace',
          defaultEmailAddress: { emailAddress: 'ada@example.com' },
        },
      },
    });
    expect(onlyCall().variables).toEqual({ id: ada?.id });
    const byGid = await toolset.executeAction('SHOPIFY_GET_CUSTOMER', { customer_id: ada?.id, fields: ['id', 'tags'] });
    expect(byGid).toMatchObject({ successful: true, data: { customer: { id: ada?.id, tags: ['vip'] } } });
  });

  it('SHOPIFY_GET_CUSTOMER: an id that names no customer fails with 404', async () => {
    const toolset = await connected();
    expect(await toolset.executeAction('SHOPIFY_GET_CUSTOMER', { customer_id: 1 })).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 404 },
    });
  });

  it('SHOPIFY_CREATE_CUSTOMER: customerCreate with the REST field names mapped to CustomerInput', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', {
      customer: {
        first_name: 'Jane',
        last_name: 'Doe',
        email: 'jane@example.com',
        tags: 'vip, wholesale',
        email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in' },
      },
    });
    expect(onlyCall().variables).toEqual({
      input: {
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'jane@example.com',
        tags: ['vip', 'wholesale'],
        emailMarketingConsent: { marketingState: 'SUBSCRIBED', marketingOptInLevel: 'SINGLE_OPT_IN' },
      },
    });
    expect(result).toMatchObject({
      successful: true,
      data: { customer: { displayName: 'Jane Doe', tags: ['vip', 'wholesale'] } },
    });
    expect(customers()).toHaveLength(6);
  });

  it("SHOPIFY_CREATE_CUSTOMER: a taken email is Shopify's userErrors, with the field path", async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_CREATE_CUSTOMER', { customer: { email: 'ada@example.com' } });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        message: 'Shopify refused customerCreate: email: Email has already been taken',
        details: { userErrors: [{ field: ['email'], message: 'Email has already been taken' }] },
      },
    });
  });

  it('SHOPIFY_SEARCH_CUSTOMERS: the query as given, with a sort key', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_SEARCH_CUSTOMERS', {
      query: 'email:bob@example.com',
      sort_key: 'CREATED_AT',
      reverse: true,
    });
    expect(onlyCall().variables).toMatchObject({
      query: 'email:bob@example.com',
      sortKey: 'CREATED_AT',
      reverse: true,
    });
    expect((result.data as { items: Array<{ firstName: string }> }).items.map((item) => item.firstName)).toEqual([
      'Bob',
    ]);
  });

  it('SHOPIFY_COUNT_CUSTOMERS: customersCount with date filters', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_COUNT_CUSTOMERS', { created_at_min: '2024-03-01' });
    expect(onlyCall().variables).toEqual({ query: 'created_at:>=2024-03-01' });
    expect(result).toMatchObject({ successful: true, data: { count: 3, precision: 'EXACT' } });
  });

  it('refuses bad customer input before anything is sent', async () => {
    const toolset = await connected();
    const bad: Array<[string, Record<string, unknown>]> = [
      ['SHOPIFY_GET_CUSTOMER', { customer_id: 'gid://shopify/Order/1' }],
      ['SHOPIFY_GET_CUSTOMER', { customer_id: '12; drop' }],
      ['SHOPIFY_GET_ALL_CUSTOMERS', { limit: 251 }],
      ['SHOPIFY_GET_ALL_CUSTOMERS', { created_at_min: 'yesterday' }],
      ['SHOPIFY_CREATE_CUSTOMER', { customer: {} }],
      ['SHOPIFY_CREATE_CUSTOMER', { customer: { email: 'not-an-email' } }],
      ['SHOPIFY_CREATE_CUSTOMER', { customer: { first_name: 'A', password: 'x' } }],
      ['SHOPIFY_SEARCH_CUSTOMERS', { sort_key: 'last_order_date DESC' }],
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
  it('SHOPIFY_LIST_ORDERS: open orders unless status says otherwise, as in the REST API', async () => {
    const toolset = await connected();
    const open = await toolset.executeAction('SHOPIFY_LIST_ORDERS', {});
    expect((open.data as { items: Array<{ name: string }> }).items.map((order) => order.name)).toEqual([
      '#1001',
      '#1002',
    ]);
    const all = await toolset.executeAction('SHOPIFY_LIST_ORDERS', { status: 'any', fields: 'id,name' });
    expect((all.data as { items: unknown[] }).items).toHaveLength(4);
    expect(server.graphqlCalls().map((call) => call.variables?.['query'])).toEqual(['status:open', null]);
  });

  it('SHOPIFY_LIST_ORDERS: status, financial_status and name become search terms, quoted where needed', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_LIST_ORDERS', {
      status: 'any',
      financial_status: 'paid',
      name: '#1001',
    });
    expect(onlyCall().variables['query']).toBe('financial_status:paid AND name:"#1001"');
    expect((result.data as { items: Array<{ name: string }> }).items.map((order) => order.name)).toEqual(['#1001']);
  });

  it('SHOPIFY_GET_ORDER: the order with its line items and money in shop currency', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_ORDER', { order_id: 450789469 });
    expect(onlyCall().variables).toEqual({ id: 'gid://shopify/Order/450789469' });
    expect(result).toMatchObject({
      successful: true,
      data: {
        order: {
          name: '#1001',
          displayFinancialStatus: 'PAID',
          totalPriceSet: { shopMoney: { amount: '199.00', currencyCode: 'USD' } },
          lineItems: { nodes: [{ title: 'IPod Nano - 8gb', quantity: 1 }] },
        },
      },
    });
  });
});

describe('products', () => {
  it('SHOPIFY_LIST_PRODUCTS: vendor and statuses as search terms, variants included', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_LIST_PRODUCTS', { vendor: 'Apple', status: 'active,draft' });
    expect(onlyCall().variables['query']).toBe('vendor:Apple AND (status:active OR status:draft)');
    expect(result).toMatchObject({
      successful: true,
      data: {
        items: [
          {
            title: 'IPod Nano - 8GB',
            status: 'ACTIVE',
            variants: { nodes: [{ sku: 'IPOD2008PINK' }, { sku: 'IPOD2008RED' }] },
          },
          { title: 'IPod Touch 8GB', status: 'DRAFT' },
        ],
      },
    });
  });

  it('SHOPIFY_GET_PRODUCT: by number', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GET_PRODUCT', { product_id: '632910392' });
    expect(onlyCall().variables).toEqual({ id: 'gid://shopify/Product/632910392' });
    expect(result).toMatchObject({ successful: true, data: { product: { handle: 'ipod-nano' } } });
  });

  it('SHOPIFY_CREATE_PRODUCT: productCreate with ProductCreateInput and images as media', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_CREATE_PRODUCT', {
      product: {
        title: 'Snowboard',
        vendor: 'Burton',
        body_html: '<p>Fast</p>',
        status: 'draft',
        tags: ['winter'],
        options: [{ name: 'Size', values: ['S', 'M'] }],
        images: [{ src: 'https://cdn.example/board.png', alt: 'Board' }],
      },
    });
    expect(onlyCall().variables).toEqual({
      product: {
        title: 'Snowboard',
        vendor: 'Burton',
        descriptionHtml: '<p>Fast</p>',
        status: 'DRAFT',
        tags: ['winter'],
        productOptions: [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }] }],
      },
      media: [{ originalSource: 'https://cdn.example/board.png', mediaContentType: 'IMAGE', alt: 'Board' }],
    });
    expect(result).toMatchObject({ successful: true, data: { product: { title: 'Snowboard', status: 'DRAFT' } } });
  });

  it("SHOPIFY_CREATE_PRODUCT: Shopify's userErrors come back with their field path", async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_CREATE_PRODUCT', { product: { title: '   ' } });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        message: "Shopify refused productCreate: title: Title can't be blank",
        details: { userErrors: [{ field: ['title'], message: "Title can't be blank" }] },
      },
    });
  });
});

describe('shop', () => {
  it('SHOPIFY_GET_SHOP_DETAILS: the shop query, also under its generated name SHOPIFY_SHOP', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_SHOP', {});
    expect(onlyCall().query).toMatch(/^query Shop \{ shop \{ id name email /);
    expect(result).toMatchObject({
      successful: true,
      data: {
        shop: { name: 'acme store', myshopifyDomain: 'acme.myshopify.com', plan: { publicDisplayName: 'Basic' } },
      },
    });
  });
});

describe('generated actions', () => {
  it('run their document with the arguments given and the default selection, failing on userErrors', async () => {
    const toolset = await connected();
    const deleted = await toolset.executeAction('SHOPIFY_PRODUCT_DELETE', {
      input: { id: 'gid://shopify/Product/921728736' },
    });
    const call = server.graphqlCalls()[0];
    expect(call?.query).toMatch(
      /^mutation productDelete\(\$input: ProductDeleteInput!\) \{ productDelete\(input: \$input\) \{ deletedProductId .*userErrors \{ field message \} \} \}$/,
    );
    expect(call?.variables).toEqual({ input: { id: 'gid://shopify/Product/921728736' } });
    expect(deleted).toMatchObject({
      successful: true,
      data: { data: { deletedProductId: 'gid://shopify/Product/921728736', userErrors: [] } },
    });
    const again = await toolset.executeAction('SHOPIFY_PRODUCT_DELETE', {
      input: { id: 'gid://shopify/Product/921728736' },
      selection: 'deletedProductId userErrors { field message }',
    });
    expect(server.graphqlCalls()[1]?.query).toContain(
      '{ productDelete(input: $input) { deletedProductId userErrors { field message } } }',
    );
    expect(again).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        details: { userErrors: [{ field: ['id'], message: 'Product does not exist' }] },
      },
    });
  });

  it('refuse a selection with unbalanced braces before anything is sent', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_PRODUCT_DELETE', {
      input: { id: 'gid://shopify/Product/1' },
      selection: 'deletedProductId }',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(server.requests).toHaveLength(0);
  });
});

describe('GraphQL Admin API', () => {
  it('SHOPIFY_GRAPHQL_QUERY: POST /graphql.json with { query, variables }, returning data and extensions.cost', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', {
      query: 'query Customers($first: Int!) { customers(first: $first) { nodes { id firstName } } }',
      variables: { first: 2 },
    });
    expect(onlyCall()).toEqual({
      query: 'query Customers($first: Int!) { customers(first: $first) { nodes { id firstName } } }',
      variables: { first: 2 },
    });
    expect(result).toMatchObject({
      successful: true,
      data: {
        data: { customers: { nodes: [{ firstName: 'Ada' }, { firstName: 'Bob' }] } },
        cost: { requestedQueryCost: 4, actualQueryCost: 4, throttleStatus: { maximumAvailable: 2000 } },
      },
    });
  });

  it('fails on errors in a 200 answer, with the errors in details', async () => {
    const toolset = await connected();
    const result = await toolset.executeAction('SHOPIFY_GRAPHQL_QUERY', { query: '{ nonsense }' });
    expect(result).toMatchObject({
      successful: false,
      error: {
        code: 'UPSTREAM_ERROR',
        status: 200,
        retryable: false,
        details: {
          errors: [{ message: expect.stringContaining('Cannot query field "nonsense" on type "QueryRoot".') }],
        },
      },
    });
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
  it('is the generated one by default, in every request path', async () => {
    expect(SHOPIFY_DEFAULT_API_VERSION).toBe('2026-10');
    expect(shopify.baseUrl).toBe('https://{shop}.myshopify.com/admin/api/2026-10');
    const toolset = await connected(shopifyConnector({ apiVersion: '2026-10' }));
    await toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {});
    expect(onlyRequest().path).toBe('/admin/api/2026-10/graphql.json');
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
