// A local stand-in for Shopify: the REST and GraphQL Admin API of a few shops, and the per-shop
// OAuth endpoints, answering the way Shopify documents them (status codes, error bodies, the
// `Link` pagination header, the call-limit header, 429 with Retry-After, the signed callback).
// Vendor hosts reach it through `server.fetch`, which reroutes https://{shop}.myshopify.com to
// 127.0.0.1 and records the host each request was built for. Serving, recording and rerouting are
// the test kit's (startRecordingServer, rerouteFetch); this file is Shopify's behaviour.

import { createHmac, randomBytes } from 'node:crypto';
import { rerouteFetch, startRecordingServer } from '@plugboard/testkit';

export interface RecordedRequest {
  method: string;
  /** The host the client built the request for, like `acme.myshopify.com`. */
  host: string;
  path: string;
  /** The raw query string, without `?`. */
  search: string;
  query: URLSearchParams;
  /** Lower-case names; the routing header `x-forwarded-host` is left out. */
  headers: Record<string, string>;
  body: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

interface Customer {
  id: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  state: string;
  tags: string;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

interface Shop {
  name: string;
  tokens: Set<string>;
  customers: Customer[];
  orders: Array<Record<string, unknown> & { id: number }>;
  products: Array<Record<string, unknown> & { id: number }>;
  info: Record<string, unknown>;
  callCount: number;
}

interface IssuedToken {
  shop: string;
  accessToken: string;
  scope: string;
  refreshToken?: string | undefined;
  expiresIn?: number | undefined;
  grant: 'authorization_code' | 'refresh_token' | 'client_credentials';
}

export const API_ERRORS = {
  unauthorized: '[API] Invalid API key or access token (unrecognized login or wrong password)',
  notFound: 'Not Found',
  throttled: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
} as const;

const BUCKET_SIZE = 40;
let nextId = 7_000_000_001;

function customer(fields: Partial<Customer> & { created_at: string }): Customer {
  return {
    id: nextId++,
    email: null,
    first_name: null,
    last_name: null,
    phone: null,
    state: 'disabled',
    tags: '',
    updated_at: fields.created_at,
    orders_count: 0,
    total_spent: '0.00',
    verified_email: true,
    currency: 'USD',
    admin_graphql_api_id: '',
    ...fields,
  };
}

function seedShop(name: string): Shop {
  const customers = [
    customer({
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      created_at: '2024-01-05T10:00:00-05:00',
      tags: 'vip',
    }),
    customer({
      email: 'bob@example.com',
      first_name: 'Bob',
      last_name: 'Norman',
      created_at: '2024-02-10T10:00:00-05:00',
    }),
    customer({
      email: 'cleo@example.com',
      first_name: 'Cleo',
      last_name: 'Park',
      created_at: '2024-03-15T10:00:00-05:00',
    }),
    customer({
      email: 'dan@example.com',
      first_name: 'Dan',
      last_name: 'Ito',
      created_at: '2024-04-20T10:00:00-04:00',
    }),
    customer({
      email: 'eve@example.com',
      first_name: 'Eve',
      last_name: 'Adams',
      created_at: '2024-05-25T10:00:00-04:00',
    }),
  ];
  for (const entry of customers) entry['admin_graphql_api_id'] = `gid://shopify/Customer/${entry.id}`;
  const orders = [
    {
      id: 450789469,
      name: '#1001',
      email: 'ada@example.com',
      financial_status: 'paid',
      fulfillment_status: null,
      closed_at: null,
      cancelled_at: null,
      total_price: '199.00',
      currency: 'USD',
      created_at: '2024-06-01T12:00:00-04:00',
      line_items: [{ id: 466157049, title: 'IPod Nano - 8gb', quantity: 1, price: '199.00' }],
    },
    {
      id: 450789470,
      name: '#1002',
      email: 'bob@example.com',
      financial_status: 'pending',
      fulfillment_status: null,
      closed_at: null,
      cancelled_at: null,
      total_price: '25.00',
      currency: 'USD',
      created_at: '2024-06-02T12:00:00-04:00',
      line_items: [],
    },
    {
      id: 450789471,
      name: '#1003',
      email: 'cleo@example.com',
      financial_status: 'refunded',
      fulfillment_status: 'fulfilled',
      closed_at: '2024-06-10T12:00:00-04:00',
      cancelled_at: null,
      total_price: '10.00',
      currency: 'USD',
      created_at: '2024-06-03T12:00:00-04:00',
      line_items: [],
    },
    {
      id: 450789472,
      name: '#1004',
      email: 'dan@example.com',
      financial_status: 'voided',
      fulfillment_status: null,
      closed_at: '2024-06-11T12:00:00-04:00',
      cancelled_at: '2024-06-11T12:00:00-04:00',
      total_price: '5.00',
      currency: 'USD',
      created_at: '2024-06-04T12:00:00-04:00',
      line_items: [],
    },
  ];
  const products = [
    {
      id: 632910392,
      title: 'IPod Nano - 8GB',
      vendor: 'Apple',
      product_type: 'Cult Products',
      handle: 'ipod-nano',
      status: 'active',
      created_at: '2024-01-01T00:00:00-05:00',
      variants: [{ id: 808950810, price: '199.00', sku: 'IPOD2008PINK' }],
    },
    {
      id: 921728736,
      title: 'IPod Touch 8GB',
      vendor: 'Apple',
      product_type: 'Cult Products',
      handle: 'ipod-touch',
      status: 'draft',
      created_at: '2024-01-02T00:00:00-05:00',
      variants: [],
    },
  ];
  return {
    name,
    tokens: new Set(),
    customers,
    orders,
    products,
    info: {
      id: 548380009,
      name: `${name} store`,
      email: `owner@${name}.example`,
      domain: `${name}.example`,
      myshopify_domain: `${name}.myshopify.com`,
      currency: 'USD',
      iana_timezone: 'America/New_York',
      plan_name: 'basic',
      country_code: 'US',
    },
    callCount: 0,
  };
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(
  value: string,
): { direction: 'next' | 'previous'; lastId: number; firstId: number; filters: Record<string, string> } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
    if ((parsed['direction'] === 'next' || parsed['direction'] === 'previous') && typeof parsed['lastId'] === 'number')
      return parsed as never;
  } catch {
    return undefined;
  }
  return undefined;
}

/** The `hmac` Shopify adds to its OAuth redirect: hex HMAC-SHA256 of the sorted, form-encoded parameters. */
export function shopifySignature(params: Record<string, string>, secret: string): string {
  const sorted = new URLSearchParams();
  for (const name of Object.keys(params).sort()) sorted.append(name, params[name] as string);
  return createHmac('sha256', secret).update(sorted.toString().replace(/\+/g, '%20')).digest('hex');
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export interface FakeShopify {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** API requests only (under /admin/api). */
  apiRequests(): RecordedRequest[];
  /** Token endpoint requests only. */
  tokenRequests(): RecordedRequest[];
  issuedTokens: IssuedToken[];
  shops: Map<string, Shop>;
  /** Routes https://{shop}.myshopify.com to this server; give it to createToolset. */
  fetch: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /** Follows an authorization URL like a merchant who approves the app; returns the callback URL. */
  approve(authorizationUrl: string, options?: { tamper?: (params: URLSearchParams) => void }): Promise<string>;
  addToken(shop: string, token: string): void;
  addApp(app: OAuthApp): void;
  /** The next REST or GraphQL request of a shop is answered 429 with this Retry-After (or none). */
  throttleNext(retryAfter: string | null): void;
  /** The next GraphQL request is answered THROTTLED (200) with this throttle status. */
  throttleGraphqlNext(): void;
  close(): Promise<void>;
}

export async function startFakeShopify(): Promise<FakeShopify> {
  const requests: RecordedRequest[] = [];
  const shops = new Map<string, Shop>([
    ['acme', seedShop('acme')],
    ['globex', seedShop('globex')],
  ]);
  const apps = new Map<string, OAuthApp>();
  const codes = new Map<string, { shop: string; clientId: string; scope: string; used: boolean }>();
  const refreshTokens = new Map<string, { shop: string; clientId: string; scope: string }>();
  const issuedTokens: IssuedToken[] = [];
  let throttle: { retryAfter: string | null } | undefined;
  let graphqlThrottle = false;

  const server = await startRecordingServer((incoming) => {
    const headers = Object.fromEntries(
      Object.entries(incoming.headers).filter(([name]) => name !== 'x-forwarded-host' && name !== 'x-forwarded-proto'),
    );
    const recorded: RecordedRequest = {
      method: incoming.method,
      host: incoming.headers['x-forwarded-host'] ?? incoming.host,
      path: incoming.path,
      search: incoming.url.includes('?') ? incoming.url.slice(incoming.url.indexOf('?') + 1) : '',
      query: incoming.query,
      headers,
      body: incoming.body,
    };
    requests.push(recorded);
    const reply = route(recorded);
    const headersOut = {
      ...(reply.body !== undefined && typeof reply.body !== 'string'
        ? { 'content-type': 'application/json; charset=utf-8' }
        : {}),
      ...reply.headers,
    };
    return {
      status: reply.status,
      headers: headersOut,
      ...(reply.body === undefined
        ? {}
        : { text: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body) }),
    };
  });
  const { port } = server;

  function shopOf(request: RecordedRequest): Shop | undefined {
    const match = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/.exec(request.host.replace(/:\d+$/, ''));
    return match ? shops.get(match[1] as string) : undefined;
  }

  function route(request: RecordedRequest): Reply {
    const shop = shopOf(request);
    if (!shop)
      return { status: 404, body: "There's nothing here.", headers: { 'content-type': 'text/html; charset=utf-8' } };
    if (request.path === '/admin/oauth/authorize' && request.method === 'GET') return authorize(shop, request);
    if (request.path === '/admin/oauth/access_token' && request.method === 'POST') return accessToken(shop, request);
    const api = /^\/admin\/api\/([^/]+)(\/.*)$/.exec(request.path);
    if (!api) return { status: 404, body: { errors: API_ERRORS.notFound } };
    return adminApi(shop, api[1] as string, api[2] as string, request);
  }

  // ----- OAuth (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant)

  function authorize(shop: Shop, request: RecordedRequest): Reply {
    const app = apps.get(request.query.get('client_id') ?? '');
    if (!app)
      return {
        status: 400,
        body: 'Oauth error invalid_request: The client_id is invalid',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      };
    const redirectUri = request.query.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) {
      return {
        status: 400,
        body: 'Oauth error invalid_request: The redirect_uri is not whitelisted',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      };
    }
    const code = randomBytes(16).toString('hex');
    const scope = request.query.get('scope') ?? '';
    codes.set(code, { shop: shop.name, clientId: app.clientId, scope, used: false });
    const params: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.name}`).toString('base64'),
      shop: `${shop.name}.myshopify.com`,
      state: request.query.get('state') ?? '',
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const callback = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) callback.searchParams.set(name, value);
    callback.searchParams.set('hmac', shopifySignature(params, app.clientSecret));
    return { status: 302, headers: { location: callback.toString() } };
  }

  function tokenParams(request: RecordedRequest): URLSearchParams {
    // Shopify's own libraries send JSON; form bodies are accepted too. `expiring` may ride in the URL.
    const params = new URLSearchParams(request.query);
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.includes('application/json')) {
      for (const [name, value] of Object.entries(JSON.parse(request.body || '{}') as Record<string, unknown>))
        params.set(name, String(value));
    } else {
      for (const [name, value] of new URLSearchParams(request.body)) params.set(name, value);
    }
    return params;
  }

  function issue(shop: Shop, clientId: string, scope: string, grant: IssuedToken['grant'], expiring: boolean): Reply {
    const accessToken = `${grant === 'client_credentials' ? 'shpat' : 'shpua'}_${randomBytes(16).toString('hex')}`;
    shop.tokens.add(accessToken);
    const body: Record<string, unknown> = { access_token: accessToken, scope };
    const token: IssuedToken = { shop: shop.name, accessToken, scope, grant };
    if (grant === 'client_credentials') {
      body['expires_in'] = 86399;
      token.expiresIn = 86399;
    } else if (expiring) {
      const refreshToken = `shprt_${randomBytes(16).toString('hex')}`;
      refreshTokens.set(refreshToken, { shop: shop.name, clientId, scope });
      Object.assign(body, { expires_in: 3600, refresh_token: refreshToken, refresh_token_expires_in: 7776000 });
      token.expiresIn = 3600;
      token.refreshToken = refreshToken;
    }
    issuedTokens.push(token);
    return { status: 200, body };
  }

  function accessToken(shop: Shop, request: RecordedRequest): Reply {
    const params = tokenParams(request);
    const app = apps.get(params.get('client_id') ?? '');
    if (!app || params.get('client_secret') !== app.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    }
    const grantType = params.get('grant_type');
    if (grantType === 'refresh_token') {
      const refreshToken = params.get('refresh_token') ?? '';
      const grant = refreshTokens.get(refreshToken);
      if (!grant || grant.shop !== shop.name || grant.clientId !== app.clientId) {
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' },
        };
      }
      // Rotation: each refresh token works once.
      refreshTokens.delete(refreshToken);
      return issue(shop, app.clientId, grant.scope, 'refresh_token', true);
    }
    if (grantType === 'client_credentials')
      return issue(shop, app.clientId, 'read_customers,read_orders', 'client_credentials', false);
    const code = codes.get(params.get('code') ?? '');
    if (!code || code.used || code.shop !== shop.name || code.clientId !== app.clientId) {
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: 'The authorization code was not found or was already used',
        },
      };
    }
    code.used = true;
    return issue(shop, app.clientId, code.scope, 'authorization_code', params.get('expiring') === '1');
  }

  // ----- Admin API

  // The bucket never leaks here: each request adds one, up to the bucket size.
  function callLimitHeader(shop: Shop): Record<string, string> {
    shop.callCount = Math.min(BUCKET_SIZE, shop.callCount + 1);
    return { 'x-shopify-shop-api-call-limit': `${shop.callCount}/${BUCKET_SIZE}` };
  }

  function adminApi(shop: Shop, version: string, route: string, request: RecordedRequest): Reply {
    const token = request.headers['x-shopify-access-token'];
    if (!token || !shop.tokens.has(token)) return { status: 401, body: { errors: API_ERRORS.unauthorized } };
    if (throttle) {
      const { retryAfter } = throttle;
      throttle = undefined;
      return {
        status: 429,
        body: { errors: API_ERRORS.throttled },
        headers: {
          ...(retryAfter === null ? {} : { 'retry-after': retryAfter }),
          'x-shopify-shop-api-call-limit': `${BUCKET_SIZE}/${BUCKET_SIZE}`,
        },
      };
    }
    const common = { ...callLimitHeader(shop), 'x-shopify-api-version': version };
    const reply = resource(shop, version, route, request);
    return { ...reply, headers: { ...common, ...reply.headers } };
  }

  function pick(record: Record<string, unknown>, fields: string | null): Record<string, unknown> {
    if (!fields) return record;
    const names = fields.split(',').map((name) => name.trim());
    return Object.fromEntries(Object.entries(record).filter(([name]) => names.includes(name)));
  }

  function notFound(): Reply {
    return { status: 404, body: { errors: API_ERRORS.notFound } };
  }

  function jsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
    if (!(request.headers['content-type'] ?? '').includes('application/json')) return undefined;
    try {
      return JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  function resource(shop: Shop, version: string, route: string, request: RecordedRequest): Reply {
    const { method, query } = request;
    if (route === '/graphql.json' && method === 'POST') return graphql(shop, request);
    if (route === '/shop.json' && method === 'GET')
      return { status: 200, body: { shop: pick(shop.info, query.get('fields')) } };
    if (route === '/customers.json' && method === 'GET')
      return list(shop, version, route, request, 'customers', shop.customers, customerFilter);
    if (route === '/customers/search.json' && method === 'GET')
      return list(shop, version, route, request, 'customers', shop.customers, searchFilter);
    if (route === '/customers/count.json' && method === 'GET')
      return {
        status: 200,
        body: { count: shop.customers.filter((entry) => customerFilter(entry, Object.fromEntries(query))).length },
      };
    if (route === '/customers.json' && method === 'POST') {
      const input = jsonBody(request)?.['customer'] as Record<string, unknown> | undefined;
      if (!input || typeof input !== 'object')
        return { status: 400, body: { errors: { customer: 'Required parameter missing or invalid' } } };
      if (typeof input['email'] === 'string' && shop.customers.some((entry) => entry.email === input['email'])) {
        return { status: 422, body: { errors: { email: ['has already been taken'] } } };
      }
      const created = customer({ ...(input as Partial<Customer>), created_at: '2026-11-22T09:00:00-05:00' });
      created['admin_graphql_api_id'] = `gid://shopify/Customer/${created.id}`;
      shop.customers.push(created);
      return { status: 201, body: { customer: created } };
    }
    const single = /^\/(customers|orders|products)\/(\d+)\.json$/.exec(route);
    if (single && method === 'GET') {
      const [, collection, id] = single as unknown as [string, 'customers' | 'orders' | 'products', string];
      const found = (shop[collection] as Array<{ id: number }>).find((entry) => entry.id === Number(id));
      if (!found) return notFound();
      const key = collection.slice(0, -1);
      return { status: 200, body: { [key]: pick(found as Record<string, unknown>, query.get('fields')) } };
    }
    if (route === '/orders.json' && method === 'GET')
      return list(shop, version, route, request, 'orders', shop.orders, orderFilter);
    if (route === '/products.json' && method === 'GET')
      return list(shop, version, route, request, 'products', shop.products, productFilter);
    if (route === '/products.json' && method === 'POST') {
      const input = jsonBody(request)?.['product'] as Record<string, unknown> | undefined;
      if (!input || typeof input !== 'object')
        return { status: 400, body: { errors: { product: 'Required parameter missing or invalid' } } };
      if (typeof input['title'] !== 'string' || input['title'] === '')
        return { status: 422, body: { errors: { title: ["can't be blank"] } } };
      const created = {
        id: nextId++,
        handle: String(input['title'])
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-'),
        status: 'active',
        variants: [],
        ...input,
        created_at: '2026-11-22T09:00:00-05:00',
      };
      shop.products.push(created);
      return { status: 201, body: { product: created } };
    }
    return notFound();
  }

  type Filter<T> = (entry: T, filters: Record<string, string>) => boolean;

  const inIds = (id: number, filters: Record<string, string>) =>
    !filters['ids'] || filters['ids'].split(',').map(Number).includes(id);
  const after = (id: number, filters: Record<string, string>) =>
    !filters['since_id'] || id > Number(filters['since_id']);
  const between = (value: unknown, min: string | undefined, max: string | undefined) =>
    (!min || Date.parse(String(value)) >= Date.parse(min)) && (!max || Date.parse(String(value)) <= Date.parse(max));

  const customerFilter: Filter<Customer> = (entry, filters) =>
    inIds(entry.id, filters) &&
    after(entry.id, filters) &&
    between(entry.created_at, filters['created_at_min'], filters['created_at_max']) &&
    between(entry.updated_at, filters['updated_at_min'], filters['updated_at_max']);

  const searchFilter: Filter<Customer> = (entry, filters) => {
    const text = (filters['query'] ?? '').trim().toLowerCase();
    if (text === '') return true;
    return text.split(/\s+/).every((term) => {
      const [field, value] = term.includes(':') ? (term.split(':', 2) as [string, string]) : [undefined, term];
      const haystack = field
        ? [String(entry[field] ?? '')]
        : [entry.email ?? '', entry.first_name ?? '', entry.last_name ?? ''];
      return haystack.some((candidate) =>
        field ? candidate.toLowerCase() === value : candidate.toLowerCase().includes(value),
      );
    });
  };

  const orderFilter: Filter<Record<string, unknown> & { id: number }> = (entry, filters) => {
    const status = filters['status'] ?? 'open';
    const statusMatches =
      status === 'any' ||
      (status === 'open' && entry['closed_at'] === null && entry['cancelled_at'] === null) ||
      (status === 'closed' && entry['closed_at'] !== null) ||
      (status === 'cancelled' && entry['cancelled_at'] !== null);
    const financial = filters['financial_status'];
    return (
      statusMatches &&
      inIds(entry.id, filters) &&
      after(entry.id, filters) &&
      (!financial || financial === 'any' || entry['financial_status'] === financial)
    );
  };

  const productFilter: Filter<Record<string, unknown> & { id: number }> = (entry, filters) =>
    inIds(entry.id, filters) &&
    after(entry.id, filters) &&
    (!filters['vendor'] || entry['vendor'] === filters['vendor']) &&
    (!filters['status'] || filters['status'].split(',').includes(String(entry['status'])));

  function list<T extends { id: number }>(
    shop: Shop,
    version: string,
    route: string,
    request: RecordedRequest,
    key: string,
    all: T[],
    filter: Filter<T>,
  ): Reply {
    const { query } = request;
    const limitText = query.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250)
      return { status: 400, body: { errors: { limit: 'Invalid value.' } } };
    const pageInfo = query.get('page_info');
    let filters: Record<string, string>;
    let cursor: ReturnType<typeof decodeCursor>;
    if (pageInfo !== null) {
      // https://shopify.dev/docs/api/admin-rest/usage/pagination: only limit and fields may accompany page_info.
      const extra = [...query.keys()].filter((name) => !['page_info', 'limit', 'fields'].includes(name));
      if (extra.length > 0)
        return {
          status: 400,
          body: {
            errors: Object.fromEntries(
              extra.map((name) => [name, `${name} cannot be passed when page_info is present.`]),
            ),
          },
        };
      cursor = decodeCursor(pageInfo);
      if (!cursor) return { status: 400, body: { errors: { page_info: 'Invalid value.' } } };
      filters = cursor.filters;
    } else {
      filters = Object.fromEntries([...query].filter(([name]) => !['limit', 'fields', 'page_info'].includes(name)));
    }
    const matching = [...all].sort((a, b) => a.id - b.id).filter((entry) => filter(entry, filters));
    let page: T[];
    if (cursor?.direction === 'previous') page = matching.filter((entry) => entry.id < cursor.firstId).slice(-limit);
    else if (cursor?.direction === 'next') page = matching.filter((entry) => entry.id > cursor.lastId).slice(0, limit);
    else page = matching.slice(0, limit);
    const first = page[0];
    const last = page.at(-1);
    const links: string[] = [];
    const linkFor = (direction: 'next' | 'previous') => {
      const target = new URL(`https://${shop.name}.myshopify.com/admin/api/${version}${route}`);
      if (limitText !== null) target.searchParams.set('limit', limitText);
      if (query.get('fields')) target.searchParams.set('fields', query.get('fields') as string);
      target.searchParams.set(
        'page_info',
        encodeCursor({ direction, lastId: last?.id ?? 0, firstId: first?.id ?? 0, filters }),
      );
      return `<${target.toString()}>; rel="${direction}"`;
    };
    if (first && matching.some((entry) => entry.id < first.id)) links.push(linkFor('previous'));
    if (last && matching.some((entry) => entry.id > last.id)) links.push(linkFor('next'));
    return {
      status: 200,
      body: { [key]: page.map((entry) => pick(entry as Record<string, unknown>, query.get('fields'))) },
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  // ----- GraphQL Admin API (https://shopify.dev/docs/api/admin-graphql)

  function graphql(shop: Shop, request: RecordedRequest): Reply {
    const body = jsonBody(request);
    const queryText = typeof body?.['query'] === 'string' ? (body['query'] as string) : '';
    const cost = (requested: number, actual: number | null, available: number) => ({
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
      },
    });
    if (graphqlThrottle) {
      graphqlThrottle = false;
      return {
        status: 200,
        body: {
          errors: [
            {
              message: 'Throttled',
              extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: cost(12, null, 2),
        },
      };
    }
    if (queryText === '' || (queryText.match(/\{/g) ?? []).length !== (queryText.match(/\}/g) ?? []).length) {
      return {
        status: 200,
        body: {
          errors: [
            { message: 'syntax error, unexpected end of file', locations: [{ line: 1, column: queryText.length + 1 }] },
          ],
        },
      };
    }
    if (/\bcustomers\s*\(/.test(queryText)) {
      const first = Number((body?.['variables'] as Record<string, unknown> | undefined)?.['first'] ?? 10);
      const nodes = shop.customers
        .slice(0, first)
        .map((entry) => ({ id: entry['admin_graphql_api_id'], email: entry.email }));
      return { status: 200, body: { data: { customers: { nodes } }, extensions: cost(4, 3, 1997) } };
    }
    if (/\bshop\s*\{/.test(queryText))
      return { status: 200, body: { data: { shop: { name: shop.info['name'] } }, extensions: cost(1, 1, 1999) } };
    const field = /\{\s*(\w+)/.exec(queryText)?.[1] ?? 'unknown';
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Field '${field}' doesn't exist on type 'QueryRoot'`,
            locations: [{ line: 1, column: 3 }],
            path: ['query', field],
            extensions: { code: 'undefinedField', typeName: 'QueryRoot', fieldName: field },
          },
        ],
        extensions: cost(1, 1, 1999),
      },
    };
  }

  const baseUrl = `http://127.0.0.1:${port}`;

  const { fetch: routeFetch } = rerouteFetch({ 'https://*.myshopify.com': baseUrl }, { forwardedHeaders: true });

  return {
    url: baseUrl,
    port,
    requests,
    apiRequests: () => requests.filter((entry) => entry.path.startsWith('/admin/api/')),
    tokenRequests: () => requests.filter((entry) => entry.path === '/admin/oauth/access_token'),
    issuedTokens,
    shops,
    fetch: routeFetch,
    async approve(authorizationUrl, options = {}) {
      const response = await routeFetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`fake Shopify: the authorization was refused (${response.status}): ${await response.text()}`);
      const callback = new URL(location);
      options.tamper?.(callback.searchParams);
      return callback.toString();
    },
    addToken(shop, token) {
      (shops.get(shop) as Shop).tokens.add(token);
    },
    addApp(app) {
      apps.set(app.clientId, app);
    },
    throttleNext(retryAfter) {
      throttle = { retryAfter };
    },
    throttleGraphqlNext() {
      graphqlThrottle = true;
    },
    close: () => server.close(),
  };
}
