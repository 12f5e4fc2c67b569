import { createToolset, type Connector, type ToolsetOptions } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shopifySignature, startFakeShopify, type FakeShopify, type RecordedRequest } from '../test/fake-shopify.js';
import { shopify, shopifyConnector, SHOPIFY_DEFAULT_API_VERSION, SHOPIFY_DEFAULT_SCOPES } from './index.js';

const redirectUri = 'https://app.example/shopify/callback';
const CLIENT_ID = '1d6c3a3f0f1b4a1c9a7e2f0b5c8d9e10';
const CLIENT_SECRET = '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';

let server: FakeShopify;

beforeEach(async () => {
  server = await startFakeShopify();
  server.addApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] });
});

afterEach(async () => {
  await server.close();
});

async function setUp(
  connector: Connector = shopify,
  options: ToolsetOptions = {},
  scopes: string[] | null = ['read_customers', 'write_products'],
) {
  const toolset = createToolset({ connectors: [connector], fetch: server.fetch, ...options });
  const integration = await toolset.createIntegration({
    app: 'shopify',
    authMode: 'OAUTH2',
    authConfig: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...(scopes ? { scopes } : {}) },
  });
  return { toolset, integration };
}

type SetUp = Awaited<ReturnType<typeof setUp>>;

async function start({ toolset, integration }: SetUp, shop = 'acme') {
  return toolset.initiateConnection({
    integrationId: integration.id,
    entityId: 'merchant-1',
    redirectUri,
    connectedAccountParams: { shop },
  });
}

function form(request: RecordedRequest | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request?.body ?? ''));
}

