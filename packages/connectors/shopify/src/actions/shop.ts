import { z } from 'zod';
import type { CuratedSpec } from '../graphql/curated-action.js';
import { fieldsField, selectionOf } from './fields.js';

/** The shop fields returned unless `fields` says otherwise. */
export const SHOP_SELECTION =
  'id name email contactEmail myshopifyDomain primaryDomain { host url } url currencyCode enabledPresentmentCurrencies ianaTimezone timezoneAbbreviation weightUnit unitSystem taxesIncluded plan { publicDisplayName partnerDevelopment shopifyPlus } billingAddress { address1 city provinceCode countryCodeV2 zip } createdAt';

const input = () => z.strictObject({ fields: fieldsField.optional() });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/shop */
export const getShopDetails: CuratedSpec<ReturnType<typeof input>> = {
  name: 'SHOPIFY_GET_SHOP_DETAILS',
  description:
    "Gets the shop's configuration (GraphQL shop): name, email, domains, currency, time zone, plan and address. Returns { shop, cost }. Needs no particular scope.",
  tags: ['shop', 'read'],
  aliases: ['SHOPIFY_GET_SHOP', 'SHOPIFY_SHOP'],
  scopes: [],
  effects: { readOnly: true, idempotent: true },
  input,
  call: (input) => ({ query: `query Shop { shop { ${selectionOf(input.fields, SHOP_SELECTION)} } }`, variables: {} }),
  result: (data) => ({ shop: data['shop'] }),
};
