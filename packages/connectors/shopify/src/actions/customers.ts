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

const customerId = resourceId('The id of the customer, like 207119551.');

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers */
export const getAllCustomers = defineAction({
  name: 'SHOPIFY_GET_ALL_CUSTOMERS',
  description:
    'Lists the customers of the shop (GET /customers.json), oldest first, one page at a time. Returns { items, nextPageInfo, previousPageInfo, rateLimit }: pass nextPageInfo as page_info to get the next page. Needs the read_customers scope.',
  tags: ['customers', 'read'],
  input: () =>
    z
      .strictObject({
        ids: commaSeparated(
          resourceId('A customer id.'),
          'Only these customers: a comma-separated string or a list of customer ids.',
        ).optional(),
        since_id: resourceId('Only customers with an id greater than this one.').optional(),
        created_at_min: timestamp('Only customers created at or after this time.').optional(),
        created_at_max: timestamp('Only customers created at or before this time.').optional(),
        updated_at_min: timestamp('Only customers last updated at or after this time.').optional(),
        updated_at_max: timestamp('Only customers last updated at or before this time.').optional(),
        limit: limitField.optional(),
        fields: fieldsField.optional(),
        page_info: pageInfoField.optional(),
      })
      .superRefine(pageInfoOnlyWithLimitAndFields),
  request: 'GET /customers.json',
  mapResponse: toPage('customers'),
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers-customer-id */
export const getCustomer = defineAction({
  name: 'SHOPIFY_GET_CUSTOMER',
  description:
    'Gets one customer by id (GET /customers/{customer_id}.json). Returns { customer, rateLimit }. Needs the read_customers scope.',
  tags: ['customers', 'read'],
  input: () =>
    z.strictObject({
      customer_id: customerId,
      fields: fieldsField.optional(),
    }),
  request: 'GET /customers/{customer_id}.json',
  mapResponse: withRateLimit,
});

const address = z
  .looseObject({
    address1: z.string().optional().describe('Street address.'),
    address2: z.string().optional().describe('Apartment, suite or unit.'),
    city: z.string().optional().describe('City.'),
    province: z.string().optional().describe('Province or state name.'),
    province_code: z.string().optional().describe('Province or state code, like ON.'),
    country: z.string().optional().describe('Country name.'),
    country_code: z.string().optional().describe('ISO 3166-1 alpha-2 country code, like CA.'),
    zip: z.string().optional().describe('Postal or ZIP code.'),
    phone: z.string().optional().describe('Phone number at this address.'),
    first_name: z.string().optional().describe('First name of the person at this address.'),
    last_name: z.string().optional().describe('Last name of the person at this address.'),
    company: z.string().optional().describe('Company name.'),
    default: z.boolean().optional().describe('Whether this is the default address.'),
  })
  .describe('A mailing address, with the field names of the Shopify customer address resource.');

const marketingConsent = z
  .looseObject({
    state: z
      .enum(['subscribed', 'not_subscribed', 'pending', 'unsubscribed', 'redacted', 'invalid'])
      .describe('The consent state.'),
    opt_in_level: z
      .enum(['single_opt_in', 'confirmed_opt_in', 'unknown'])
      .optional()
      .describe('How the consent was given.'),
    consent_updated_at: z.string().optional().describe('When the consent was given or withdrawn, ISO 8601.'),
  })
  .describe("Marketing consent, as in Shopify's customer resource.");

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/customer#post-customers */
export const createCustomer = defineAction({
  name: 'SHOPIFY_CREATE_CUSTOMER',
  description:
    'Creates a customer (POST /customers.json with { customer }). Give an email, a phone number or a name; Shopify answers 422 with the offending fields in errors (for example when the email is already taken). Returns { customer, rateLimit }. Needs the write_customers scope.',
  tags: ['customers', 'write'],
  input: () =>
    z.strictObject({
      customer: z
        .looseObject({
          first_name: z.string().optional().describe('First name.'),
          last_name: z.string().optional().describe('Last name.'),
          email: z
            .string()
            .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
            .optional()
            .describe('Email address; unique per shop.'),
          phone: z.string().optional().describe('Phone number in E.164 format, like +16135551111; unique per shop.'),
          verified_email: z.boolean().optional().describe('Whether the email address is verified.'),
          addresses: z.array(address).optional().describe('Up to ten mailing addresses.'),
          password: z.string().optional().describe('Sets the password of the customer account.'),
          password_confirmation: z.string().optional().describe('The same password again.'),
          send_email_welcome: z.boolean().optional().describe('Whether Shopify sends the customer a welcome email.'),
          send_email_invite: z.boolean().optional().describe('Whether Shopify sends the customer an account invite.'),
          tags: z.string().optional().describe('Comma-separated tags, like "VIP, wholesale".'),
          note: z.string().optional().describe('A note about the customer.'),
          tax_exempt: z.boolean().optional().describe('Whether the customer is exempt from taxes.'),
          currency: z.string().optional().describe('Three-letter currency code (ISO 4217).'),
          email_marketing_consent: marketingConsent.optional(),
          sms_marketing_consent: marketingConsent.optional(),
          metafields: z
            .array(z.looseObject({}))
            .optional()
            .describe('Metafields to attach: objects with namespace, key, value and type.'),
        })
        .refine((customer) => Object.values(customer).some((value) => value !== undefined), {
          message: 'Give at least one customer field.',
        })
        .describe(
          'The customer, with the field names of the Shopify customer resource; other customer fields are passed through as given.',
        ),
    }),
  request: 'POST /customers.json',
  mapResponse: withRateLimit,
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers-search */
export const searchCustomers = defineAction({
  name: 'SHOPIFY_SEARCH_CUSTOMERS',
  description:
    'Searches the customers of the shop (GET /customers/search.json) with Shopify\'s search syntax, like "email:bob@example.com" or "country:Canada". Returns { items, nextPageInfo, previousPageInfo, rateLimit }. Needs the read_customers scope.',
  tags: ['customers', 'read', 'search'],
  input: () =>
    z
      .strictObject({
        query: z
          .string()
          .min(1)
          .optional()
          .describe('The search text; field:value terms narrow it, like "email:bob@example.com" or "first_name:Bob".'),
        order: z
          .string()
          .min(1)
          .optional()
          .describe('Field and direction to sort by. Shopify uses "last_order_date DESC" when omitted.'),
        limit: limitField.optional(),
        fields: fieldsField.optional(),
        page_info: pageInfoField.optional(),
      })
      .superRefine(pageInfoOnlyWithLimitAndFields),
  request: 'GET /customers/search.json',
  mapResponse: toPage('customers'),
});

/** @see https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers-count */
export const countCustomers = defineAction({
  name: 'SHOPIFY_COUNT_CUSTOMERS',
  description:
    'Counts the customers of the shop (GET /customers/count.json), optionally by creation or update time. Returns { count, rateLimit }. Needs the read_customers scope.',
  tags: ['customers', 'read'],
  input: () =>
    z.strictObject({
      created_at_min: timestamp('Only customers created at or after this time.').optional(),
      created_at_max: timestamp('Only customers created at or before this time.').optional(),
      updated_at_min: timestamp('Only customers last updated at or after this time.').optional(),
      updated_at_max: timestamp('Only customers last updated at or before this time.').optional(),
    }),
  request: 'GET /customers/count.json',
  mapResponse: withRateLimit,
});
