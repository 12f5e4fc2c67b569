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
  selectionOf,
  timestampField,
  toPage,
} from './fields.js';

/** The customer fields returned unless `fields` says otherwise. */
export const CUSTOMER_SELECTION =
  'id legacyResourceId firstName lastName displayName defaultEmailAddress { emailAddress marketingState } defaultPhoneNumber { phoneNumber } state tags note verifiedEmail taxExempt numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt';

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

const listCustomersDocument = (selection: string) =>
  `query Customers($first: Int!, $after: String, $query: String, $sortKey: CustomerSortKeys, $reverse: Boolean) { customers(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) { nodes { ${selection} } ${PAGE_INFO} } }`;

const dateFilters = {
  created_at_min: timestampField('Only customers created at or after this time.').optional(),
  created_at_max: timestampField('Only customers created at or before this time.').optional(),
  updated_at_min: timestampField('Only customers last updated at or after this time.').optional(),
  updated_at_max: timestampField('Only customers last updated at or before this time.').optional(),
};

type DateFilters = { [Key in keyof typeof dateFilters]?: string | undefined };

const dateTerms = (input: DateFilters) => [
  bound('created_at', '>=', input.created_at_min),
  bound('created_at', '<=', input.created_at_max),
  bound('updated_at', '>=', input.updated_at_min),
  bound('updated_at', '<=', input.updated_at_max),
];

