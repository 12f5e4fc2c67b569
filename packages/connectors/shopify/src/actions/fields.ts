import { PlugboardError } from '@plugboard/core';
import { z } from 'zod';

/**
 * A Shopify resource id, given as the number of the REST API and the admin URL (`207119551`), a
 * string of digits, or the GraphQL id (`gid://shopify/Customer/207119551`); sent as the GraphQL id.
 */
export function resourceIdField(type: string, description: string) {
  const gid = new RegExp(`^gid://shopify/${type}/[1-9][0-9]*$`);
  return z
    .union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      z.string().regex(/^[1-9][0-9]*$/, 'must be a string of digits'),
      z.string().regex(gid, `must be a gid://shopify/${type}/... id`),
    ])
    .transform((value) =>
      typeof value === 'string' && value.startsWith('gid://') ? value : `gid://shopify/${type}/${value}`,
    )
    .describe(`${description} A number like 207119551 or a GraphQL id like gid://shopify/${type}/207119551.`);
}

/** The number in a REST-style id or a gid, for search terms (`id:207119551`). */
export function legacyId(value: string | number): string {
  return String(value).replace(/^gid:\/\/shopify\/[A-Za-z]+\//, '');
}

/** A REST-style numeric id, for filters that compare ids (`since_id`, `ids`). */
export function numericIdField(description: string) {
  return z
    .union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      z.string().regex(/^(?:gid:\/\/shopify\/[A-Za-z]+\/)?[1-9][0-9]*$/, 'must be a number or a gid://shopify/... id'),
    ])
    .transform(legacyId)
    .describe(description);
}

/** A list given as one comma-separated string or as a list. */
export function listField<T extends z.ZodType>(item: T, description: string) {
  const list = z.array(item).min(1) as unknown as z.ZodType<z.output<T>[], string[]>;
  return z
    .union([z.string().min(1), z.array(z.union([z.string(), z.number()])).min(1)])
    .transform((value) => (Array.isArray(value) ? value.map(String) : value.split(',').map((entry) => entry.trim())))
    .pipe(list)
    .describe(description);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601, as Shopify's search syntax compares dates. */
export function timestampField(description: string) {
  return z
    .string()
    .regex(ISO_8601, 'must be an ISO 8601 date or date-time, like 2024-04-25T16:15:47-04:00')
    .describe(`${description} ISO 8601, like 2024-04-25T16:15:47-04:00.`);
}

const FIELD_NAME = /^[a-z_][A-Za-z0-9_]*$/;

// REST field names (`first_name`) are accepted and become GraphQL names (`firstName`).
const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

export const fieldsField = listField(
  z.string().regex(FIELD_NAME, 'must be a field name'),
  'Only return these fields of each resource: a comma-separated string or a list of GraphQL field names, like "id,displayName" (REST names like first_name become firstName). Object fields need the selection of SHOPIFY_GRAPHQL_QUERY.',
).transform((names) => names.map(camelCase));

export const limitField = z
  .number()
  .int()
  .min(1)
  .max(250)
  .describe('The maximum number of results per page, at most 250. 50 when omitted.');

export const pageInfoField = z
  .string()
  .min(1)
  .max(1000)
  .describe(
    'The cursor of the page to fetch: nextPageInfo from a previous call with the same filters (unlike the REST API, filters may and should be repeated with it).',
  );

/** A value inside Shopify's search syntax, quoted so that spaces, colons and `OR` stay part of it. */
export function searchValue(value: string | number): string {
  const text = String(value);
  return /^[A-Za-z0-9_.@+-]+$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A search query from terms joined with AND; `undefined` terms are left out, and alternatives
 * (`ids`) are grouped in parentheses.
 * @see https://shopify.dev/docs/api/usage/search-syntax
 */
export function searchQuery(terms: ReadonlyArray<string | undefined>): string | undefined {
  const present = terms.filter((term): term is string => term !== undefined && term !== '');
  return present.length > 0 ? present.join(' AND ') : undefined;
}

/** `(id:1 OR id:2)` for an id list, or undefined. */
export function anyOf(field: string, values: readonly (string | number)[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  const terms = values.map((value) => `${field}:${searchValue(value)}`);
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}

/** `created_at:>='2024-01-01'` for a bound, or undefined. */
export function bound(field: string, operator: '>=' | '<=' | '>', value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${field}:${operator}${searchValue(value)}`;
}

/** What every list action returns. */
export interface ShopifyPage<T = unknown> {
  items: T[];
  /** Pass as `page_info` (with the same filters) to get the next page; `null` on the last page. */
  nextPageInfo: string | null;
}

interface Connection {
  nodes?: unknown[];
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
}

/** A connection as a page with its cursor. */
export function toPage(connection: unknown, field: string): ShopifyPage {
  const { nodes, pageInfo } = (connection ?? {}) as Connection;
  if (!Array.isArray(nodes)) {
    throw new PlugboardError('INVALID_RESPONSE', `Shopify answered without ${field}.nodes.`);
  }
  return { items: nodes, nextPageInfo: pageInfo?.hasNextPage ? (pageInfo.endCursor ?? null) : null };
}

/** The selection of the fields asked for, or the default one. */
export function selectionOf(fields: readonly string[] | undefined, fallback: string): string {
  return fields && fields.length > 0 ? fields.join(' ') : fallback;
}
