// A local Shopify Admin API for one shop (acme-widgets.myshopify.com): the customers list with
// Shopify's call-limit header and `Link` cursor pagination, and Shopify's 401 for a bad token. The
// rerouting fetch tells it which {shop}.myshopify.com a request was built for.

import { startServer, type LocalServer } from './http.js';

export interface FakeShopify {
  server: LocalServer;
  /** Installs an app on the shop: its Admin API access token is accepted from then on. */
  acceptToken(shop: string, token: string): void;
  close(): Promise<void>;
}

const CUSTOMERS = [
  {
    id: 207119551,
    email: 'grace@example.com',
    first_name: 'Grace',
    last_name: 'Hopper',
    orders_count: 3,
    state: 'enabled',
    created_at: '2026-01-10T10:00:00-05:00',
  },
  {
    id: 207119552,
    email: 'alan@example.com',
    first_name: 'Alan',
    last_name: 'Turing',
    orders_count: 1,
    state: 'enabled',
    created_at: '2026-02-14T09:30:00-05:00',
  },
  {
    id: 207119553,
    email: 'katherine@example.com',
    first_name: 'Katherine',
    last_name: 'Johnson',
    orders_count: 7,
    state: 'enabled',
    created_at: '2026-03-02T16:45:00-05:00',
  },
];

export async function startFakeShopify(): Promise<FakeShopify> {
  const tokens = new Map<string, string>();
  let calls = 0;
  const server = await startServer((request) => {
    const shop = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/.exec(request.host)?.[1];
    if (shop === undefined || !tokens.has(shop)) return { status: 404, json: { errors: 'Not Found' } };
    if (tokens.get(shop) !== request.headers['x-shopify-access-token']) {
      return {
        status: 401,
        json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    }
    calls += 1;
    const callLimit = { 'x-shopify-shop-api-call-limit': `${calls}/40` };
    if (request.method === 'GET' && /^\/admin\/api\/[^/]+\/customers\.json$/.test(request.path)) {
      const limit = Number(request.query.get('limit') ?? '50');
      const pageInfo = request.query.get('page_info');
      const start = pageInfo === null ? 0 : Number(Buffer.from(pageInfo, 'base64url').toString('utf8'));
      const page = CUSTOMERS.slice(start, start + limit);
      const fields = request.query.get('fields')?.split(',');
      const items = fields
        ? page.map((customer) => Object.fromEntries(Object.entries(customer).filter(([key]) => fields.includes(key))))
        : page;
      const links: string[] = [];
      const pageUrl = (offset: number) => {
        const url = new URL(`https://${request.host}${request.path}`);
        url.searchParams.set('limit', String(limit));
        if (fields) url.searchParams.set('fields', fields.join(','));
        url.searchParams.set('page_info', Buffer.from(String(offset)).toString('base64url'));
        return url.toString();
      };
      if (start > 0) links.push(`<${pageUrl(Math.max(0, start - limit))}>; rel="previous"`);
      if (start + limit < CUSTOMERS.length) links.push(`<${pageUrl(start + limit)}>; rel="next"`);
      return {
        json: { customers: items },
        headers: { ...callLimit, ...(links.length > 0 ? { link: links.join(', ') } : {}) },
      };
    }
    return { status: 404, json: { errors: 'Not Found' }, headers: callLimit };
  });
  return {
    server,
    acceptToken: (shop, token) => tokens.set(shop, token),
    close: () => server.close(),
  };
}
