// A local stand-in for Shopify: the GraphQL Admin API of a few shops (executed by graphql-js
// against Shopify's own schema, with cost extensions, THROTTLED answers and bulk operations; see
// fake-admin-graphql.ts), the storage host that serves bulk operation results, and the per-shop
// OAuth endpoints with signed callbacks, answering the way Shopify documents them. Vendor hosts
// reach it through `server.fetch`, which reroutes https://{shop}.myshopify.com and
// https://storage.googleapis.com to 127.0.0.1 and records the host each request was built for.
// Serving, recording and rerouting are the test kit's (startRecordingServer, rerouteFetch).

import { createHmac, randomBytes } from 'node:crypto';
import { rerouteFetch, startRecordingServer } from '@plugboard/testkit';
import { answerGraphql, bulkFiles, seedShop, type BulkOperation, type FakeShop } from './fake-admin-graphql.js';

export interface RecordedRequest {
  method: string;
  /** The host the client built the request for, like `acme.myshopify.com`. */
  host: string;
  path: string;
  /** The raw query string, without `?`. */
  search: string;
  query: URLSearchParams;
  /** Lower-case names; the routing headers `x-forwarded-*` are left out. */
  headers: Record<string, string>;
  body: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

type Shop = FakeShop;

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
} as const;

const STORAGE = 'https://storage.googleapis.com';

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
  /** The GraphQL bodies the API requests sent, parsed. */
  graphqlCalls(): Array<{ query: string; variables?: Record<string, unknown>; operationName?: string }>;
  /** Token endpoint requests only. */
  tokenRequests(): RecordedRequest[];
  issuedTokens: IssuedToken[];
  shops: Map<string, Shop>;
  /** Routes https://{shop}.myshopify.com and the storage host to this server; give it to createToolset. */
  fetch: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /** Follows an authorization URL like a merchant who approves the app; returns the callback URL. */
  approve(authorizationUrl: string, options?: { tamper?: (params: URLSearchParams) => void }): Promise<string>;
  addToken(shop: string, token: string): void;
  addApp(app: OAuthApp): void;
  close(): Promise<void>;
}

export async function startFakeShopify(): Promise<FakeShopify> {
  const requests: RecordedRequest[] = [];
  const shops = new Map<string, Shop>([
    ['acme', seedShop('acme', '548380009')],
    ['globex', seedShop('globex', '548380010')],
  ]);
  const apps = new Map<string, OAuthApp>();
  const codes = new Map<string, { shop: string; clientId: string; scope: string; used: boolean }>();
  const refreshTokens = new Map<string, { shop: string; clientId: string; scope: string }>();
  const issuedTokens: IssuedToken[] = [];

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

  // Signed storage URLs, as Shopify hands out for bulk operation results; any signature is accepted.
  const storageUrl = (operation: BulkOperation) =>
    `${STORAGE}/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/${operation.id.split('/').pop()}-bulk.jsonl?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${randomBytes(8).toString('hex')}`;

  function route(request: RecordedRequest): Reply {
    if (request.host === 'storage.googleapis.com') {
      const file = bulkFiles.get(request.path);
      if (request.method !== 'GET' || file === undefined || request.headers['x-shopify-access-token'] !== undefined)
        return { status: 404, body: '<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>' };
      return { status: 200, body: file, headers: { 'content-type': 'application/jsonl' } };
    }
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
  // ----- Admin API (https://shopify.dev/docs/api/admin-graphql)

  function adminApi(shop: Shop, version: string, route: string, request: RecordedRequest): Reply {
    const token = request.headers['x-shopify-access-token'];
    if (!token || !shop.tokens.has(token)) return { status: 401, body: { errors: API_ERRORS.unauthorized } };
    if (route !== '/graphql.json' || request.method !== 'POST')
      return { status: 404, body: { errors: API_ERRORS.notFound } };
    const answer = answerGraphql(shop, jsonBody(request), storageUrl);
    return {
      status: answer.status,
      body: answer.body,
      headers: { 'x-shopify-api-version': version, 'x-shopid': shop.shopId },
    };
  }

  function jsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
    if (!(request.headers['content-type'] ?? '').includes('application/json')) return undefined;
    try {
      return JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  const baseUrl = `http://127.0.0.1:${port}`;

  const { fetch: routeFetch } = rerouteFetch(
    { 'https://*.myshopify.com': baseUrl, [STORAGE]: baseUrl },
    { forwardedHeaders: true },
  );

  const apiRequests = () => requests.filter((entry) => entry.path.startsWith('/admin/api/'));
  return {
    url: baseUrl,
    port,
    requests,
    apiRequests,
    graphqlCalls: () => apiRequests().map((entry) => JSON.parse(entry.body) as never),
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
    close: () => server.close(),
  };
}
