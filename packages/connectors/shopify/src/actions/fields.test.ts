import { describe, expect, it } from 'vitest';
import { throttleWaitMs } from '../graphql/admin-request.js';
import { anyOf, bound, fieldsField, resourceIdField, searchQuery, searchValue, toPage } from './fields.js';

describe("Shopify's search syntax", () => {
  it('quotes values that would otherwise end the term or join another one', () => {
    expect(searchValue('Apple')).toBe('Apple');
    expect(searchValue('bob@example.com')).toBe('bob@example.com');
    expect(searchValue('#1001')).toBe('"#1001"');
    expect(searchValue('red OR vendor:x')).toBe('"red OR vendor:x"');
    expect(searchValue('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });

  it('joins terms with AND, groups alternatives and leaves out what is not given', () => {
    expect(searchQuery([undefined, ''])).toBeUndefined();
    expect(searchQuery(['status:open', anyOf('id', ['1', '2']), bound('created_at', '>=', '2024-01-01')])).toBe(
      'status:open AND (id:1 OR id:2) AND created_at:>=2024-01-01',
    );
    expect(anyOf('id', ['7'])).toBe('id:7');
    expect(anyOf('id', undefined)).toBeUndefined();
  });
});

describe('resourceIdField', () => {
  it('turns REST numbers into gids, keeps gids of the same type, refuses others', () => {
    const field = resourceIdField('Customer', 'A customer.');
    expect(field.parse(207119551)).toBe('gid://shopify/Customer/207119551');
    expect(field.parse('207119551')).toBe('gid://shopify/Customer/207119551');
    expect(field.parse('gid://shopify/Customer/1')).toBe('gid://shopify/Customer/1');
    for (const bad of ['gid://shopify/Order/1', '0', '1 OR 2', -5, 1.5])
      expect(field.safeParse(bad).success).toBe(false);
  });
});

describe('fieldsField', () => {
  it('takes a list or a comma-separated string, with REST names turned into GraphQL names', () => {
    expect(fieldsField.parse('id, first_name,defaultEmailAddress')).toEqual(['id', 'firstName', 'defaultEmailAddress']);
    expect(fieldsField.parse(['id'])).toEqual(['id']);
    expect(fieldsField.safeParse('id { x }').success).toBe(false);
  });
});

describe('toPage', () => {
  it('gives the end cursor as nextPageInfo only while there is a next page', () => {
    expect(toPage({ nodes: [1], pageInfo: { hasNextPage: true, endCursor: 'abc' } }, 'x')).toEqual({
      items: [1],
      nextPageInfo: 'abc',
    });
    expect(toPage({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }, 'x').nextPageInfo).toBeNull();
    expect(() => toPage(null, 'customers')).toThrow(expect.objectContaining({ code: 'INVALID_RESPONSE' }));
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
