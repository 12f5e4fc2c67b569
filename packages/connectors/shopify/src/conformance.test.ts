import { runConnectorConformance } from '@plugboard/testkit';
import { shopify } from './index.js';

// The shared conformance suite of @plugboard/testkit, as third-party connectors run it. The shop
// is a user field placed in the host (https://{shop}.myshopify.com).
runConnectorConformance(shopify, {
  fieldValues: { shop: 'acme-store' },
  actions: {
    SHOPIFY_GET_ALL_CUSTOMERS: {
      input: { limit: 50, fields: 'id,email' },
      request: { method: 'GET', path: '/customers.json', query: { limit: '50', fields: 'id,email' } },
      response: { json: { customers: [] } },
      invalidInputs: [{ limit: 251 }, { limit: 0 }],
    },
    SHOPIFY_GET_CUSTOMER: {
      input: { customer_id: 207119551 },
      request: { method: 'GET', path: '/customers/207119551.json' },
      response: { json: { customer: { id: 207119551 } } },
    },
    SHOPIFY_CREATE_CUSTOMER: {
      input: { customer: { email: 'jane@example.com', first_name: 'Jane' } },
      request: {
        method: 'POST',
        path: '/customers.json',
        body: { customer: { email: 'jane@example.com', first_name: 'Jane' } },
      },
      response: { status: 201, json: { customer: { id: 1 } } },
      invalidInputs: [{ customer: {} }],
    },
    SHOPIFY_SEARCH_CUSTOMERS: {
      input: { query: 'email:jane@example.com' },
      request: { method: 'GET', path: '/customers/search.json', query: { query: 'email:jane@example.com' } },
      response: { json: { customers: [] } },
    },
    SHOPIFY_COUNT_CUSTOMERS: {
      input: {},
      request: { method: 'GET', path: '/customers/count.json' },
      response: { json: { count: 3 } },
    },
    SHOPIFY_LIST_ORDERS: {
      input: { status: 'any', financial_status: 'paid' },
      request: { method: 'GET', path: '/orders.json', query: { status: 'any', financial_status: 'paid' } },
      response: { json: { orders: [] } },
    },
    SHOPIFY_GET_ORDER: {
      input: { order_id: 450789469 },
      request: { method: 'GET', path: '/orders/450789469.json' },
      response: { json: { order: { id: 450789469 } } },
    },
    SHOPIFY_LIST_PRODUCTS: {
      input: { vendor: 'Burton', status: 'active' },
      request: { method: 'GET', path: '/products.json', query: { vendor: 'Burton', status: 'active' } },
      response: { json: { products: [] } },
    },
    SHOPIFY_GET_PRODUCT: {
      input: { product_id: 632910392 },
      request: { method: 'GET', path: '/products/632910392.json' },
      response: { json: { product: { id: 632910392 } } },
    },
    SHOPIFY_CREATE_PRODUCT: {
      input: { product: { title: 'Snowboard', vendor: 'Burton' } },
      request: { method: 'POST', path: '/products.json', body: { product: { title: 'Snowboard', vendor: 'Burton' } } },
      response: { status: 201, json: { product: { id: 2 } } },
    },
    SHOPIFY_GET_SHOP_DETAILS: {
      input: { fields: 'name,domain' },
      request: { method: 'GET', path: '/shop.json', query: { fields: 'name,domain' } },
      response: { json: { shop: { name: 'Acme' } } },
    },
    SHOPIFY_GRAPHQL_QUERY: {
      input: { query: 'query { shop { name } }' },
      request: { method: 'POST', path: '/graphql.json', body: { query: 'query { shop { name } }' } },
      response: { json: { data: { shop: { name: 'Acme' } } } },
      invalidInputs: [{ query: '' }],
    },
  },
});
