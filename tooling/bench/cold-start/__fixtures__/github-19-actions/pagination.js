/**
 * Parses a `Link` header the way GitHub sends it:
 * `<https://api.github.com/repositories/1/issues?page=2>; rel="next", <...?page=5>; rel="last"`.
 * A `rel` may list several space-separated relation types; each becomes its own entry.
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 */
export function parseLinkHeader(header) {
    if (!header)
        return [];
    const relations = [];
    // Commas may appear inside the <URL> (GitHub's search links carry `q=a,b`), so split on the
    // ", <" that starts the next link rather than on every comma.
    for (const part of header.split(/,\s*(?=<)/)) {
        const match = /^\s*<([^>]*)>(.*)$/.exec(part);
        if (!match)
            continue;
        const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]);
        const names = (rel?.[1] ?? rel?.[2] ?? '').trim();
        for (const name of names.split(/\s+/).filter(Boolean))
            relations.push({ url: match[1], rel: name.toLowerCase() });
    }
    return relations;
}
function pageOf(url) {
    if (url === undefined)
        return null;
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return null;
    }
    const page = parsed.searchParams.get('page');
    return page !== null && /^\d+$/.test(page) ? Number(page) : null;
}
export function pageInfo(headers) {
    const links = parseLinkHeader(headers.get('link'));
    const find = (rel) => links.find((link) => link.rel === rel)?.url;
    return { nextPage: pageOf(find('next')), lastPage: pageOf(find('last')) };
}
/** `mapResponse` of a list endpoint that answers with a bare array. */
export function listPage(response) {
    const items = Array.isArray(response.data) ? response.data : [];
    return { items, ...pageInfo(response.headers) };
}
/** `mapResponse` of a search endpoint, which wraps its results in `{ total_count, incomplete_results, items }`. */
export function searchPage(response) {
    const data = (typeof response.data === 'object' && response.data !== null ? response.data : {});
    return {
        total_count: typeof data['total_count'] === 'number' ? data['total_count'] : 0,
        incomplete_results: data['incomplete_results'] === true,
        items: Array.isArray(data['items']) ? data['items'] : [],
        ...pageInfo(response.headers),
    };
}
