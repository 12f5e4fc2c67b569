import { PlugboardError, type HttpResponse } from '@plugboard/core';
import { z } from 'zod';

/** A Shopify REST resource id: a positive integer, given as a number or a string of digits. */
export function resourceId(description: string) {
  return z
    .union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      z.string().regex(/^[1-9][0-9]*$/, 'must be a string of digits'),
    ])
    .describe(description);
}

/** A list Shopify takes as one comma-separated query value (`ids=1,2,3`, `fields=id,email`). */
export function commaSeparated(item: z.ZodType<string | number, string | number>, description: string) {
  return z
    .union([z.string().min(1), z.array(item).min(1)])
    .transform((value) => (Array.isArray(value) ? value : value.split(',').map((entry) => entry.trim())))
    .pipe(z.array(item).min(1))
    .transform((list) => list.map(String).join(','))
    .describe(description);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601, as Shopify's `*_at_min` and `*_at_max` filters take it. */
export function timestamp(description: string) {
  return z
    .string()
    .regex(ISO_8601, 'must be an ISO 8601 date or date-time, like 2024-04-25T16:15:47-04:00')
    .describe(`${description} ISO 8601, like 2024-04-25T16:15:47-04:00.`);
}

export const fieldsField = commaSeparated(
  z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a field name'),
  'Only return these fields of each resource: a comma-separated string or a list of field names, like "id,email".',
);

export const limitField = z
  .number()
  .int()
  .min(1)
  .max(250)
  .describe('The maximum number of results per page, at most 250. Shopify uses 50 when omitted.');

export const pageInfoField = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a page_info cursor as returned in nextPageInfo')
  .describe(
    'The cursor of the page to fetch: nextPageInfo (or previousPageInfo) from a previous call. With page_info, Shopify accepts only limit and fields besides it; the other filters stay those of the first request.',
  );

// Shopify refuses every other parameter on a request that carries page_info.
const ALLOWED_WITH_PAGE_INFO = new Set(['page_info', 'limit', 'fields']);

/**
 * The rule of Shopify's cursor pagination, checked before anything is sent: a request with
 * `page_info` may only add `limit` and `fields`.
 * @see https://shopify.dev/docs/api/admin-rest/usage/pagination
 */
export function pageInfoOnlyWithLimitAndFields(value: Record<string, unknown>, context: z.RefinementCtx): void {
  if (value['page_info'] === undefined) return;
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || ALLOWED_WITH_PAGE_INFO.has(key)) continue;
    context.addIssue({
      code: 'custom',
      path: [key],
      message: `${key} cannot be passed with page_info: Shopify accepts only limit and fields on a page_info request. Filter in the first request and follow nextPageInfo.`,
    });
  }
}

/** Shopify's REST call budget for the app on this shop, from `X-Shopify-Shop-Api-Call-Limit: 32/40`. */
export interface RateLimit {
  /** Requests in the bucket, this one included. */
  used: number;
  /** Size of the bucket. */
  max: number;
}

export function rateLimitOf(headers: Headers): RateLimit | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(headers.get('x-shopify-shop-api-call-limit') ?? '');
  return match ? { used: Number(match[1]), max: Number(match[2]) } : null;
}

/**
 * The `page_info` of the `rel="next"` or `rel="previous"` link of a `Link` header:
 * `<https://{shop}.myshopify.com/admin/api/2026-07/customers.json?limit=50&page_info=abc>; rel="next"`.
 */
export function pageInfoFromLink(link: string | null, rel: 'next' | 'previous'): string | null {
  if (!link) return null;
  for (const match of link.matchAll(/<([^>]*)>([^,]*)/g)) {
    const relation = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] as string)?.[1];
    if (relation === undefined || !relation.trim().split(/\s+/).includes(rel)) continue;
    try {
      return new URL(match[1] as string, 'https://shopify.invalid').searchParams.get('page_info');
    } catch {
      return null;
    }
  }
  return null;
}

/** What every list action returns. */
export interface ShopifyPage<T = unknown> {
  items: T[];
  /** Pass as `page_info` to get the next page; `null` on the last page. */
  nextPageInfo: string | null;
  /** Pass as `page_info` to go back a page; `null` on the first page. */
  previousPageInfo: string | null;
  rateLimit: RateLimit | null;
}

/** A list response (`{ customers: [...] }`) as a page with its cursors. */
export function toPage(key: string) {
  return (response: HttpResponse): ShopifyPage => {
    const body = response.data as Record<string, unknown> | null;
    const items = body?.[key];
    if (!Array.isArray(items)) {
      throw new PlugboardError('INVALID_RESPONSE', `Shopify answered without a "${key}" list.`, {
        status: response.status,
      });
    }
    const link = response.headers.get('link');
    return {
      items,
      nextPageInfo: pageInfoFromLink(link, 'next'),
      previousPageInfo: pageInfoFromLink(link, 'previous'),
      rateLimit: rateLimitOf(response.headers),
    };
  };
}

/** A single-resource or count response, as Shopify sent it, with the call budget added. */
export function withRateLimit(response: HttpResponse): Record<string, unknown> {
  const body =
    typeof response.data === 'object' && response.data !== null && !Array.isArray(response.data)
      ? (response.data as Record<string, unknown>)
      : { data: response.data };
  return { ...body, rateLimit: rateLimitOf(response.headers) };
}
