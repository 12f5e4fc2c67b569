import { runConnectorConformance } from '@plugboard/testkit';
import { shopify } from './index.js';

// The shared conformance suite of @plugboard/testkit, as third-party connectors run it. The shop
// is a user field placed in the host (https://{shop}.myshopify.com); every action posts one
// GraphQL document to /graphql.json, checked here by its root field and its variables (the whole
// documents are validated against Shopify's schema in generated.test.ts).
const graphql = (root: RegExp, variables: Record<string, unknown>) => ({
  method: 'POST',
  path: '/graphql.json',
  body: (body: unknown) => {
    const { query, variables: sent } = body as { query: string; variables?: Record<string, unknown> };
    return root.test(query) && JSON.stringify(sent ?? {}) === JSON.stringify(variables);
  },
});

const page = (field: string) => ({ json: { data: { [field]: { nodes: [], pageInfo: { hasNextPage: false } } } } });

runConnectorConformance(shopify, {
  fieldValues: { shop: 'acme-store' },
  actions: {
    SHOPIFY_GET_ALL_CUSTOMERS: {
      input: { limit: 50, fields: 'id,email' },
      request: graphql(/\{ customers\(first: \$first.*nodes \{ id email \}/, {
        first: 50,
        after: null,
        query: null,
        sortKey: 'ID',
        reverse: false,
      }),
      response: page('customers'),
      invalidInputs: [{ limit: 251 }, { limit: 0 }, { page_info: '' }],
    },
    SHOPIFY_GET_CUSTOMER: {
      input: { customer_id: 207119551 },
      request: graphql(/\{ customer\(id: \$id\)/, { id: 'gid://shopify/Customer/207119551' }),
      response: { json: { data: { customer: { id: 'gid://shopify/Customer/207119551' } } } },
      invalidInputs: [{ customer_id: 'gid://shopify/Product/1' }, { customer_id: -1 }],
    },
    SHOPIFY_CREATE_CUSTOMER: {
      input: { customer: { email: 'jane@example.com', first_name: 'Jane' } },
      request: graphql(/customerCreate\(input: \$input\)/, {
        input: { firstName: 'Jane', email: 'jane@example.com' },
      }),
      response: {
        json: { data: { customerCreate: { customer: { id: 'gid://shopify/Customer/1' }, userErrors: [] } } },
      },
      invalidInputs: [{ customer: {} }],
    },
    SHOPIFY_SEARCH_CUSTOMERS: {
      input: { query: 'email:jane@example.com' },
      request: graphql(/\{ customers\(/, {
        first: 50,
        after: null,
        query: 'email:jane@example.com',
        sortKey: 'ID',
        reverse: false,
      }),
      response: page('customers'),
    },
    SHOPIFY_COUNT_CUSTOMERS: {
      input: {},
      request: graphql(/customersCount\(query: \$query\)/, { query: null }),
      response: { json: { data: { customersCount: { count: 3, precision: 'EXACT' } } } },
    },
    SHOPIFY_LIST_ORDERS: {
      input: { status: 'any', financial_status: 'paid' },
      request: graphql(/\{ orders\(/, { first: 50, after: null, query: 'financial_status:paid' }),
      response: page('orders'),
    },
    SHOPIFY_GET_ORDER: {
      input: { order_id: 450789469 },
      request: graphql(/\{ order\(id: \$id\)/, { id: 'gid://shopify/Order/450789469' }),
      response: { json: { data: { order: { id: 'gid://shopify/Order/450789469' } } } },
    },
    SHOPIFY_LIST_PRODUCTS: {
      input: { vendor: 'Burton', status: 'active' },
      request: graphql(/\{ products\(/, { first: 50, after: null, query: 'vendor:Burton AND status:active' }),
      response: page('products'),
    },
    SHOPIFY_GET_PRODUCT: {
      input: { product_id: 632910392 },
      request: graphql(/\{ product\(id: \$id\)/, { id: 'gid://shopify/Product/632910392' }),
      response: { json: { data: { product: { id: 'gid://shopify/Product/632910392' } } } },
    },
    SHOPIFY_CREATE_PRODUCT: {
      input: { product: { title: 'Snowboard', vendor: 'Burton' } },
      request: graphql(/productCreate\(product: \$product, media: \$media\)/, {
        product: { title: 'Snowboard', vendor: 'Burton' },
        media: null,
      }),
      response: { json: { data: { productCreate: { product: { id: 'gid://shopify/Product/2' }, userErrors: [] } } } },
      invalidInputs: [{ product: { vendor: 'Burton' } }],
    },
    SHOPIFY_GET_SHOP_DETAILS: {
      input: { fields: 'name,myshopify_domain' },
      request: graphql(/^query Shop \{ shop \{ name myshopifyDomain \} \}$/, {}),
      response: { json: { data: { shop: { name: 'Acme' } } } },
    },
    SHOPIFY_GRAPHQL_QUERY: {
      input: { query: 'query { shop { name } }' },
      request: { method: 'POST', path: '/graphql.json', body: { query: 'query { shop { name } }' } },
      response: { json: { data: { shop: { name: 'Acme' } } } },
      invalidInputs: [{ query: '' }],
    },
    SHOPIFY_BULK_EXPORT: {
      input: { query: '{ products { edges { node { id } } } }', poll_interval_ms: 10 },
      request: [
        graphql(/bulkOperationRunQuery\(query: \$query, groupObjects: \$groupObjects\)/, {
          query: '{ products { edges { node { id } } } }',
          groupObjects: false,
        }),
        graphql(/bulkOperation\(id: \$id\)/, { id: 'gid://shopify/BulkOperation/1' }),
      ],
      response: [
        {
          json: {
            data: {
              bulkOperationRunQuery: {
                bulkOperation: { id: 'gid://shopify/BulkOperation/1', status: 'CREATED' },
                userErrors: [],
              },
            },
          },
        },
        // Nothing matched: Shopify completes the operation without a file.
        {
          json: {
            data: {
              bulkOperation: { id: 'gid://shopify/BulkOperation/1', status: 'COMPLETED', objectCount: '0', url: null },
            },
          },
        },
      ],
      invalidInputs: [{ query: '' }, { query: '{ products { edges { node { id } } } }', poll_interval_ms: 1 }],
    },
  },
});
