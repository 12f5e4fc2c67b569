// The one change the release check makes to code a user runs: a `fetch` that sends the vendors'
// hosts to local fakes. Loaded into the user's process as a preload (`node --import`) or returned
// from a `plugboard --config` module, so the README's script and the CLI run as published.

/** The header the demo's fakes read to learn which vendor host a request was built for. */
const ROUTED_HOST_HEADER = 'x-forwarded-host';

/**
 * `routes` maps vendor origins (`https://api.github.com`, `https://*.myshopify.com`) to local
 * origins. A request for any other non-loopback host fails, so nothing leaves the machine.
 */
export function createReroutedFetch(routes, realFetch) {
  const local = (url) => {
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return url.origin;
    if (routes[url.origin] !== undefined) return routes[url.origin];
    for (const [from, to] of Object.entries(routes)) {
      const wildcard = /^(https?:)\/\/\*(\.[^/]+)$/.exec(from);
      if (wildcard && url.protocol === wildcard[1] && url.host.endsWith(wildcard[2])) return to;
    }
    return undefined;
  };
  return async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const target = local(original);
    if (target === undefined) throw new TypeError(`no local fake for ${original.origin}: nothing leaves this machine`);
    const headers = new Headers(request.headers);
    headers.set(ROUTED_HOST_HEADER, original.host);
    return realFetch(new URL(original.pathname + original.search, target), {
      method: request.method,
      headers,
      ...(request.body === null ? {} : { body: await request.arrayBuffer() }),
      redirect: request.redirect,
      signal: request.signal,
    });
  };
}

/** The routes a child process gets through this environment variable (JSON). */
export const ROUTES_VARIABLE = 'PLUGBOARD_CHECK_ROUTES';

/** The source of a preload module that replaces the global fetch in the process that loads it. */
export function preloadSource() {
  return `import { createReroutedFetch, ROUTES_VARIABLE } from ${JSON.stringify(import.meta.url)};
globalThis.fetch = createReroutedFetch(JSON.parse(process.env[ROUTES_VARIABLE]), globalThis.fetch);
`;
}

/** The source of a \`plugboard --config\` module whose only option is the rerouting fetch. */
export function cliConfigSource() {
  return `import { createReroutedFetch, ROUTES_VARIABLE } from ${JSON.stringify(import.meta.url)};
export default { fetch: createReroutedFetch(JSON.parse(process.env[ROUTES_VARIABLE]), globalThis.fetch) };
`;
}
