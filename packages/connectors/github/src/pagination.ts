import type { HttpResponse } from '@plugboard/core';

/** One `<url>; rel="name"` entry of an RFC 8288 `Link` header. */
export interface LinkRelation {
  url: string;
  rel: string;
}

/**
 * Parses a `Link` header the way GitHub sends it:
 * `<https://api.github.com/repositories/1/issues?page=2>; rel="next", <...?page=5>; rel="last"`.
 * A `rel` may list several space-separated relation types; each becomes its own entry.
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 */
export function parseLinkHeader(header: string | null | undefined): LinkRelation[] {
  if (!header) return [];
  const relations: LinkRelation[] = [];
  // Commas may appear inside the <URL> (GitHub's search links carry `q=a,b`), so split on the
  // ", <" that starts the next link rather than on every comma.
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] as string);
    const names = (rel?.[1] ?? rel?.[2] ?? '').trim();
    for (const name of names.split(/\s+/).filter(Boolean))
      relations.push({ url: match[1] as string, rel: name.toLowerCase() });
  }
  return relations;
}

/** Where the next page is, as read from the response's `Link` header. */
export interface PageInfo {
  /**
   * The `page` to ask for next, or `null` on the last page. GitHub omits the `Link` header when
   * everything fit on one page, which also gives `null`.
   */
  nextPage: number | null;
  /** The number of the last page, when GitHub reports it (it does not for every endpoint). */
  lastPage: number | null;
}

function pageOf(url: string | undefined): number | null {
  if (url === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const page = parsed.searchParams.get('page');
  return page !== null && /^\d+$/.test(page) ? Number(page) : null;
}

export function pageInfo(headers: Headers): PageInfo {
  const links = parseLinkHeader(headers.get('link'));
  const find = (rel: string) => links.find((link) => link.rel === rel)?.url;
  return { nextPage: pageOf(find('next')), lastPage: pageOf(find('last')) };
}

/** What list actions return: GitHub's array as `items`, and where to continue. */
export interface Page<T = unknown> extends PageInfo {
  items: T[];
}

/** `mapResponse` of a list endpoint that answers with a bare array. */
export function listPage(response: HttpResponse): Page {
  const items = Array.isArray(response.data) ? (response.data as unknown[]) : [];
  return { items, ...pageInfo(response.headers) };
}

/** What search actions return: GitHub's `total_count`, `incomplete_results` and `items`, and where to continue. */
export interface SearchPage<T = unknown> extends Page<T> {
  total_count: number;
  incomplete_results: boolean;
}

/** `mapResponse` of a search endpoint, which wraps its results in `{ total_count, incomplete_results, items }`. */
export function searchPage(response: HttpResponse): SearchPage {
  const data = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as Record<
    string,
    unknown
  >;
  return {
    total_count: typeof data['total_count'] === 'number' ? data['total_count'] : 0,
    incomplete_results: data['incomplete_results'] === true,
    items: Array.isArray(data['items']) ? (data['items'] as unknown[]) : [],
    ...pageInfo(response.headers),
  };
}
