import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import {
  commaSeparated,
  fieldsField,
  limitField,
  pageInfoOnlyWithLimitAndFields,
  pageInfoField,
  resourceId,
  timestamp,
  toPage,
  withRateLimit,
} from './fields.js';

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders */
export const listOrders = defineAction({
  name: 'SHOPIFY_LIST_ORDERS',
  description:
    'Lists the orders of the shop (GET /orders.json), one page at a time. Shopify returns only open orders unless status is given (status "any" for all). Returns { items, nextPageInfo, previousPageInfo, rateLimit }: pass nextPageInfo as page_info to get the next page. Needs the read_orders scope; orders older than 60 days also need read_all_orders.',
  tags: ['orders', 'read'],
  input: () =>
    z
      .strictObject({
        ids: commaSeparated(
          resourceId('An order id.'),
          'Only these orders: a comma-separated string or a list of order ids.',
        ).optional(),
        limit: limitField.optional(),
        since_id: resourceId('Only orders with an id greater than this one.').optional(),
        created_at_min: timestamp('Only orders created at or after this time.').optional(),
        created_at_max: timestamp('Only orders created at or before this time.').optional(),
        updated_at_min: timestamp('Only orders last updated at or after this time.').optional(),
        updated_at_max: timestamp('Only orders last updated at or before this time.').optional(),
        processed_at_min: timestamp('Only orders imported or processed at or after this time.').optional(),
        processed_at_max: timestamp('Only orders imported or processed at or before this time.').optional(),
        attribution_app_id: z
          .union([z.literal('current'), resourceId('An app id.')])
          .optional()
          .describe('Only orders attributed to this app id; "current" means the app making the request.'),
        name: z.string().min(1).optional().describe('Only the order with this name, like "#1001".'),
        status: z
          .enum(['open', 'closed', 'cancelled', 'any'])
          .optional()
          .describe('Order status: open, closed, cancelled, or any. Shopify uses open when omitted.'),
        financial_status: z
          .enum([
            'authorized',
            'pending',
            'paid',
            'partially_paid',
            'refunded',
            'voided',
            'partially_refunded',
            'any',
            'unpaid',
          ])
          .optional()
          .describe(
            'Financial status: authorized, pending, paid, partially_paid, refunded, voided, partially_refunded, unpaid (authorized and partially paid) or any (the default).',
          ),
        fulfillment_status: z
          .enum(['shipped', 'partial', 'unshipped', 'any', 'unfulfilled'])
          .optional()
          .describe(
            'Fulfillment status: shipped (fulfilled), partial, unshipped (not yet fulfilled), unfulfilled (unshipped and partial) or any (the default).',
          ),
        fields: fieldsField.optional(),
        page_info: pageInfoField.optional(),
      })
      .superRefine(pageInfoOnlyWithLimitAndFields),
  request: 'GET /orders.json',
  mapResponse: toPage('orders'),
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders-order-id */
export const getOrder = defineAction({
  name: 'SHOPIFY_GET_ORDER',
  description:
    'Gets one order by id (GET /orders/{order_id}.json), with its line items, customer and addresses. Returns { order, rateLimit }. Needs the read_orders scope.',
  tags: ['orders', 'read'],
  input: () =>
    z.strictObject({
      order_id: resourceId('The id of the order, like 450789469 (not its name "#1001").'),
      fields: fieldsField.optional(),
    }),
  request: 'GET /orders/{order_id}.json',
  mapResponse: withRateLimit,
});
