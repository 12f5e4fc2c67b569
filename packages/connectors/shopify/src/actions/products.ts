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

const PRODUCT_FIELDS =
  'id legacyResourceId title handle vendor productType status tags descriptionHtml createdAt updatedAt publishedAt totalInventory options { name values }';
const VARIANTS = (count: number) => `variants(first: ${count}) { nodes { id title price sku inventoryQuantity } }`;

/** The product fields a list returns unless `fields` says otherwise: ten variants keep 50 products under the cost limit. */
export const PRODUCT_LIST_SELECTION = `${PRODUCT_FIELDS} ${VARIANTS(10)}`;

/** The product fields one product returns unless `fields` says otherwise. */
export const PRODUCT_SELECTION = `${PRODUCT_FIELDS} ${VARIANTS(100)}`;

const PRODUCT_STATUS = z.enum(['active', 'archived', 'draft']);

const listProductsInput = () =>
  z.strictObject({
    ids: listField(
      z.string().regex(/^(?:gid:\/\/shopify\/Product\/)?[1-9][0-9]*$/, 'must be a product id'),
      'Only these products: a comma-separated string or a list of product ids.',
    ).optional(),
    limit: limitField.optional(),
    since_id: numericIdField('Only products with an id greater than this one.').optional(),
    title: z.string().min(1).optional().describe('Only products with this title.'),
    vendor: z.string().min(1).optional().describe('Only products from this vendor.'),
    handle: listField(
      z.string().min(1),
      'Only products with these handles: a comma-separated string or a list.',
    ).optional(),
    product_type: z.string().min(1).optional().describe('Only products of this type.'),
    status: listField(
      PRODUCT_STATUS,
      'Only products with these statuses: active, archived, draft (a comma-separated string or a list).',
    ).optional(),
    collection_id: numericIdField('Only products in this collection.').optional(),
    created_at_min: timestampField('Only products created at or after this time.').optional(),
    created_at_max: timestampField('Only products created at or before this time.').optional(),
    updated_at_min: timestampField('Only products last updated at or after this time.').optional(),
    updated_at_max: timestampField('Only products last updated at or before this time.').optional(),
    published_at_min: timestampField('Only products published at or after this time.').optional(),
    published_at_max: timestampField('Only products published at or before this time.').optional(),
    published_status: z
      .enum(['published', 'unpublished', 'any'])
      .optional()
      .describe('published, unpublished, or any (the default).'),
    fields: fieldsField.optional(),
    page_info: pageInfoField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/products */
export const listProducts: CuratedSpec<ReturnType<typeof listProductsInput>> = {
  name: 'SHOPIFY_LIST_PRODUCTS',
  description:
    'Lists the products of the shop, oldest first, one page at a time, with their first 10 variants (GraphQL products; SHOPIFY_GET_PRODUCT has 100). Returns { items, nextPageInfo, cost }: pass nextPageInfo as page_info, with the same filters, to get the next page. Needs the read_products scope.',
  tags: ['products', 'read'],
  aliases: ['SHOPIFY_PRODUCTS'],
  scopes: ['read_products'],
  effects: { readOnly: true, idempotent: true },
  input: listProductsInput,
  call: (input) => ({
    query: `query Products($first: Int!, $after: String, $query: String) { products(first: $first, after: $after, query: $query, sortKey: ID) { nodes { ${selectionOf(input.fields, PRODUCT_LIST_SELECTION)} } pageInfo { hasNextPage endCursor } } }`,
    variables: {
      first: input.limit ?? 50,
      after: input.page_info ?? null,
      query:
        searchQuery([
          anyOf(
            'id',
            input.ids?.map((id: string) => id.replace(/^gid:\/\/shopify\/Product\//, '')),
          ),
          bound('id', '>', input.since_id),
          input.title === undefined ? undefined : `title:${searchValue(input.title)}`,
          input.vendor === undefined ? undefined : `vendor:${searchValue(input.vendor)}`,
          anyOf('handle', input.handle),
          input.product_type === undefined ? undefined : `product_type:${searchValue(input.product_type)}`,
          anyOf('status', input.status),
          input.collection_id === undefined ? undefined : `collection_id:${input.collection_id}`,
          bound('created_at', '>=', input.created_at_min),
          bound('created_at', '<=', input.created_at_max),
          bound('updated_at', '>=', input.updated_at_min),
          bound('updated_at', '<=', input.updated_at_max),
          bound('published_at', '>=', input.published_at_min),
          bound('published_at', '<=', input.published_at_max),
          input.published_status && input.published_status !== 'any'
            ? `published_status:${input.published_status}`
            : undefined,
        ]) ?? null,
    },
  }),
  result: (data) => toPage(data['products'], 'products'),
};

const getProductInput = () =>
  z.strictObject({
    product_id: resourceIdField('Product', 'The id of the product.'),
    fields: fieldsField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/product */
export const getProduct: CuratedSpec<ReturnType<typeof getProductInput>> = {
  name: 'SHOPIFY_GET_PRODUCT',
  description:
    'Gets one product by id, with its options and first 100 variants (GraphQL product). Returns { product, cost }; an id that names no product fails with status 404. Needs the read_products scope.',
  tags: ['products', 'read'],
  aliases: ['SHOPIFY_PRODUCT'],
  scopes: ['read_products'],
  effects: { readOnly: true, idempotent: true },
  input: getProductInput,
  call: (input) => ({
    query: `query Product($id: ID!) { product(id: $id) { ${selectionOf(input.fields, PRODUCT_SELECTION)} } }`,
    variables: { id: input.product_id },
  }),
  result: (data) => ({ product: found(data['product'], 'product', 'with this id') }),
};

const createProductInput = () =>
  z.strictObject({
    product: z
      .strictObject({
        title: z.string().min(1).describe('The name of the product.'),
        body_html: z.string().optional().describe('The description, in HTML.'),
        vendor: z.string().optional().describe('The vendor name.'),
        product_type: z.string().optional().describe('A category for filtering and searching.'),
        handle: z.string().optional().describe('The URL handle; Shopify derives it from the title when omitted.'),
        status: PRODUCT_STATUS.optional().describe('active (the default), archived or draft.'),
        tags: listField(z.string().min(1), 'Tags, as a comma-separated string or a list.').optional(),
        template_suffix: z.string().optional().describe('The theme template suffix.'),
        options: z
          .array(
            z.strictObject({
              name: z.string().min(1).describe('Option name, like Size.'),
              values: z.array(z.string().min(1)).min(1).optional().describe('Its values, like ["S", "M", "L"].'),
            }),
          )
          .max(3)
          .optional()
          .describe('Up to three options, like [{ "name": "Size", "values": ["S", "M"] }].'),
        images: z
          .array(
            z.strictObject({
              src: z.string().url().describe('Image URL Shopify downloads.'),
              alt: z.string().optional().describe('Alternative text.'),
            }),
          )
          .optional()
          .describe('Images, like [{ "src": "https://..." }].'),
        metafields: z
          .array(
            z.strictObject({
              namespace: z.string().optional().describe('The metafield namespace.'),
              key: z.string().describe('The metafield key.'),
              value: z.string().describe('The value, as a string.'),
              type: z.string().describe('The metafield type, like single_line_text_field.'),
            }),
          )
          .optional()
          .describe('Metafields to attach.'),
      })
      .describe(
        'The product, with the REST field names. Variants beyond the first are created with SHOPIFY_PRODUCT_VARIANTS_BULK_CREATE.',
      ),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/mutations/productCreate */
export const createProduct: CuratedSpec<ReturnType<typeof createProductInput>> = {
  name: 'SHOPIFY_CREATE_PRODUCT',
  description:
    'Creates a product with its options and images (GraphQL productCreate); a title is required. Returns { product, cost }; what Shopify refuses fails with its userErrors (field path and message) in details. Needs the write_products scope.',
  tags: ['products', 'write'],
  aliases: ['SHOPIFY_PRODUCT_CREATE'],
  scopes: ['write_products'],
  effects: { readOnly: false, destructive: false, idempotent: false },
  input: createProductInput,
  mutation: 'productCreate',
  call: ({ product }) => {
    const input: Record<string, unknown> = {
      title: product.title,
      descriptionHtml: product.body_html,
      vendor: product.vendor,
      productType: product.product_type,
      handle: product.handle,
      status: product.status?.toUpperCase(),
      tags: product.tags,
      templateSuffix: product.template_suffix,
      productOptions: product.options?.map((option) => ({
        name: option.name,
        ...(option.values ? { values: option.values.map((name) => ({ name })) } : {}),
      })),
      metafields: product.metafields,
    };
    const media = product.images?.map((image) => ({
      originalSource: image.src,
      mediaContentType: 'IMAGE',
      ...(image.alt !== undefined ? { alt: image.alt } : {}),
    }));
    return {
      query: `mutation ProductCreate($product: ProductCreateInput!, $media: [CreateMediaInput!]) { productCreate(product: $product, media: $media) { product { ${PRODUCT_SELECTION} } userErrors { field message } } }`,
      variables: {
        product: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
        media: media ?? null,
      },
    };
  },
  result: (data) => ({ product: (data['productCreate'] as { product?: unknown } | null)?.product ?? null }),
};
