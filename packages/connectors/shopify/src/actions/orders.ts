import { z } from 'zod';
import { found, type CuratedSpec } from '../graphql/curated-action.js';
import {
  anyOf,
  bound,
  fieldsField,
  limitField,
  listField,
  numericIdField,
  pageInfoField,
  resourceIdField,
  searchQuery,
  searchValue,
  selectionOf,
  timestampField,
  toPage,
} from './fields.js';

const MONEY = 'shopMoney { amount currencyCode }';

/** The order fields a list returns unless `fields` says otherwise (line items would exceed the cost limit). */
export const ORDER_LIST_SELECTION = `id legacyResourceId name email createdAt updatedAt processedAt closedAt cancelledAt displayFinancialStatus displayFulfillmentStatus currencyCode totalPriceSet { ${MONEY} } customer { id displayName }`;

/** The order fields one order returns unless `fields` says otherwise. */
export const ORDER_SELECTION = `${ORDER_LIST_SELECTION} lineItems(first: 50) { nodes { id title quantity sku originalUnitPriceSet { ${MONEY} } } }`;

const listOrdersInput = () =>
  z.strictObject({
    ids: listField(
      z.string().regex(/^(?:gid:\/\/shopify\/Order\/)?[1-9][0-9]*$/, 'must be an order id'),
      'Only these orders: a comma-separated string or a list of order ids.',
    ).optional(),
    limit: limitField.optional(),
    since_id: numericIdField('Only orders with an id greater than this one.').optional(),
    created_at_min: timestampField('Only orders created at or after this time.').optional(),
    created_at_max: timestampField('Only orders created at or before this time.').optional(),
    updated_at_min: timestampField('Only orders last updated at or after this time.').optional(),
    updated_at_max: timestampField('Only orders last updated at or before this time.').optional(),
    processed_at_min: timestampField('Only orders imported or processed at or after this time.').optional(),
    processed_at_max: timestampField('Only orders imported or processed at or before this time.').optional(),
    name: z.string().min(1).optional().describe('Only the order with this name, like "#1001".'),
    status: z
      .enum(['open', 'closed', 'cancelled', 'any'])
      .optional()
      .describe('Order status: open, closed, cancelled, or any. open when omitted, as in the REST API.'),
    financial_status: z
      .enum([
        'authorized',
        'pending',
        'paid',
        'partially_paid',
        'refunded',
        'voided',
        'partially_refunded',
        'expired',
        'any',
      ])
      .optional()
      .describe('Financial status, or any (the default).'),
    fulfillment_status: z
      .enum(['shipped', 'partial', 'unshipped', 'unfulfilled', 'any'])
      .optional()
      .describe('Fulfillment status: shipped, partial, unshipped, unfulfilled, or any (the default).'),
    fields: fieldsField.optional(),
    page_info: pageInfoField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/orders */
export const listOrders: CuratedSpec<ReturnType<typeof listOrdersInput>> = {
  name: 'SHOPIFY_LIST_ORDERS',
  description:
    'Lists the orders of the shop, oldest first, one page at a time, without line items (GraphQL orders; SHOPIFY_GET_ORDER has them). Only open orders unless status is given (status "any" for all), as in the REST API. Returns { items, nextPageInfo, cost }: pass nextPageInfo as page_info, with the same filters, to get the next page. Needs the read_orders scope; orders older than 60 days also need read_all_orders.',
  tags: ['orders', 'read'],
  aliases: ['SHOPIFY_ORDERS'],
  // Shopify also lets read_marketplace_orders (marketplace apps) read orders; a merchant's app asks read_orders.
  scopes: ['read_orders'],
  effects: { readOnly: true, idempotent: true },
  input: listOrdersInput,
  call: (input) => {
    const status = input.status ?? 'open';
    const financial = input.financial_status;
    const fulfillment = input.fulfillment_status;
    return {
      query: `query Orders($first: Int!, $after: String, $query: String) { orders(first: $first, after: $after, query: $query, sortKey: ID) { nodes { ${selectionOf(input.fields, ORDER_LIST_SELECTION)} } pageInfo { hasNextPage endCursor } } }`,
      variables: {
        first: input.limit ?? 50,
        after: input.page_info ?? null,
        query:
          searchQuery([
            status === 'any' ? undefined : `status:${status}`,
            financial && financial !== 'any' ? `financial_status:${financial}` : undefined,
            fulfillment && fulfillment !== 'any' ? `fulfillment_status:${fulfillment}` : undefined,
            input.name === undefined ? undefined : `name:${searchValue(input.name)}`,
            anyOf(
              'id',
              input.ids?.map((id: string) => id.replace(/^gid:\/\/shopify\/Order\//, '')),
            ),
            bound('id', '>', input.since_id),
            bound('created_at', '>=', input.created_at_min),
            bound('created_at', '<=', input.created_at_max),
            bound('updated_at', '>=', input.updated_at_min),
            bound('updated_at', '<=', input.updated_at_max),
            bound('processed_at', '>=', input.processed_at_min),
            bound('processed_at', '<=', input.processed_at_max),
          ]) ?? null,
      },
    };
  },
  result: (data) => toPage(data['orders'], 'orders'),
};

const getOrderInput = () =>
  z.strictObject({
    order_id: resourceIdField('Order', 'The id of the order (not its name "#1001").'),
    fields: fieldsField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/order */
export const getOrder: CuratedSpec<ReturnType<typeof getOrderInput>> = {
  name: 'SHOPIFY_GET_ORDER',
  description:
    'Gets one order by id, with its first 50 line items and its customer (GraphQL order). Returns { order, cost }; an id that names no order fails with status 404. Needs the read_orders scope.',
  tags: ['orders', 'read'],
  aliases: ['SHOPIFY_ORDER'],
  // Shopify also lets read_marketplace_orders (marketplace apps) read orders; a merchant's app asks read_orders.
  scopes: ['read_orders'],
  effects: { readOnly: true, idempotent: true },
  input: getOrderInput,
  call: (input) => ({
    query: `query Order($id: ID!) { order(id: $id) { ${selectionOf(input.fields, ORDER_SELECTION)} } }`,
    variables: { id: input.order_id },
  }),
  result: (data) => ({ order: found(data['order'], 'order', 'with this id') }),
};
