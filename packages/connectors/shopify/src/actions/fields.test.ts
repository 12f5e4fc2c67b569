import { describe, expect, it } from 'vitest';
import { throttleWaitMs } from '../graphql/admin-request.js';
import { pageInfoFromLink, rateLimitOf } from './fields.js';

describe('pageInfoFromLink', () => {
  const base = 'https://acme.myshopify.com/admin/api/2026-07/products.json';
  it('reads the page_info of the next and previous links', () => {
    const link = `<${base}?limit=50&page_info=prev123>; rel="previous", <${base}?limit=50&page_info=next456>; rel="next"`;
    expect(pageInfoFromLink(link, 'next')).toBe('next456');
    expect(pageInfoFromLink(link, 'previous')).toBe('prev123');
  });

  it('reads unquoted rel values and returns null without a matching link', () => {
    expect(pageInfoFromLink(`<${base}?page_info=abc>; rel=next`, 'next')).toBe('abc');
    expect(pageInfoFromLink(`<${base}?page_info=abc>; rel=next`, 'previous')).toBeNull();
    expect(pageInfoFromLink(null, 'next')).toBeNull();
    expect(pageInfoFromLink('', 'next')).toBeNull();
  });
});

describe('rateLimitOf', () => {
  it('reads X-Shopify-Shop-Api-Call-Limit', () => {
    expect(rateLimitOf(new Headers({ 'X-Shopify-Shop-Api-Call-Limit': '32/40' }))).toEqual({ used: 32, max: 40 });
    expect(rateLimitOf(new Headers())).toBeNull();
    expect(rateLimitOf(new Headers({ 'X-Shopify-Shop-Api-Call-Limit': 'lots' }))).toBeNull();
  });
});

describe('throttleWaitMs', () => {
  it('waits until the restore rate has refilled the requested cost', () => {
    expect(
      throttleWaitMs({
        requestedQueryCost: 752,
        throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
      }),
    ).toBe(1720);
    expect(
      throttleWaitMs({
        requestedQueryCost: 10,
        throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 500, restoreRate: 50 },
      }),
    ).toBe(0);
    expect(throttleWaitMs(undefined)).toBe(1000);
  });
});