const getAllCustomersInput = () =>
  z.strictObject({
    ids: listField(
      z.string().regex(/^(?:gid:\/\/shopify\/Customer\/)?[1-9][0-9]*$/, 'must be a customer id'),
      'Only these customers: a comma-separated string or a list of customer ids.',
    ).optional(),
    since_id: numericIdField('Only customers with an id greater than this one.').optional(),
    ...dateFilters,
    limit: limitField.optional(),
    fields: fieldsField.optional(),
    page_info: pageInfoField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/customers */
export const getAllCustomers: CuratedSpec<ReturnType<typeof getAllCustomersInput>> = {
  name: 'SHOPIFY_GET_ALL_CUSTOMERS',
  description:
    'Lists the customers of the shop, oldest first, one page at a time (GraphQL customers). Returns { items, nextPageInfo, cost }: pass nextPageInfo as page_info, with the same filters, to get the next page. Needs the read_customers scope.',
  tags: ['customers', 'read'],
  aliases: ['SHOPIFY_CUSTOMERS'],
  scopes: ['read_customers'],
  effects: { readOnly: true, idempotent: true },
  input: getAllCustomersInput,
  call: (input) => ({
    query: listCustomersDocument(selectionOf(input.fields, CUSTOMER_SELECTION)),
    variables: {
      first: input.limit ?? 50,
      after: input.page_info ?? null,
      query:
        searchQuery([
          anyOf(
            'id',
            input.ids?.map((id: string) => id.replace(/^gid:\/\/shopify\/Customer\//, '')),
          ),
          bound('id', '>', input.since_id),
          ...dateTerms(input),
        ]) ?? null,
      sortKey: 'ID',
      reverse: false,
    },
  }),
  result: (data) => toPage(data['customers'], 'customers'),
};

const getCustomerInput = () =>
  z.strictObject({
    customer_id: resourceIdField('Customer', 'The id of the customer.'),
    fields: fieldsField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/customer */
export const getCustomer: CuratedSpec<ReturnType<typeof getCustomerInput>> = {
  name: 'SHOPIFY_GET_CUSTOMER',
  description:
    'Gets one customer by id (GraphQL customer). Returns { customer, cost }; an id that names no customer fails with status 404. Needs the read_customers scope.',
  tags: ['customers', 'read'],
  aliases: ['SHOPIFY_CUSTOMER'],
  scopes: ['read_customers'],
  effects: { readOnly: true, idempotent: true },
  input: getCustomerInput,
  call: (input) => ({
    query: `query Customer($id: ID!) { customer(id: $id) { ${selectionOf(input.fields, CUSTOMER_SELECTION)} } }`,
    variables: { id: input.customer_id },
  }),
  result: (data) => ({ customer: found(data['customer'], 'customer', 'with this id') }),
};

const marketingConsent = z
  .strictObject({
    state: z
      .enum(['subscribed', 'not_subscribed', 'pending', 'unsubscribed', 'redacted', 'invalid'])
      .describe('The consent state.'),
    opt_in_level: z
      .enum(['single_opt_in', 'confirmed_opt_in', 'unknown'])
      .optional()
      .describe('How the consent was given.'),
    consent_updated_at: timestampField('When the consent was given or withdrawn.').optional(),
  })
  .describe('Email marketing consent, with the REST field names.');

const createCustomerInput = () =>
  z.strictObject({
    customer: z
      .strictObject({
        first_name: z.string().optional().describe('First name.'),
        last_name: z.string().optional().describe('Last name.'),
        email: z
          .string()
          .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
          .optional()
          .describe('Email address; unique per shop.'),
        phone: z.string().optional().describe('Phone number in E.164 format, like +16135551111; unique per shop.'),
        tags: listField(
          z.string().min(1),
          'Tags, as a comma-separated string like "VIP, wholesale" or a list.',
        ).optional(),
        note: z.string().optional().describe('A note about the customer.'),
        tax_exempt: z.boolean().optional().describe('Whether the customer is exempt from taxes.'),
        locale: z.string().optional().describe('The customer\'s locale, like "en" or "fr-CA".'),
        email_marketing_consent: marketingConsent.optional(),
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
      .refine((customer) => Object.values(customer).some((value) => value !== undefined), {
        message: 'Give at least one customer field.',
      })
      .describe('The customer, with the REST field names; Shopify needs an email, a phone number or a name.'),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerCreate */
export const createCustomer: CuratedSpec<ReturnType<typeof createCustomerInput>> = {
  name: 'SHOPIFY_CREATE_CUSTOMER',
  description:
    'Creates a customer (GraphQL customerCreate). Give an email, a phone number or a name. Returns { customer, cost }; what Shopify refuses (a taken email) fails with its userErrors (field path and message) in details. Needs the write_customers scope.',
  tags: ['customers', 'write'],
  aliases: ['SHOPIFY_CUSTOMER_CREATE'],
  scopes: ['write_customers'],
  effects: { readOnly: false, destructive: false, idempotent: false },
  input: createCustomerInput,
  mutation: 'customerCreate',
  call: ({ customer }) => {
    const consent = customer.email_marketing_consent;
    const input: Record<string, unknown> = {
      firstName: customer.first_name,
      lastName: customer.last_name,
      email: customer.email,
      phone: customer.phone,
      tags: customer.tags,
      note: customer.note,
      taxExempt: customer.tax_exempt,
      locale: customer.locale,
      metafields: customer.metafields,
      emailMarketingConsent: consent && {
        marketingState: consent.state.toUpperCase(),
        marketingOptInLevel: consent.opt_in_level?.toUpperCase(),
        consentUpdatedAt: consent.consent_updated_at,
      },
    };
    return {
      query: `mutation CustomerCreate($input: CustomerInput!) { customerCreate(input: $input) { customer { ${CUSTOMER_SELECTION} } userErrors { field message } } }`,
      variables: { input: JSON.parse(JSON.stringify(input)) as Record<string, unknown> },
    };
  },
  result: (data) => ({ customer: (data['customerCreate'] as { customer?: unknown } | null)?.customer ?? null }),
};

const SORT_KEYS = ['CREATED_AT', 'ID', 'LOCATION', 'NAME', 'RELEVANCE', 'UPDATED_AT'] as const;

const searchCustomersInput = () =>
  z.strictObject({
    query: z
      .string()
      .min(1)
      .optional()
      .describe('The search text in Shopify\'s search syntax, like "email:bob@example.com" or "country:Canada".'),
    sort_key: z
      .enum(SORT_KEYS)
      .optional()
      .describe('What to sort by: CREATED_AT, ID, LOCATION, NAME, RELEVANCE or UPDATED_AT. ID when omitted.'),
    reverse: z.boolean().optional().describe('Sort in reverse (newest or last first).'),
    limit: limitField.optional(),
    fields: fieldsField.optional(),
    page_info: pageInfoField.optional(),
  });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/customers */
export const searchCustomers: CuratedSpec<ReturnType<typeof searchCustomersInput>> = {
  name: 'SHOPIFY_SEARCH_CUSTOMERS',
  description:
    'Searches the customers of the shop with Shopify\'s search syntax, like "email:bob@example.com" or "country:Canada" (GraphQL customers with query). Returns { items, nextPageInfo, cost }. Needs the read_customers scope.',
  tags: ['customers', 'read', 'search'],
  scopes: ['read_customers'],
  effects: { readOnly: true, idempotent: true },
  input: searchCustomersInput,
  call: (input) => ({
    query: listCustomersDocument(selectionOf(input.fields, CUSTOMER_SELECTION)),
    variables: {
      first: input.limit ?? 50,
      after: input.page_info ?? null,
      query: input.query ?? null,
      sortKey: input.sort_key ?? 'ID',
      reverse: input.reverse ?? false,
    },
  }),
  result: (data) => toPage(data['customers'], 'customers'),
};

const countCustomersInput = () => z.strictObject({ ...dateFilters });

/** @see https://shopify.dev/docs/api/admin-graphql/latest/queries/customersCount */
export const countCustomers: CuratedSpec<ReturnType<typeof countCustomersInput>> = {
  name: 'SHOPIFY_COUNT_CUSTOMERS',
  description:
    "Counts the customers of the shop, optionally by creation or update time (GraphQL customersCount). Returns { count, precision, cost }; precision is EXACT, or AT_LEAST past Shopify's limit. Needs the read_customers scope.",
  tags: ['customers', 'read'],
  aliases: ['SHOPIFY_CUSTOMERS_COUNT'],
  scopes: ['read_customers'],
  effects: { readOnly: true, idempotent: true },
  input: countCustomersInput,
  call: (input) => ({
    query: 'query CustomersCount($query: String) { customersCount(query: $query) { count precision } }',
    variables: { query: searchQuery(dateTerms(input)) ?? null },
  }),
  result: (data) => ({ ...(data['customersCount'] as Record<string, unknown>) }),
};