describe('OAUTH2: per-shop authorization code grant', () => {
  it("sends the merchant to the shop's own authorize URL with comma-separated scopes and no PKCE", async () => {
    const started = await setUp();
    const request = await start(started);
    expect(request.connectionStatus).toBe('INITIATED');
    const url = new URL(request.redirectUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.myshopify.com/admin/oauth/authorize');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'read_customers,write_products',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    // Online (per-user) access is Shopify's grant_options[] parameter, per request.
    const online = await started.toolset.initiateConnection({
      integrationId: started.integration.id,
      redirectUri,
      connectedAccountParams: { shop: 'globex' },
      authorizationParams: { 'grant_options[]': 'per-user' },
    });
    const onlineUrl = new URL(online.redirectUrl as string);
    expect(onlineUrl.host).toBe('globex.myshopify.com');
    expect(onlineUrl.searchParams.get('grant_options[]')).toBe('per-user');
    expect(server.requests).toHaveLength(0);
  });

  it('asks for what the curated actions need, the documented default, when the integration names none: scope is never missing', async () => {
    const started = await setUp(shopify, {}, null);
    const request = await start(started);
    const url = new URL(request.redirectUrl as string);
    expect(url.searchParams.get('scope')).toBe(
      'read_customers,read_orders,read_products,write_customers,write_products',
    );
    expect(SHOPIFY_DEFAULT_SCOPES.join(',')).toBe(url.searchParams.get('scope'));
    // Every scope in the default is one a curated action lists.
    const listed = new Set(shopify.actions.flatMap((action) => action.scopes));
    for (const scope of SHOPIFY_DEFAULT_SCOPES) expect(listed.has(scope), scope).toBe(true);
    // Shopify still accepts the authorization.
    await expect(server.approve(request.redirectUrl as string)).resolves.toContain('code=');
  });

  it('refuses a shop that is not one DNS label before any redirect', async () => {
    const started = await setUp();
    for (const shop of ['evil.example/x', 'acme.myshopify.com', 'acme store']) {
      await expect(start(started, shop)).rejects.toMatchObject({ code: 'INVALID_CONNECTION_PARAMS' });
    }
    expect(await started.toolset.listConnections()).toEqual([]);
  });

  it('end to end: approve on the shop, verify the signed callback, exchange the code, act with X-Shopify-Access-Token', async () => {
    const started = await setUp();
    const request = await start(started);
    const callbackUrl = await server.approve(request.redirectUrl as string);
    const callback = new URL(callbackUrl);
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
    expect(callback.searchParams.get('shop')).toBe('acme.myshopify.com');

    const response = await started.toolset.handleCallback(new Request(callbackUrl));
    expect(response.status).toBe(200);
    const connection = await request.waitUntilActive({ timeoutMs: 1_000 });
    expect(connection).toMatchObject({ status: 'ACTIVE', app: 'shopify', authMode: 'OAUTH2', entityId: 'merchant-1' });
    expect(connection.expiresAt).toBeUndefined();

    const [tokenRequest] = server.tokenRequests();
    expect(server.tokenRequests()).toHaveLength(1);
    expect(tokenRequest).toMatchObject({
      method: 'POST',
      host: 'acme.myshopify.com',
      path: '/admin/oauth/access_token',
      search: '',
    });
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers['accept']).toBe('application/json');
    expect(tokenRequest?.headers['authorization']).toBeUndefined();
    expect(form(tokenRequest)).toEqual({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code'),
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });

    const issued = server.issuedTokens[0];
    const credentials = await started.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(credentials).toEqual({
      shop: 'acme',
      access_token: issued?.accessToken,
      scope: 'read_customers,write_products',
    });

    const result = await started.toolset.executeAction(
      'SHOPIFY_GET_ALL_CUSTOMERS',
      { limit: 1, fields: 'first_name' },
      { entityId: 'merchant-1' },
    );
    expect(result).toMatchObject({ successful: true, data: { items: [{ firstName: 'Ada' }] } });
    const [apiRequest] = server.apiRequests();
    expect(apiRequest).toMatchObject({
      method: 'POST',
      host: 'acme.myshopify.com',
      path: `/admin/api/${SHOPIFY_DEFAULT_API_VERSION}/graphql.json`,
      search: '',
    });
    expect(apiRequest?.headers['x-shopify-access-token']).toBe(issued?.accessToken);
    expect(apiRequest?.headers['authorization']).toBeUndefined();
  });

  it('fails a tampered callback without asking for a token', async () => {
    const started = await setUp();
    const request = await start(started);
    const callbackUrl = await server.approve(request.redirectUrl as string, {
      tamper: (params) => params.set('timestamp', String(Number(params.get('timestamp')) + 1)),
    });
    const response = await started.toolset.handleCallback(new Request(callbackUrl));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('OAUTH_CALLBACK_ERROR');
    expect(await started.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'invalid_callback_signature' },
    });
    expect(server.tokenRequests()).toHaveLength(0);
    await expect(request.waitUntilActive({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    expect(
      await started.toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {}, { entityId: 'merchant-1' }),
    ).toMatchObject({ successful: false, error: { code: 'NO_CREDENTIALS' } });
  });

  it('fails a callback without hmac, signed with another secret, or naming a shop outside myshopify.com', async () => {
    const started = await setUp();
    const cases: Array<(params: URLSearchParams) => void> = [
      (params) => params.delete('hmac'),
      (params) => params.append('hmac', params.get('hmac') as string),
      (params) => resign(params, 'shpss_not_the_client_secret'),
      (params) => {
        params.set('shop', 'acme.myshopify.com.evil.example');
        resign(params, CLIENT_SECRET);
      },
    ];
    for (const tamper of cases) {
      const request = await start(started);
      const callbackUrl = await server.approve(request.redirectUrl as string, { tamper });
      expect((await started.toolset.handleCallback(new Request(callbackUrl))).status).toBe(400);
      expect((await started.toolset.getConnection(request.connectedAccountId)).status).toBe('FAILED');
    }
    expect(server.tokenRequests()).toHaveLength(0);
  });

  it('reports a code Shopify refuses as an OAuth error and fails the connection', async () => {
    const started = await setUp();
    const first = await start(started);
    const callbackUrl = await server.approve(first.redirectUrl as string);
    const second = await start(started);
    // The second connection's state with the first connection's (valid, already spent) code.
    const replayed = new URL(await server.approve(second.redirectUrl as string));
    await started.toolset.completeConnection({ url: callbackUrl });
    const spent = new URL(callbackUrl);
    spent.searchParams.set('state', replayed.searchParams.get('state') as string);
    resign(spent.searchParams, CLIENT_SECRET);
    await expect(started.toolset.completeConnection({ url: spent })).rejects.toMatchObject({
      code: 'OAUTH_ERROR',
      details: { error: 'invalid_request' },
    });
    expect((await started.toolset.getConnection(second.connectedAccountId)).status).toBe('FAILED');
  });
});

