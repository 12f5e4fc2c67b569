import type { FetchFunction } from '@plugboard/core';

export interface ReroutedCall {
  /** The host the connector asked for (`gmail.googleapis.com`). */
  host: string;
  method: string;
  /** The URL the connector asked for. */
  url: string;
}

/**
 * A fetch for createToolset that sends requests for Google's fixed hosts to local servers, keeping
 * path, query, method, headers and body, and records the host each request was meant for. A host
 * with no route is an error: nothing leaves the machine.
 */
export function reroutingFetch(routes: Record<string, string>): { fetch: FetchFunction; calls: ReroutedCall[] } {
  const calls: ReroutedCall[] = [];
  const fetchFunction: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const target = routes[url.host];
    if (target === undefined) throw new TypeError(`test fetch: no route for ${url.host}`);
    calls.push({ host: url.host, method: request.method, url: url.href });
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return fetch(new URL(url.pathname + url.search, target), {
      method: request.method,
      headers: request.headers,
      ...(body !== undefined && body.byteLength > 0 ? { body } : {}),
      redirect: 'manual',
      signal: request.signal,
    });
  };
  return { fetch: fetchFunction, calls };
}
