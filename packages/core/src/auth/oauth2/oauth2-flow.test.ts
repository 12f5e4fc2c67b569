import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeOAuth2Server,
  type FakeOAuth2Options,
  type FakeOAuth2Server,
} from '@plugboard/fakes';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  memoryStore,
  oauth2Scheme,
  type FetchFunction,
  type OAuth2Settings,
  type Store,
  type ToolsetOptions,
} from '../../index.js';

const redirectUri = 'https://app.example/callback';
let server: FakeOAuth2Server;

afterEach(async () => {
  await server?.close();
});

async function start(
  serverOptions: FakeOAuth2Options = {},
  scheme: Partial<OAuth2Settings> = {},
  toolsetOptions: ToolsetOptions = {},
) {
  server = await startFakeOAuth2Server(serverOptions);
  const connector = defineConnector({
    id: 'octo',
    name: 'Octo',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: server.resourceUrl,
    authSchemes: [
      oauth2Scheme({
        authorizationUrl: server.authorizationUrl,
        tokenUrl: server.tokenUrl,
        defaultScopes: ['repo', 'user'],
        authorizationParams: { access_type: 'offline' },
        ...scheme,
      }),
    ],
    actions: [defineAction({ name: 'OCTO_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' })],
  });
  const toolset = createToolset({ connectors: [connector], refresh: { retryBaseMs: 5 }, ...toolsetOptions });
  const integration = await toolset.createIntegration({
    app: 'octo',
    authMode: 'OAUTH2',
    authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
  });
  return { toolset, integration };
}

type Started = Awaited<ReturnType<typeof start>>;

/** Runs the whole authorization-code flow the way a browser and a web app would. */
async function connect({ toolset, integration }: Started, entityId = 'user-1') {
  const request = await toolset.initiateConnection({ integrationId: integration.id, entityId, redirectUri });
  const callbackUrl = await server.authorizeAndFollow(request.redirectUrl as string);
  const response = await toolset.handleCallback(new Request(callbackUrl));
  return { request, callbackUrl, response };
}

