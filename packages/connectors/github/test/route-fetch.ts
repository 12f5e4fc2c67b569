import type { FetchFunction } from '@plugboard/core';

export interface SentRequest {
  method: string;
  /** The URL as the connector built it, before rerouting (https://api.github.com/...). */
  url: string;
}

/**
 * A `fetch` that sends requests for fixed vendor URLs (https://api.github.com, https://github.com,
 * https://ghe.example.com/api/v3) to local test servers instead, keeping the path and query, and
 * records the URL each request was built for. The longest matching prefix wins, so a GHES host can
 * send `/api/v3` to the API fake and `/login/oauth` to the OAuth fake. A request for any other URL
 * fails, so nothing can leave the machine.
 */
export function routeFetch(routes: Record<string, string>): { fetch: FetchFunction; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const table = Object.entries(routes)
    .map(([from, to]) => ({ from: from.replace(/\/+$/, ''), to: new URL(to) }))
    .sort((a, b) => b.from.length - a.from.length);
  const routed: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const href = `${original.origin}${original.pathname}`;
    const route = table.find(({ from }) => href === from || href.startsWith(`${from}/`));
    if (!route) throw new TypeError(`routeFetch: no local server for ${original.origin}${original.pathname}`);
    sent.push({ method: request.method, url: original.toString() });
    const local = new URL(original.pathname + original.search, route.to);
    return fetch(local, {
      method: request.method,
      headers: request.headers,
      // A request without a body keeps none, so what fetch adds for it (Content-Length: 0 on PUT) is what a real call sends.
      ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  return { fetch: routed, sent };
}
