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

// Shopify marked the REST /products endpoints deprecated in 2024-04 in favour of the GraphQL
// product APIs; they still answer, but see at most 100 variants per product.
const DEPRECATION_NOTE =
  'Shopify has deprecated the REST product endpoints (at most 100 variants per product); SHOPIFY_GRAPHQL_QUERY reaches the newer product APIs.';

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/product#get-products */
export const listProducts = defineAction({
  name: 'SHOPIFY_LIST_PRODUCTS',
  description: `Lists the products of the shop (GET /products.json), one page at a time. Returns { items, nextPageInfo, previousPageInfo, rateLimit }: pass nextPageInfo as page_info to get the next page. Needs the read_products scope. ${DEPRECATION_NOTE}`,
  tags: ['products', 'read'],
  input: () =>
    z
      .strictObject({
        ids: commaSeparated(
          resourceId('A product id.'),
          'Only these products: a comma-separated string or a list of product ids.',
        ).optional(),
        limit: limitField.optional(),
        since_id: resourceId('Only products with an id greater than this one.').optional(),
        title: z.string().min(1).optional().describe('Only products with this title.'),
        vendor: z.string().min(1).optional().describe('Only products from this vendor.'),
        handle: commaSeparated(
          z.string().min(1),
          'Only products with these handles: a comma-separated string or a list.',
        ).optional(),
        product_type: z.string().min(1).optional().describe('Only products of this type.'),
        status: commaSeparated(
          z.enum(['active', 'archived', 'draft']),
          'Only products with these statuses: active, archived, draft (a comma-separated string or a list).',
        ).optional(),
        collection_id: resourceId('Only products in this collection.').optional(),
        created_at_min: timestamp('Only products created at or after this time.').optional(),
        created_at_max: timestamp('Only products created at or before this time.').optional(),
        updated_at_min: timestamp('Only products last updated at or after this time.').optional(),
        updated_at_max: timestamp('Only products last updated at or before this time.').optional(),
        published_at_min: timestamp('Only products published at or after this time.').optional(),
        published_at_max: timestamp('Only products published at or before this time.').optional(),
        published_status: z
          .enum(['published', 'unpublished', 'any'])
          .optional()
          .describe('published, unpublished, or any (the default).'),
        fields: fieldsField.optional(),
        presentment_currencies: commaSeparated(
          z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
          'Return presentment prices in these currencies only (ISO 4217 codes).',
        ).optional(),
        page_info: pageInfoField.optional(),
      })
      .superRefine(pageInfoOnlyWithLimitAndFields),
  request: 'GET /products.json',
  mapResponse: toPage('products'),
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/product#get-products-product-id */
export const getProduct = defineAction({
  name: 'SHOPIFY_GET_PRODUCT',
  description: `Gets one product by id (GET /products/{product_id}.json), with its variants, options and images. Returns { product, rateLimit }. Needs the read_products scope. ${DEPRECATION_NOTE}`,
  tags: ['products', 'read'],
  input: () =>
    z.strictObject({
      product_id: resourceId('The id of the product, like 632910392.'),
      fields: fieldsField.optional(),
    }),
  request: 'GET /products/{product_id}.json',
  mapResponse: withRateLimit,
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/product#post-products */
export const createProduct = defineAction({
  name: 'SHOPIFY_CREATE_PRODUCT',
  description: `Creates a product (POST /products.json with { product }); a title is required. Returns { product, rateLimit }. Needs the write_products scope. ${DEPRECATION_NOTE}`,
  tags: ['products', 'write'],
  input: () =>
    z.strictObject({
      product: z
        .looseObject({
          title: z.string().min(1).describe('The name of the product.'),
          body_html: z.string().optional().describe('The description, in HTML.'),
          vendor: z.string().optional().describe('The vendor name.'),
          product_type: z.string().optional().describe('A category for filtering and searching.'),
          handle: z.string().optional().describe('The URL handle; Shopify derives it from the title when omitted.'),
          status: z
            .enum(['active', 'archived', 'draft'])
            .optional()
            .describe('active (the default), archived or draft.'),
          tags: z
            .union([z.string(), z.array(z.string())])
            .optional()
            .describe('Tags, as a comma-separated string or a list.'),
          template_suffix: z.string().optional().describe('The theme template suffix.'),
          published_scope: z
            .enum(['web', 'global'])
            .optional()
            .describe('web (online store only) or global (also point of sale).'),
          options: z
            .array(z.looseObject({ name: z.string().describe('Option name, like Size.') }))
            .optional()
            .describe('Up to three options, like [{ "name": "Size" }].'),
          variants: z
            .array(
              z.looseObject({
                price: z.string().optional().describe('Price, as a decimal string like "19.99".'),
                sku: z.string().optional().describe('Stock keeping unit.'),
                option1: z.string().optional().describe('Value of the first option.'),
                option2: z.string().optional().describe('Value of the second option.'),
                option3: z.string().optional().describe('Value of the third option.'),
              }),
            )
            .optional()
            .describe("Variants, with Shopify's variant fields."),
          images: z
            .array(z.looseObject({ src: z.string().optional().describe('Image URL.') }))
            .optional()
            .describe('Images, like [{ "src": "https://..." }].'),
          metafields: z
            .array(z.looseObject({}))
            .optional()
            .describe('Metafields to attach: objects with namespace, key, value and type.'),
        })
        .describe(
          'The product, with the field names of the Shopify product resource; other product fields are passed through as given.',
        ),
    }),
  request: 'POST /products.json',
  mapResponse: withRateLimit,
});