describe('OAuth 2.0 authorization code', () => {
  it('builds the redirect URL with client id, redirect URI, scope, state, PKCE S256 and extra parameters', async () => {
    const started = await start();
    const request = await started.toolset.initiateConnection({
      integrationId: started.integration.id,
      redirectUri,
      authorizationParams: { login_hint: 'ada' },
    });
    expect(request.connectionStatus).toBe('INITIATED');
    const url = new URL(request.redirectUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe(server.authorizationUrl);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'repo user',
      code_challenge_method: 'S256',
      access_type: 'offline',
      login_hint: 'ada',
    });
    expect(params['state']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = await started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri });
    expect(new URL(second.redirectUrl as string).searchParams.get('state')).not.toBe(params['state']);
    expect((await started.toolset.getConnection(request.connectedAccountId)).status).toBe('INITIATED');
  });

  it('completes through handleCallback, stores the tokens and executes with them', async () => {
    const started = await start({ requirePkce: true, clientAuthMethod: 'client_secret_basic' });
    const { request, response } = await connect(started);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('connected');
    const connection = await request.waitUntilActive({ timeoutMs: 1_000 });
    expect(connection).toMatchObject({ status: 'ACTIVE', entityId: 'user-1', authMode: 'OAUTH2' });
    expect(Date.parse(connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
    const credentials = await started.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(credentials).toMatchObject({ token_type: 'Bearer', scope: 'repo user' });
    expect(credentials['access_token']).toBe(server.issuedTokens[0]?.accessToken);
    expect(credentials['refresh_token']).toBe(server.issuedTokens[0]?.refreshToken);

    const [tokenRequest] = server.tokenRequests;
    expect(tokenRequest).toMatchObject({
      grantType: 'authorization_code',
      clientAuthMethod: 'client_secret_basic',
      outcome: 'issued',
    });
    expect(tokenRequest?.form).toMatchObject({ redirect_uri: redirectUri });
    expect(tokenRequest?.form?.['code_verifier']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenRequest?.headers['accept']).toBe('application/json');

    const result = await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' });
    expect(result).toMatchObject({ successful: true, data: { ok: true, method: 'GET' } });
  });

  it('sends the client secret in the body for client_secret_post, and parses form-encoded token responses', async () => {
    const started = await start(
      { clientAuthMethod: 'client_secret_post', responseFormat: 'form' },
      { clientAuthMethod: 'client_secret_post' },
    );
    const { request } = await connect(started);
    expect(server.tokenRequests[0]).toMatchObject({ clientAuthMethod: 'client_secret_post', outcome: 'issued' });
    expect(server.tokenRequests[0]?.headers['authorization']).toBeUndefined();
    expect((await started.toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');
    expect((await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })).successful).toBe(true);
  });

  it('refuses a replayed, unknown or expired state without touching the connection', async () => {
    const started = await start({}, {}, { oauth: { stateTtlMs: 200 } });
    const { request, callbackUrl } = await connect(started);
    const before = await started.toolset.getConnection(request.connectedAccountId);
    await expect(started.toolset.completeConnection({ url: callbackUrl })).rejects.toMatchObject({
      code: 'OAUTH_STATE_INVALID',
    });
    const replay = await started.toolset.handleCallback(new Request(callbackUrl));
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('OAUTH_STATE_INVALID');
    await expect(started.toolset.completeConnection({ state: 'made-up', code: 'x' })).rejects.toMatchObject({
      code: 'OAUTH_STATE_INVALID',
    });
    expect(await started.toolset.getConnection(request.connectedAccountId)).toEqual(before);
    expect(server.counters.authorizationCodeGrants).toBe(1);

    const late = await started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri });
    const lateCallback = await server.authorizeAndFollow(late.redirectUrl as string);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(started.toolset.completeConnection({ url: lateCallback })).rejects.toMatchObject({
      code: 'OAUTH_STATE_INVALID',
    });
    expect((await started.toolset.getConnection(late.connectedAccountId)).status).toBe('INITIATED');
    expect(server.counters.authorizationCodeGrants).toBe(1);
  });

  it('marks the connection FAILED with the provider reason when the user denies access', async () => {
    const started = await start();
    server.denyNext('access_denied', 'The user denied the request');
    const { request, response } = await connect(started);
    expect(response.status).toBe(400);
    expect(await started.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'access_denied', message: 'The user denied the request' },
    });
    await expect(request.waitUntilActive({ timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    expect(server.counters.tokenRequests).toBe(0);
  });

  it('fails the connection with OAUTH_ERROR on a wrong client secret, never showing the secret', async () => {
    server = await startFakeOAuth2Server();
    const wrongSecret = 'not-the-secret-123';
    const connector = defineConnector({
      id: 'octo',
      name: 'Octo',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: server.resourceUrl,
      authSchemes: [oauth2Scheme({ authorizationUrl: server.authorizationUrl, tokenUrl: server.tokenUrl })],
      actions: [],
    });
    const toolset = createToolset({ connectors: [connector] });
    const integration = await toolset.createIntegration({
      app: 'octo',
      authMode: 'OAUTH2',
      authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: wrongSecret },
    });
    const request = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    const callbackUrl = await server.authorizeAndFollow(request.redirectUrl as string);
    const error = await toolset.completeConnection({ url: callbackUrl }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'invalid_client' } });
    expect(JSON.stringify(error) + inspect(error, { depth: 10 })).not.toContain(wrongSecret);
    expect(await toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'invalid_client' },
    });
  });

  it('needs a redirect URI', async () => {
    const started = await start();
    await expect(started.toolset.initiateConnection({ integrationId: started.integration.id })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(
      started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri: 'not a url' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('uses the default OAuth app of the toolset', async () => {
    server = await startFakeOAuth2Server();
    const connector = defineConnector({
      id: 'octo',
      name: 'Octo',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: server.resourceUrl,
      authSchemes: [oauth2Scheme({ authorizationUrl: server.authorizationUrl, tokenUrl: server.tokenUrl })],
      actions: [],
    });
    const toolset = createToolset({
      connectors: [connector],
      oauthApps: { octo: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET } },
    });
    const request = await toolset.initiateConnection({ app: 'octo', redirectUri });
    expect(new URL(request.redirectUrl as string).searchParams.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    await toolset.completeConnection({ url: await server.authorizeAndFollow(request.redirectUrl as string) });
    expect((await toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');
  });
});

describe('scheme options', () => {
  it('sends tokenParams with the code exchange, gives verifyCallback the user values, and places the token where tokenPlacements say', async () => {
    server = await startFakeOAuth2Server();
    const seen: Array<Record<string, string>> = [];
    const connector = defineConnector({
      id: 'octo',
      name: 'Octo',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: server.resourceUrl,
      authSchemes: [
        oauth2Scheme({
          authorizationUrl: server.authorizationUrl,
          tokenUrl: server.tokenUrl,
          tokenParams: { expiring: '1' },
          fields: [{ name: 'region', displayName: 'Region' }],
          verifyCallback: (params, context) => {
            seen.push({ ...context.userValues, state: params.get('state') ?? '' });
            return context.clientSecret === DEFAULT_CLIENT_SECRET;
          },
          tokenPlacements: [{ in: 'header', name: 'X-Octo-Token', value: '{{access_token}}' }],
        }),
      ],
      actions: [
        defineAction({ name: 'OCTO_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' }),
      ],
    });
    let sentHeaders: Headers | undefined;
    const recordingFetch: FetchFunction = async (input, init) => {
      const request = new Request(input, init);
      if (request.url.startsWith(server.resourceUrl)) sentHeaders = request.headers;
      return fetch(request);
    };
    const toolset = createToolset({ connectors: [connector], fetch: recordingFetch });
    const integration = await toolset.createIntegration({
      app: 'octo',
      authMode: 'OAUTH2',
      authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
    });
    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      redirectUri,
      connectedAccountParams: { region: 'eu' },
    });
    await toolset.completeConnection({ url: await server.authorizeAndFollow(request.redirectUrl as string) });
    expect(server.tokenRequests[0]?.form?.['expiring']).toBe('1');
    expect(seen).toEqual([{ region: 'eu', state: new URL(request.redirectUrl as string).searchParams.get('state') }]);
    // The fake resource wants a Bearer header, so it answers 401 and the toolset refreshes once and
    // retries; what matters here is what was sent.
    await toolset.executeAction('OCTO_WHOAMI', {});
    expect(sentHeaders?.get('x-octo-token')).toBe(server.issuedTokens.at(-1)?.accessToken);
    expect(sentHeaders?.get('authorization')).toBeNull();
  });
});

describe('per-host authorization URLs', () => {
  it('fills a {shop} template from the user fields and refuses a value that is not one DNS label', async () => {
    server = await startFakeOAuth2Server();
    const hosts: string[] = [];
    const routeToLocal: FetchFunction = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      hosts.push(url.host);
      url.host = `127.0.0.1:${server.port}`;
      return fetch(new Request(url, request));
    };
    const store = memoryStore();
    const connector = defineConnector({
      id: 'shopz',
      name: 'Shopz',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: `http://{shop}.shopz.test:${server.port}/api`,
      authSchemes: [
        oauth2Scheme({
          authorizationUrl: `http://{shop}.shopz.test:${server.port}/authorize`,
          tokenUrl: `http://{shop}.shopz.test:${server.port}/token`,
          fields: [{ name: 'shop', displayName: 'Shop' }],
          placements: [{ in: 'subdomain', name: 'shop', value: '{{shop}}' }],
        }),
      ],
      actions: [
        defineAction({ name: 'SHOPZ_GET_SHOP', description: 'Shop.', input: z.object({}), request: 'GET /shop' }),
      ],
    });
    const toolset = createToolset({ connectors: [connector], store, fetch: routeToLocal });
    const integration = await toolset.createIntegration({
      app: 'shopz',
      authMode: 'OAUTH2',
      authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
    });
    await expect(
      toolset.initiateConnection({
        integrationId: integration.id,
        redirectUri,
        connectedAccountParams: { shop: 'evil.example/x' },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONNECTION_PARAMS',
    });
    expect(await store.listConnections()).toEqual([]);

    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      redirectUri,
      connectedAccountParams: { shop: 'acme' },
    });
    const redirect = new URL(request.redirectUrl as string);
    expect(redirect.host).toBe(`acme.shopz.test:${server.port}`);
    redirect.host = `127.0.0.1:${server.port}`;
    await toolset.completeConnection({ url: await server.authorizeAndFollow(redirect.toString()) });
    expect(await toolset.executeAction('SHOPZ_GET_SHOP', {})).toMatchObject({ successful: true });
    expect(hosts).toEqual([`acme.shopz.test:${server.port}`, `acme.shopz.test:${server.port}`]);
  });
});