describe('OAUTH2: expiring offline tokens', () => {
  it('asks for expiring=1, stores the refresh token and refreshes with grant_type=refresh_token', async () => {
    const started = await setUp(shopifyConnector({ expiringOfflineTokens: true }));
    const request = await start(started);
    await started.toolset.completeConnection({ url: await server.approve(request.redirectUrl as string) });
    const [exchange] = server.tokenRequests();
    expect(exchange).toMatchObject({ method: 'POST', path: '/admin/oauth/access_token', search: '' });
    expect(form(exchange)['expiring']).toBe('1');
    const first = server.issuedTokens[0];
    const connection = await started.toolset.getConnection(request.connectedAccountId);
    expect(Date.parse(connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await started.toolset.getConnectionCredentials(request.connectedAccountId)).toMatchObject({
      access_token: first?.accessToken,
      refresh_token: first?.refreshToken,
      refresh_token_expires_in: '7776000',
    });

    await started.toolset.refreshConnection(request.connectedAccountId);
    const refresh = server.tokenRequests()[1];
    expect(refresh).toMatchObject({
      method: 'POST',
      host: 'acme.myshopify.com',
      path: '/admin/oauth/access_token',
      search: '',
    });
    expect(form(refresh)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: first?.refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const second = server.issuedTokens[1];
    expect(await started.toolset.getConnectionCredentials(request.connectedAccountId)).toMatchObject({
      access_token: second?.accessToken,
      refresh_token: second?.refreshToken,
    });

    await started.toolset.executeAction('SHOPIFY_GET_SHOP_DETAILS', {}, { entityId: 'merchant-1' });
    expect(server.apiRequests()[0]?.headers['x-shopify-access-token']).toBe(second?.accessToken);
  });

  it('refreshes on its own before the hour is up', async () => {
    const started = await setUp(shopifyConnector({ expiringOfflineTokens: true }), {
      refresh: { marginMs: 3_601_000 },
    });
    const request = await start(started);
    await started.toolset.completeConnection({ url: await server.approve(request.redirectUrl as string) });
    const result = await started.toolset.executeAction('SHOPIFY_COUNT_CUSTOMERS', {}, { entityId: 'merchant-1' });
    expect(result).toMatchObject({ successful: true, data: { count: 5 } });
    expect(server.tokenRequests().map((entry) => form(entry)['grant_type'])).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(server.apiRequests()[0]?.headers['x-shopify-access-token']).toBe(server.issuedTokens[1]?.accessToken);
  });
});

describe('OAUTH2: client credentials (an app of your own organization)', () => {
  it('gets a token for the shop without a redirect and acts with it', async () => {
    const started = await setUp(shopify, {}, null);
    const request = await started.toolset.initiateConnection({
      integrationId: started.integration.id,
      grantType: 'client_credentials',
      connectedAccountParams: { shop: 'acme' },
    });
    expect(request).toMatchObject({ connectionStatus: 'ACTIVE', redirectUrl: undefined });
    const [tokenRequest] = server.tokenRequests();
    expect(tokenRequest).toMatchObject({
      method: 'POST',
      host: 'acme.myshopify.com',
      path: '/admin/oauth/access_token',
    });
    // The integration names no scopes: the documented default goes along (the app's configuration decides).
    expect(form(tokenRequest)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: SHOPIFY_DEFAULT_SCOPES.join(','),
    });
    const connection = await started.toolset.getConnection(request.connectedAccountId);
    expect(Date.parse(connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 86_000_000);
    const result = await started.toolset.executeAction('SHOPIFY_GET_ORDER', { order_id: 450789469, fields: 'id,name' });
    expect(result).toMatchObject({
      successful: true,
      data: { order: { id: 'gid://shopify/Order/450789469', name: '#1001' } },
    });
    expect(server.apiRequests()[0]?.headers['x-shopify-access-token']).toBe(server.issuedTokens[0]?.accessToken);
  });
});

function resign(params: URLSearchParams, secret: string): void {
  params.delete('hmac');
  params.set('hmac', shopifySignature(Object.fromEntries(params), secret));
}
