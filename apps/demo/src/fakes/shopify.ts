// A local Shopify GraphQL Admin API for one shop (acme-widgets.myshopify.com): the `customers`
// query with cursor pagination and Shopify's cost extensions, and Shopify's 401 for a bad token.
// The rerouting fetch tells it which {shop}.myshopify.com a request was built for.

import { startServer, type LocalServer } from './http.js';

export interface FakeShopify {
  server: LocalServer;
  /** Installs an app on the shop: its Admin API access token is accepted from then on. */
  acceptToken(shop: string, token: string): void;
  close(): Promise<void>;
}

const customer = (id: number, firstName: string, lastName: string, email: string, createdAt: string) => ({
  id: `gid://shopify/Customer/${id}`,
  legacyResourceId: String(id),
  firstName,
  lastName,
  displayName: `${firstName} ${lastName}`,
  defaultEmailAddress: { emailAddress: email, marketingState: 'SUBSCRIBED' },
  state: 'ENABLED',
  createdAt,
});

const CUSTOMERS = [
  customer(207119551, 'Grace', 'Hopper', 'grace@example.com', '2026-01-10T15:00:00Z'),
  customer(207119552, 'Alan', 'Turing', 'alan@example.com', '2026-02-14T14:30:00Z'),
  customer(207119553, 'Katherine', 'Johnson', 'katherine@example.com', '2026-03-02T21:45:00Z'),
];

export async function startFakeShopify(): Promise<FakeShopify> {
  const tokens = new Map<string, string>();
  let available = 2000;
  const server = await startServer((request) => {
    const shop = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/.exec(request.host)?.[1];
    if (shop === undefined || !tokens.has(shop)) return { status: 404, json: { errors: 'Not Found' } };
    if (tokens.get(shop) !== request.headers['x-shopify-access-token']) {
      return {
        status: 401,
        json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    }
    if (request.method !== 'POST' || !/^\/admin\/api\/[^/]+\/graphql\.json$/.test(request.path))
      return { status: 404, json: { errors: 'Not Found' } };
    const body = JSON.parse(request.body || '{}') as { query?: string; variables?: Record<string, unknown> };
    if (!/\{ customers\(/.test(body.query ?? ''))
      return { json: { errors: [{ message: 'This fake Shopify answers the customers query only.' }] } };
    const first = Number(body.variables?.['first'] ?? 50);
    const after = body.variables?.['after'];
    const start = typeof after === 'string' ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
    const nodes = CUSTOMERS.slice(start, start + first);
    const cost = 2 + first * 2;
    available -= cost;
    return {
      json: {
        data: {
          customers: {
            nodes,
            pageInfo: {
              hasNextPage: start + first < CUSTOMERS.length,
              endCursor: Buffer.from(String(start + nodes.length)).toString('base64url'),
            },
          },
        },
        extensions: {
          cost: {
            requestedQueryCost: cost,
            actualQueryCost: cost,
            throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
          },
        },
      },
      headers: { 'x-shopid': '548380009' },
    };
  });
  return {
    server,
    acceptToken: (shop, token) => tokens.set(shop, token),
    close: () => server.close(),
  };
}
