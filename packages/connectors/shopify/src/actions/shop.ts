import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { fieldsField, withRateLimit } from './fields.js';

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/shop#get-shop */
export const getShopDetails = defineAction({
  name: 'SHOPIFY_GET_SHOP_DETAILS',
  description:
    "Gets the shop's configuration (GET /shop.json): name, email, domain, currency, time zone, plan and address. Returns { shop, rateLimit }. Needs no particular scope.",
  tags: ['shop', 'read'],
  aliases: ['SHOPIFY_GET_SHOP'],
  input: () =>
    z.strictObject({
      fields: fieldsField.optional(),
    }),
  request: 'GET /shop.json',
  mapResponse: withRateLimit,
});
