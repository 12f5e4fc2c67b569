/** A fetch with the signature of the global one; what `createToolset({ fetch })` takes. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One request a rerouting fetch sent on. */
export interface ReroutedRequest {
  method: string;
  /** The URL as the connector built it, before rerouting (`https://api.trello.com/1/cards`). */
  url: string;
  /** Its host (`acme.myshopify.com`): where subdomain placement shows. */
  host: string;
  /** Where it was sent instead. */
  localUrl: string;
}

export interface ReroutingFetch {
  fetch: FetchLike;
  sent: ReroutedRequest[];
}

export interface ReroutingOptions {
  /** The fetch that sends the rerouted request. @default globalThis.fetch */
  fetch?: FetchLike;
  /**
   * Add `X-Forwarded-Host` and `X-Forwarded-Proto` with the original host and scheme, as a reverse
   * proxy does, so a fake server can rebuild the URL the client used (OAuth 1.0a signatures
   * cover it; the fake OAuth 1.0a server reads these headers). @default false
   */
  forwardedHeaders?: boolean;
}

interface Route {
  scheme: string;
  /** Lower-case host, or `*.rest` for any subdomain of `rest`. */
  host: string;
  path: string;
  to: URL;
}

/**
 * A `fetch` that sends requests for a vendor's real URLs to local test servers, keeping method,
 * path, query, headers and body, and records the URL each request was built for. Keys are URL
 * prefixes (`https://api.trello.com`, `https://github.com/login/oauth`); a host may start with `*.`
 * to take every subdomain (`https://*.myshopify.com`). The longest prefix wins. A request for any
 * other URL fails, so nothing leaves the machine. Pass it in; it patches no global.
 * @example
 * const { fetch, sent } = rerouteFetch({ 'https://api.trello.com': server.url });
 * const toolset = createToolset({ connectors: [trello], fetch });
 */
export function rerouteFetch(routes: Record<string, string>, options: ReroutingOptions = {}): ReroutingFetch {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sent: ReroutedRequest[] = [];
  const table: Route[] = Object.entries(routes)
    .map(([from, to]) => {
      const match = /^(https?):\/\/([^/]+)(\/.*)?$/i.exec(from);
      if (!match) throw new TypeError(`rerouteFetch: ${JSON.stringify(from)} is not an http(s) URL prefix.`);
      return {
        scheme: (match[1] as string).toLowerCase(),
        host: (match[2] as string).toLowerCase(),
        path: (match[3] ?? '').replace(/\/+$/, ''),
        to: new URL(to),
      };
    })
    .sort((left, right) => right.host.length + right.path.length - (left.host.length + left.path.length));

  const matches = (route: Route, url: URL) => {
    if (`${route.scheme}:` !== url.protocol) return false;
    const host = url.host.toLowerCase();
    const hostMatches = route.host.startsWith('*.')
      ? host.endsWith(route.host.slice(1)) && host.length > route.host.length - 1
      : host === route.host;
    return (
      hostMatches && (route.path === '' || url.pathname === route.path || url.pathname.startsWith(`${route.path}/`))
    );
  };

  const rerouted: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const route = table.find((candidate) => matches(candidate, original));
    if (!route) throw new TypeError(`rerouteFetch: no local server for ${original.origin}${original.pathname}`);
    const local = new URL(original.pathname + original.search, route.to);
    sent.push({ method: request.method, url: original.toString(), host: original.host, localUrl: local.toString() });
    const headers = new Headers(request.headers);
    if (options.forwardedHeaders) {
      headers.set('x-forwarded-host', original.host);
      headers.set('x-forwarded-proto', original.protocol.replace(':', ''));
    }
    return send(local, {
      method: request.method,
      headers,
      // A request without a body keeps none, so what fetch adds for it (Content-Length: 0 on PUT) is what a real call sends.
      ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  return { fetch: rerouted, sent };
}
