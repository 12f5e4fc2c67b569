import { describe, expect, it } from 'vitest';
import { pageInfo, parseLinkHeader } from './pagination.js';

describe('parseLinkHeader', () => {
  it("reads GitHub's four relations, in GitHub's order, with repositories/{id} URLs", () => {
    const header =
      '<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=4>; rel="next", ' +
      '<https://api.github.com/repositories/1300192/issues?page=515>; rel="last", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"';
    expect(parseLinkHeader(header)).toEqual([
      { rel: 'prev', url: 'https://api.github.com/repositories/1300192/issues?page=2' },
      { rel: 'next', url: 'https://api.github.com/repositories/1300192/issues?page=4' },
      { rel: 'last', url: 'https://api.github.com/repositories/1300192/issues?page=515' },
      { rel: 'first', url: 'https://api.github.com/repositories/1300192/issues?page=1' },
    ]);
    expect(pageInfo(new Headers({ link: header }))).toEqual({ nextPage: 4, lastPage: 515 });
  });

  it('keeps commas inside URLs, and reads unquoted and multi-valued rel', () => {
    const header =
      '<https://api.github.com/search/issues?q=label%3Abug,ui&page=2>; rel=next, <https://api.github.com/search/issues?q=label%3Abug,ui&page=34>; rel="last end"';
    expect(parseLinkHeader(header)).toEqual([
      { rel: 'next', url: 'https://api.github.com/search/issues?q=label%3Abug,ui&page=2' },
      { rel: 'last', url: 'https://api.github.com/search/issues?q=label%3Abug,ui&page=34' },
      { rel: 'end', url: 'https://api.github.com/search/issues?q=label%3Abug,ui&page=34' },
    ]);
    expect(pageInfo(new Headers({ link: header }))).toEqual({ nextPage: 2, lastPage: 34 });
  });

  it('gives no next page without a Link header, on the last page, or for a cursor link without page', () => {
    expect(pageInfo(new Headers())).toEqual({ nextPage: null, lastPage: null });
    expect(
      pageInfo(
        new Headers({
          link: '<https://api.github.com/user/repos?page=1>; rel="first", <https://api.github.com/user/repos?page=2>; rel="prev"',
        }),
      ),
    ).toEqual({
      nextPage: null,
      lastPage: null,
    });
    expect(pageInfo(new Headers({ link: '<https://api.github.com/orgs/o/audit-log?after=MTYx>; rel="next"' }))).toEqual(
      { nextPage: null, lastPage: null },
    );
    expect(parseLinkHeader('garbage, <>; nothing')).toEqual([]);
  });
});