describe('refresh', () => {
  it('refreshes before expiry, keeping the old refresh token when the response has none', async () => {
    const started = await start({ accessTokenTtlSeconds: 30, rotateRefreshTokens: false });
    const { request } = await connect(started);
    const before = await started.toolset.getConnectionCredentials(request.connectedAccountId);
    const result = await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' });
    expect(result.successful).toBe(true);
    expect(server.counters.refreshTokenGrants).toBe(1);
    const after = await started.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(after['access_token']).not.toBe(before['access_token']);
    expect(after['refresh_token']).toBe(before['refresh_token']);
  });

  it('stores a rotated refresh token before the new access token is used', async () => {
    const started = await start({ rotateRefreshTokens: true });
    const { request } = await connect(started);
    const original = (await started.toolset.getConnectionCredentials(request.connectedAccountId))[
      'refresh_token'
    ] as string;
    // When the API sees the new access token, the rotated refresh token must already be stored.
    const store = started.toolset.store;
    let storedWhenUsed: string | undefined;
    server.expireAllAccessTokens();
    const refreshed = started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' });
    const poll = setInterval(async () => {
      if (server.counters.resourceRequests === 2 && storedWhenUsed === undefined) {
        storedWhenUsed = (await store.getConnection(request.connectedAccountId))?.credentials['refresh_token'];
      }
    }, 0);
    expect((await refreshed).successful).toBe(true);
    clearInterval(poll);
    const rotated = (await store.getConnection(request.connectedAccountId))?.credentials['refresh_token'] as string;
    expect(rotated).not.toBe(original);
    expect(server.issuedTokens.at(-1)?.refreshToken).toBe(rotated);
    expect(server.isRefreshTokenActive(original)).toBe(false);
    expect(server.isRefreshTokenActive(rotated)).toBe(true);
    await started.toolset.refreshConnection(request.connectedAccountId);
    expect(server.counters.refreshTokenGrants).toBe(2);
  });

  it('keeps a rotated refresh token when the connection is written to during the refresh', async () => {
    const started = await start({ rotateRefreshTokens: true, tokenDelayMs: 150 });
    const { request } = await connect(started);
    const refreshing = started.toolset.refreshConnection(request.connectedAccountId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Another writer (a dashboard relabelling the connection) bumps the version mid-refresh.
    await started.toolset.store.updateConnection(request.connectedAccountId, { entityId: 'user-1b' });
    await refreshing;
    const stored = await started.toolset.store.getConnection(request.connectedAccountId);
    expect(stored?.entityId).toBe('user-1b');
    expect(stored?.credentials['refresh_token']).toBe(server.issuedTokens.at(-1)?.refreshToken);
    expect(stored?.credentials['access_token']).toBe(server.issuedTokens.at(-1)?.accessToken);
  });

  it('refreshes once and retries once on a 401', async () => {
    const started = await start();
    await connect(started);
    server.expireAllAccessTokens();
    const result = await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' });
    expect(result).toMatchObject({ successful: true });
    expect(server.counters.refreshTokenGrants).toBe(1);
    expect(server.counters.resourceUnauthorized).toBe(1);
  });

  it('makes exactly one token request for many concurrent executions on an expired token', async () => {
    const started = await start({ accessTokenTtlSeconds: 30 });
    await connect(started);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })),
    );
    expect(results.filter((result) => !result.successful)).toEqual([]);
    expect(server.counters.refreshTokenGrants).toBe(1);
  });

  it('makes exactly one token request across two toolsets (processes) sharing a store', async () => {
    const store: Store = memoryStore();
    const started = await start({ accessTokenTtlSeconds: 30, tokenDelayMs: 100 }, {}, { store });
    await connect(started);
    const other = createToolset({ connectors: [connectorFor(server)], store, refresh: { retryBaseMs: 5 } });
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })),
      ...Array.from({ length: 20 }, () => other.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })),
    ]);
    expect(results.filter((result) => !result.successful)).toEqual([]);
    expect(server.counters.refreshTokenGrants).toBe(1);
  });

  it('marks the connection EXPIRED with NEEDS_REAUTH on invalid_grant and keeps the old credentials', async () => {
    const started = await start();
    const { request } = await connect(started);
    const before = await started.toolset.getConnectionCredentials(request.connectedAccountId);
    server.revokeRefreshToken(before['refresh_token'] as string);
    await expect(started.toolset.refreshConnection(request.connectedAccountId)).rejects.toMatchObject({
      code: 'NEEDS_REAUTH',
    });
    expect(await started.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(await started.toolset.getConnectionCredentials(request.connectedAccountId)).toEqual(before);
    expect(server.counters.refreshTokenGrants).toBe(1);
  });

  it('retries a refresh that failed for a passing reason, and leaves the connection ACTIVE when it keeps failing', async () => {
    const started = await start();
    const { request } = await connect(started);
    server.failNextTokenRequests(1, 503);
    await expect(started.toolset.refreshConnection(request.connectedAccountId)).resolves.toMatchObject({
      status: 'ACTIVE',
    });
    expect(server.counters.refreshTokenGrants).toBe(2);

    server.failNextTokenRequests(10, 500);
    const error = await started.toolset
      .refreshConnection(request.connectedAccountId)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REFRESH_FAILED', retryable: true });
    expect((await started.toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');
    // Three attempts: the first and the two default retries.
    expect(server.counters.injectedFailures).toBe(4);
  });

  it('connects with the client credentials grant and refreshes by asking again', async () => {
    const started = await start({ grantTypes: ['client_credentials'] }, { grantTypes: ['client_credentials'] });
    const request = await started.toolset.initiateConnection({ integrationId: started.integration.id });
    expect(request).toMatchObject({ connectionStatus: 'ACTIVE', redirectUrl: undefined });
    expect(server.tokenRequests[0]).toMatchObject({ grantType: 'client_credentials', outcome: 'issued' });
    expect(server.tokenRequests[0]?.form?.['scope']).toBe('repo user');
    expect((await started.toolset.executeAction('OCTO_WHOAMI', {})).successful).toBe(true);
    server.expireAllAccessTokens();
    expect((await started.toolset.executeAction('OCTO_WHOAMI', {})).successful).toBe(true);
    expect(server.counters.clientCredentialsGrants).toBe(2);
  });

  it('re-connects a client credentials connection in place: a refused grant changes nothing, a new one makes it ACTIVE', async () => {
    const started = await start({ grantTypes: ['client_credentials'] }, { grantTypes: ['client_credentials'] });
    const { connectedAccountId: id } = await started.toolset.initiateConnection({
      integrationId: started.integration.id,
      entityId: 'service',
    });
    const before = await started.toolset.getConnectionCredentials(id);
    // The provider stopped honouring the client (say, its secret was rotated): the connection needs re-auth.
    const record = await started.toolset.store.getConnection(id);
    await started.toolset.store.updateConnection(
      id,
      { status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH', message: 'The provider refused the client.' } },
      { expectedVersion: record?.version as number },
    );

    server.failNextTokenRequests(1, 401, { body: JSON.stringify({ error: 'invalid_client' }) });
    await expect(started.toolset.initiateConnection({ connectionId: id })).rejects.toMatchObject({
      code: 'OAUTH_ERROR',
    });
    expect(await started.toolset.getConnection(id)).toMatchObject({ status: 'EXPIRED' });
    expect(await started.toolset.getConnectionCredentials(id)).toEqual(before);

    const request = await started.toolset.initiateConnection({ connectionId: id });
    expect(request).toMatchObject({ connectedAccountId: id, connectionStatus: 'ACTIVE', redirectUrl: undefined });
    expect(await started.toolset.getConnection(id)).toMatchObject({ id, entityId: 'service', status: 'ACTIVE' });
    const after = await started.toolset.getConnectionCredentials(id);
    expect(after['access_token']).not.toBe(before['access_token']);
    expect(server.tokenRequests.map((request) => `${request.grantType} ${request.outcome}`)).toEqual([
      'client_credentials issued',
      expect.stringMatching(/^client_credentials /),
      'client_credentials issued',
    ]);
    expect(await started.toolset.listConnections()).toHaveLength(1);
    expect((await started.toolset.executeAction('OCTO_WHOAMI', {}, { connectedAccountId: id })).successful).toBe(true);
  });
});

function connectorFor(fake: FakeOAuth2Server) {
  return defineConnector({
    id: 'octo',
    name: 'Octo',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: fake.resourceUrl,
    authSchemes: [
      oauth2Scheme({
        authorizationUrl: fake.authorizationUrl,
        tokenUrl: fake.tokenUrl,
        defaultScopes: ['repo', 'user'],
      }),
    ],
    actions: [defineAction({ name: 'OCTO_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' })],
  });
}
