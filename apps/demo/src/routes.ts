// The toolset's `fetch`: it sends the vendors' real hosts to the local fakes, so the connectors run
// unchanged, with their real URLs. Against the real APIs you leave this out and nothing else changes.

import type { FetchFunction } from '@plugboard/core';
import { ROUTED_HOST_HEADER } from './fakes/http.js';

export interface SentRequest {
  method: string;
  /** The URL as the connector built it (https://api.github.com/...), before rerouting. */
  url: string;
}

/**
 * Keys are vendor origins; `https://*.myshopify.com` takes every shop. A request for any other
 * host fails, so nothing leaves the machine. The vendor host travels in `x-forwarded-host`, which
 * the fakes use to tell shops apart and never record.
 */
export function rerouteToFakes(routes: Record<string, string>): { fetch: FetchFunction; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const local = (url: URL): string | undefined => {
    const exact = routes[url.origin];
    if (exact !== undefined) return exact;
    const wildcard = Object.entries(routes).find(([from]) => {
      const match = /^(https?:)\/\/\*(\.[^/]+)$/.exec(from);
      return (
        match !== null &&
        url.protocol === match[1] &&
        url.host.endsWith(match[2] ?? '') &&
        url.host.length > (match[2] ?? '').length
      );
    });
    return wildcard?.[1];
  };
  const rerouted: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const target = local(original);
    if (target === undefined)
      throw new TypeError(`the demo's fetch has no local server for ${original.origin}: nothing leaves this machine`);
    sent.push({ method: request.method, url: original.toString() });
    const headers = new Headers(request.headers);
    headers.set(ROUTED_HOST_HEADER, original.host);
    return fetch(new URL(original.pathname + original.search, target), {
      method: request.method,
      headers,
      ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  return { fetch: rerouted, sent };
}
