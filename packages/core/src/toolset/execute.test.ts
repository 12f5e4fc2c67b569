import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRecordingServer, type Handler, type RecordingServer } from '@plugboard/fakes';
import { acmeConnector, publicConnector, shopConnector } from '../../test/fixtures.js';
import { createToolset, memoryStore, type FetchFunction, type Store, type ToolsetOptions } from '../index.js';

let server: RecordingServer;
let handler: Handler;

beforeEach(async () => {
  handler = () => ({ json: { ok: true } });
  server = await startRecordingServer((request, index) => handler(request, index));
});
afterEach(async () => {
  await server.close();
});

function toolsetFor(options: ToolsetOptions = {}) {
  return createToolset({ connectors: [acmeConnector(server.url)], http: { backoffLimitMs: 20 }, ...options });
}

async function connect(
  toolset: ReturnType<typeof toolsetFor>,
  authMode: 'API_KEY' | 'BEARER_TOKEN' | 'BASIC',
  params: Record<string, string>,
  entityId = 'default',
) {
  return (await toolset.initiateConnection({ app: 'acme', authMode, entityId, connectedAccountParams: params }))
    .connectedAccountId;
}

describe('executeAction: request mapping', () => {
  it('maps path parameters, query and connector headers for a GET', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'API_KEY', { api_key: 'key-123456' });
    const result = await toolset.executeAction('ACME_GET_THING', {
      owner: 'ada lovelace/x',
      thing_id: 7,
      verbose: true,
      labels: ['a', 'b c'],
    });
    expect(result).toEqual({ successful: true, data: { ok: true }, error: null });
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/owners/ada%20lovelace%2Fx/things/7');
    expect(request?.query.get('verbose')).toBe('true');
    expect(request?.query.getAll('labels')).toEqual(['a', 'b c']);
    expect(request?.headers).toMatchObject({
      accept: 'application/json',
      'x-acme-version': '2024-01',
      'x-api-key': 'key-123456',
    });
  });

  it('sends the rest of a POST input as a JSON body, and named keys as query', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    const result = await toolset.executeAction('ACME_CREATE_THING', {
      owner: 'ada',
      title: 'Hello',
      body: 'World',
      dry_run: false,
    });
    expect(result.successful).toBe(true);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/owners/ada/things');
    expect(request?.query.get('dry_run')).toBe('false');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ title: 'Hello', body: 'World' });
    expect(request?.headers['authorization']).toBe('Bearer tok-abcdef');
  });

  it('form-encodes a body when the action says so', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    await toolset.executeAction('ACME_SUBMIT_FORM', { name: 'a&b=c', tags: ['x', 'y'] });
    const [request] = server.requests;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('name=a%26b%3Dc&tags=x&tags=y');
  });

  it('keeps the slashes of a multi-segment path parameter and encodes each segment', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    await toolset.executeAction('ACME_GET_FILE', { owner: 'ada', path: 'docs/a b/README.md' });
    expect(server.requests[0]?.path).toBe('/owners/ada/files/docs/a%20b/README.md');
    const traversal = await toolset.executeAction('ACME_GET_FILE', { owner: 'ada', path: 'docs/../../admin' });
    expect(traversal).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(server.requests).toHaveLength(1);
  });

  it('places Basic credentials as RFC 7617 UTF-8 base64', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BASIC', { username: 'zoë', password: 'pässwörd' });
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    const header = server.requests[0]?.headers['authorization'] ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(header.slice(6), 'base64').toString('utf8')).toBe('zoë:pässwörd');
  });

  it('places a shop name in the subdomain of the base URL', async () => {
    const hosts: string[] = [];
    // Route every host to the local server, recording the host the request was built for.
    const routeToLocal: FetchFunction = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      hosts.push(url.host);
      url.host = `127.0.0.1:${server.port}`;
      return fetch(new Request(url, request));
    };
    const toolset = createToolset({
      connectors: [shopConnector(`http://{shop}.shoply.test:${server.port}/admin`)],
      fetch: routeToLocal,
    });
    await toolset.initiateConnection({
      app: 'shoply',
      connectedAccountParams: { api_key: 'shpat_123456', shop: 'acme-store' },
    });
    const result = await toolset.executeAction('SHOPLY_GET_SHOP', {});
    expect(result.successful).toBe(true);
    expect(hosts).toEqual([`acme-store.shoply.test:${server.port}`]);
    expect(server.requests[0]?.path).toBe('/admin/shop.json');
    expect(server.requests[0]?.headers['x-shoply-access-token']).toBe('shpat_123456');
  });

  it('runs a custom multi-step action with authenticated requests', async () => {
    handler = (request) =>
      request.method === 'GET' ? { json: { name: 'Old' } } : { json: { name: JSON.parse(request.body).name } };
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    const result = await toolset.executeAction('ACME_RENAME_OWNER', { owner: 'ada', name: 'New' });
    expect(result).toEqual({ successful: true, data: { before: 'Old', after: { name: 'New' } }, error: null });
    expect(
      server.requests.map((request) => `${request.method} ${request.path} ${request.headers['authorization']}`),
    ).toEqual(['GET /owners/ada Bearer tok-abcdef', 'PATCH /owners/ada Bearer tok-abcdef']);
  });

  it('reshapes the response with mapResponse', async () => {
    handler = () => ({ json: [1, 2], headers: { 'x-next-cursor': 'c2' } });
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    expect(await toolset.executeAction('ACME_LIST_PAGES', {})).toMatchObject({
      successful: true,
      data: { items: [1, 2], nextCursor: 'c2' },
    });
  });

  it('checks the output schema', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    handler = () => ({ json: { count: 3, extra: true } });
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toEqual({
      successful: true,
      data: { count: 3 },
      error: null,
    });
    handler = () => ({ json: { count: 'three' } });
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toMatchObject({
      successful: false,
      error: { code: 'INVALID_RESPONSE' },
    });
  });
});

describe('executeAction: validation before network', () => {
  it('refuses invalid input with the zod issues and sends nothing', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    const result = await toolset.executeAction('ACME_GET_THING', { owner: 'ada', thing_id: 'seven' });
    expect(result).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'INVALID_PARAMS', details: { issues: [{ path: ['thing_id'] }] } },
    });
    expect(result.error?.message).toContain('thing_id');
    expect((await toolset.executeAction('ACME_CREATE_THING', { owner: 'ada', title: '' })).error?.code).toBe(
      'INVALID_PARAMS',
    );
    expect((await toolset.executeAction('ACME_GET_THING', null)).error?.code).toBe('INVALID_PARAMS');
    expect(server.requests).toHaveLength(0);
  });

  it('answers an unknown action with suggestions and sends nothing', async () => {
    const toolset = toolsetFor();
    const result = await toolset.executeAction('ACME_GET_THINGG', {});
    expect(result).toMatchObject({ successful: false, error: { code: 'ACTION_NOT_FOUND' } });
    expect((result.error!.details as { suggestions: string[] }).suggestions[0]).toBe('ACME_GET_THING');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a credential that cannot be placed safely and sends nothing', async () => {
    const toolset = toolsetFor();
    const result = await toolset.executeAction(
      'ACME_COUNT_THINGS',
      {},
      { auth: { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'k\r\nX-Admin: 1' }] } },
    );
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(server.requests).toHaveLength(0);
  });
});

describe('executeAction: credential precedence', () => {
  const authorizationOf = (index: number) =>
    server.requests[index]?.headers['authorization'] ?? server.requests[index]?.headers['x-api-key'];

  it('per-call auth > connectedAccountId > addAuth > entity connection > NO_AUTH', async () => {
    const toolset = toolsetFor();
    const older = await connect(toolset, 'BEARER_TOKEN', { token: 'entity-old' }, 'user-1');
    await connect(toolset, 'BEARER_TOKEN', { token: 'entity-new' }, 'user-1');
    const explicit = await connect(toolset, 'API_KEY', { api_key: 'explicit-key' }, 'user-2');
    const perCall = { parameters: [{ name: 'Authorization', in: 'header' as const, value: 'Bearer per-call' }] };

    // No entity connection for "default": the app allows NO_AUTH, so the request goes without credentials.
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(authorizationOf(0)).toBeUndefined();

    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' });
    expect(authorizationOf(1)).toBe('Bearer entity-new');

    toolset.addAuth('acme', { parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer app-auth' }] });
    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' });
    expect(authorizationOf(2)).toBe('Bearer app-auth');

    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1', connectedAccountId: explicit });
    expect(authorizationOf(3)).toBe('explicit-key');

    await toolset.executeAction(
      'ACME_COUNT_THINGS',
      {},
      { entityId: 'user-1', connectedAccountId: explicit, auth: perCall },
    );
    expect(authorizationOf(4)).toBe('Bearer per-call');

    // An older connection becomes the newest when it is updated.
    toolset.removeAuth('acme');
    await toolset.disableConnection(older);
    await toolset.enableConnection(older);
    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' });
    expect(authorizationOf(5)).toBe('Bearer entity-old');
  });

  it('reads the connection with its integration in one store call when the store can, in two reads otherwise', async () => {
    /** A memory store counting its reads; `joined: false` takes away its optional findConnectionWithIntegration. */
    const countingStore = (joined: boolean) => {
      const inner = memoryStore();
      const calls: string[] = [];
      const store: Store = { ...inner };
      for (const name of [
        'getConnection',
        'listConnections',
        'getIntegration',
        'findConnectionWithIntegration',
      ] as const) {
        const method = inner[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
        if (!method) continue;
        (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
          calls.push(name);
          return method(...args);
        };
      }
      if (!joined) delete store.findConnectionWithIntegration;
      return { store, calls };
    };
    handler = () => ({ json: { count: 1 } });
    for (const joined of [true, false]) {
      const { store, calls } = countingStore(joined);
      const toolset = toolsetFor({ store });
      const id = await connect(toolset, 'BEARER_TOKEN', { token: `tok-${joined}` }, 'user-1');
      calls.length = 0;
      expect((await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' })).successful).toBe(true);
      expect((await toolset.executeAction('ACME_COUNT_THINGS', {}, { connectedAccountId: id })).successful).toBe(true);
      expect(calls).toEqual(
        joined
          ? ['findConnectionWithIntegration', 'findConnectionWithIntegration']
          : ['listConnections', 'getIntegration', 'getConnection', 'getIntegration'],
      );
    }
    expect(server.requests.map((request) => request.headers['authorization'])).toEqual([
      'Bearer tok-true',
      'Bearer tok-true',
      'Bearer tok-false',
      'Bearer tok-false',
    ]);
  });

  it('reports NO_CREDENTIALS when the app does not allow NO_AUTH, with the command to fix it', async () => {
    const toolset = createToolset({ connectors: [shopConnector(server.url.replace('127.0.0.1', '{shop}.localhost'))] });
    const result = await toolset.executeAction('SHOPLY_GET_SHOP', {}, { entityId: 'user-9' });
    expect(result).toMatchObject({
      successful: false,
      error: { code: 'NO_CREDENTIALS', details: { app: 'shoply', entityId: 'user-9' } },
    });
    expect(result.error?.message).toContain("initiateConnection({ app: 'shoply', entityId: 'user-9'");
    expect(server.requests).toHaveLength(0);
  });

  it('uses no credentials for a NO_AUTH-only app', async () => {
    const toolset = createToolset({ connectors: [publicConnector(server.url)] });
    expect((await toolset.executeAction('OPEN_DATA_GET', {})).successful).toBe(true);
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('refuses an unknown, inactive or foreign connection', async () => {
    const toolset = createToolset({
      connectors: [acmeConnector(server.url), shopConnector('http://{shop}.shoply.test:9')],
    });
    const shop = await toolset.initiateConnection({
      app: 'shoply',
      connectedAccountParams: { api_key: 'shpat_123456', shop: 'acme' },
    });
    const acme = (
      await toolset.initiateConnection({
        app: 'acme',
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token: 'tok-abcdef' },
      })
    ).connectedAccountId;
    expect((await toolset.executeAction('ACME_COUNT_THINGS', {}, { connectedAccountId: 'nope' })).error?.code).toBe(
      'CONNECTION_NOT_FOUND',
    );
    expect(
      (await toolset.executeAction('ACME_COUNT_THINGS', {}, { connectedAccountId: shop.connectedAccountId })).error
        ?.code,
    ).toBe('CONNECTION_APP_MISMATCH');
    await toolset.disableConnection(acme);
    const inactive = await toolset.executeAction('ACME_COUNT_THINGS', {}, { connectedAccountId: acme });
    expect(inactive).toMatchObject({ error: { code: 'CONNECTION_NOT_ACTIVE', details: { status: 'INACTIVE' } } });
    // An inactive connection is skipped when resolving by entity: acme allows NO_AUTH, so no credentials are sent.
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(server.requests.map((request) => request.headers['authorization'])).toEqual([undefined]);
  });

  it('custom auth can change the base URL and add body fields', async () => {
    const other = await startRecordingServer(() => ({ json: { from: 'other' } }));
    try {
      const toolset = toolsetFor();
      const result = await toolset.executeAction(
        'ACME_CREATE_THING',
        { owner: 'ada', title: 't' },
        {
          auth: {
            parameters: [{ name: 'api_key', in: 'query', value: 'q-secret' }],
            baseUrl: `${other.url}/v2`,
            body: { account: 'acct-1' },
          },
        },
      );
      expect(result).toMatchObject({ successful: true, data: { from: 'other' } });
      expect(server.requests).toHaveLength(0);
      expect(other.requests[0]?.path).toBe('/v2/owners/ada/things');
      expect(other.requests[0]?.query.get('api_key')).toBe('q-secret');
      expect(JSON.parse(other.requests[0]?.body ?? '')).toEqual({ title: 't', account: 'acct-1' });
    } finally {
      await other.close();
    }
  });

  it('addAuth refuses bad input at once', () => {
    const toolset = toolsetFor();
    expect(() => toolset.addAuth('acme', { parameters: [{ name: 'X', in: 'header', value: 'a\nb' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => toolset.addAuth('acme', { parameters: [{ name: 'shop', in: 'subdomain', value: 'a.b' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => toolset.addAuth('acme', { parameters: [{ name: 'x', in: 'cookie' as never, value: 'v' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => toolset.addAuth('acme', { parameters: [], baseUrl: 'ftp://x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => toolset.addAuth('nope', { parameters: [] })).toThrow(
      expect.objectContaining({ code: 'APP_NOT_FOUND' }),
    );
  });
});

describe('executeAction: upstream failures, retries and timeouts', () => {
  it('returns an upstream error as a result, with status and the (redacted) body', async () => {
    handler = () => ({ status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.acme.test' } });
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' });
    const result = await toolset.executeAction('ACME_GET_THING', { owner: 'ada', thing_id: 1 });
    expect(result).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'UPSTREAM_ERROR', status: 404, retryable: false, details: { body: { message: 'Not Found' } } },
    });
    expect(result.error?.message).toBe(
      `Request failed with status 404 Not Found: GET ${server.url}/owners/ada/things/1 (Not Found)`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('retries an idempotent request on 503 and succeeds', async () => {
    handler = (_request, index) => (index === 0 ? { status: 503, json: { message: 'busy' } } : { json: { count: 1 } });
    const toolset = toolsetFor();
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toMatchObject({
      successful: true,
      data: { count: 1 },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after the configured retries', async () => {
    handler = () => ({ status: 502, text: 'bad gateway' });
    const toolset = toolsetFor({ http: { retries: 3, backoffLimitMs: 5 } });
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toMatchObject({
      error: { code: 'UPSTREAM_ERROR', status: 502, retryable: true },
    });
    expect(server.requests).toHaveLength(4);
  });

  it('never repeats a POST that may have been processed (500, dropped connection)', async () => {
    const toolset = toolsetFor();
    handler = () => ({ status: 500, json: { message: 'oops' } });
    expect((await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' })).error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 500,
    });
    expect(server.requests).toHaveLength(1);
    handler = () => ({ destroy: true });
    expect((await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' })).error).toMatchObject({
      code: 'NETWORK_ERROR',
      retryable: true,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('repeats a POST refused with 429 or 503 and Retry-After, honouring the wait', async () => {
    const toolset = toolsetFor();
    handler = (_request, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '1' }, json: { message: 'slow down' } }
        : { status: 201, json: { id: 1 } };
    const started = Date.now();
    expect(await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' })).toMatchObject({
      successful: true,
      data: { id: 1 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests).toHaveLength(2);
    handler = () => ({ status: 503, json: { message: 'down' } });
    expect((await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' })).error?.status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    handler = () => ({ status: 429, headers: { 'retry-after': '120' }, json: { message: 'rate limited' } });
    const toolset = toolsetFor({ http: { maxRetryAfterMs: 1_000 } });
    const result = await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(result).toMatchObject({
      error: { code: 'UPSTREAM_ERROR', status: 429, retryable: true, details: { retryAfterMs: 120_000 } },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('times out with TIMEOUT, and reports a refused connection as NETWORK_ERROR', async () => {
    handler = () => ({ delayMs: 1_000, json: {} });
    const toolset = toolsetFor({ http: { timeoutMs: 100, retries: 0 } });
    expect((await toolset.executeAction('ACME_COUNT_THINGS', {})).error).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    await server.close();
    const result = await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(result.error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(result.error?.message).toContain('ECONNREFUSED');
  });

  it('reports ABORTED when the caller aborts', async () => {
    handler = () => ({ delayMs: 1_000, json: {} });
    const toolset = toolsetFor();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await toolset.executeAction('ACME_COUNT_THINGS', {}, { signal: controller.signal })).error?.code).toBe(
      'ABORTED',
    );
  });

  it('sends every request through the fetch the user supplied', async () => {
    let calls = 0;
    const countingFetch: FetchFunction = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const toolset = toolsetFor({ fetch: countingFetch });
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    await toolset.proxy({ app: 'acme', method: 'GET', path: '/anything' });
    expect(calls).toBe(2);
  });

  it('turns a custom action that throws into ACTION_FAILED without leaking the token', async () => {
    const toolset = toolsetFor();
    toolset.createAction({
      name: 'LEAKY_ACTION',
      app: 'acme',
      description: 'Throws with the token in the message.',
      input: z.object({}),
      run: async () => {
        throw new Error('failed with key ultra-secret-key');
      },
    });
    const result = await toolset.executeAction(
      'LEAKY_ACTION',
      {},
      { auth: { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'ultra-secret-key' }] } },
    );
    expect(result).toEqual({
      successful: false,
      data: null,
      error: { code: 'ACTION_FAILED', message: 'failed with key [REDACTED]' },
    });
  });
});

describe('createAction and proxy', () => {
  it('binds a custom action to an app, so its requests carry the app credentials', async () => {
    const toolset = toolsetFor();
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' }, 'user-1');
    const summary = toolset.createAction({
      name: 'MY_THING_TITLES',
      app: 'acme',
      description: 'Titles of two things.',
      tags: ['custom'],
      input: z.object({ owner: z.string(), ids: z.array(z.number()).max(5) }),
      run: async ({ input, request }) => {
        const titles: string[] = [];
        for (const id of input.ids) {
          const response = await request<{ title: string }>({
            method: 'GET',
            path: '/owners/{owner}/things/{id}',
            pathParams: { owner: input.owner, id },
          });
          titles.push(response.data.title);
        }
        return titles;
      },
    });
    expect(summary).toMatchObject({ name: 'MY_THING_TITLES', app: 'acme', inputJsonSchema: { type: 'object' } });
    expect(toolset.listApps().find((app) => app.id === 'acme')?.actionCount).toBe(8);
    expect(toolset.listActions({ app: 'acme', tags: ['custom'] }).map((action) => action.name)).toEqual([
      'MY_THING_TITLES',
    ]);
    handler = (request) => ({ json: { title: `title of ${request.path}` } });
    const result = await toolset.executeAction(
      'MY_THING_TITLES',
      { owner: 'ada', ids: [1, 2] },
      { entityId: 'user-1' },
    );
    expect(result).toEqual({
      successful: true,
      data: ['title of /owners/ada/things/1', 'title of /owners/ada/things/2'],
      error: null,
    });
    expect(server.requests.map((request) => request.headers['authorization'])).toEqual([
      'Bearer tok-abcdef',
      'Bearer tok-abcdef',
    ]);
    expect(
      (await toolset.executeAction('MY_THING_TITLES', { owner: 'ada', ids: [1, 2, 3, 4, 5, 6] })).error?.code,
    ).toBe('INVALID_PARAMS');
  });

  it('runs a custom action bound to no app, and refuses duplicate or malformed names', async () => {
    const toolset = toolsetFor();
    toolset.createAction({
      name: 'LOCAL_ADD',
      description: 'Adds.',
      input: z.object({ a: z.number(), b: z.number() }),
      run: async ({ input }) => input.a + input.b,
    });
    expect(await toolset.executeAction('LOCAL_ADD', { a: 2, b: 3 })).toEqual({
      successful: true,
      data: 5,
      error: null,
    });
    expect(() =>
      toolset.createAction({ name: 'LOCAL_ADD', description: '', input: z.object({}), run: async () => 1 }),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_DEFINITION' }));
    expect(() =>
      toolset.createAction({ name: 'lowercase', description: '', input: z.object({}), run: async () => 1 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_DEFINITION' }));
    expect(() =>
      toolset.createAction({ name: 'MY_X', app: 'nope', description: '', input: z.object({}), run: async () => 1 }),
    ).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
    toolset.createAction({
      name: 'LOCAL_FETCH',
      description: 'Tries a request without an app.',
      input: z.object({}),
      run: async ({ request }) => request({ method: 'GET', path: '/' }),
    });
    expect((await toolset.executeAction('LOCAL_FETCH', {})).error?.code).toBe('INVALID_DEFINITION');
  });

  it('proxies a raw authenticated request and returns status, headers and data', async () => {
    handler = () => ({ status: 201, headers: { 'x-custom': 'yes' }, json: { created: true } });
    const toolset = toolsetFor();
    const id = await connect(toolset, 'API_KEY', { api_key: 'key-123456' });
    const result = await toolset.proxy({
      app: 'acme',
      method: 'PUT',
      path: '/raw/{name}',
      pathParams: { name: 'a/b' },
      query: { page: 2 },
      body: { x: 1 },
      headers: { 'X-Trace': 't1' },
      connectedAccountId: id,
    });
    expect(result).toMatchObject({
      successful: true,
      data: { status: 201, data: { created: true }, headers: { 'x-custom': 'yes' } },
    });
    const [request] = server.requests;
    expect(request?.url).toBe('/raw/a%2Fb?page=2');
    expect(request?.headers).toMatchObject({ 'x-api-key': 'key-123456', 'x-trace': 't1', 'x-acme-version': '2024-01' });
    expect(JSON.parse(request?.body ?? '')).toEqual({ x: 1 });
  });

  it('refuses bad proxy input without sending', async () => {
    const toolset = toolsetFor();
    expect(
      (await toolset.proxy({ app: 'acme', method: 'GET', path: '/raw/{name}', pathParams: { name: '..' } })).error
        ?.code,
    ).toBe('INVALID_PARAMS');
    expect((await toolset.proxy({ app: 'acme', method: 'GET', path: '/raw/{name}' })).error?.code).toBe(
      'INVALID_PARAMS',
    );
    expect((await toolset.proxy({ app: 'acme', method: 'GET', path: '/x', body: { a: 1 } })).error?.code).toBe(
      'INVALID_PARAMS',
    );
    expect(
      (await toolset.proxy({ app: 'acme', method: 'GET', path: '/x', headers: { 'X-A': 'a\r\nb' } })).error?.code,
    ).toBe('INVALID_PARAMS');
    expect((await toolset.proxy({ app: 'nope', method: 'GET', path: '/x' })).error?.code).toBe('APP_NOT_FOUND');
    expect(server.requests).toHaveLength(0);
  });

  it('uses the shared store it was given', async () => {
    const store = memoryStore();
    const toolset = toolsetFor({ store });
    await connect(toolset, 'BEARER_TOKEN', { token: 'tok-abcdef' }, 'user-7');
    const second = toolsetFor({ store });
    await second.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-7' });
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer tok-abcdef');
  });
});

describe('executeAction: timeouts of idempotent requests', () => {
  it('retries a GET that timed out, but never a POST', async () => {
    handler = (_request, index) => (index === 0 ? { delayMs: 500, json: {} } : { json: { count: 2 } });
    const toolset = toolsetFor({ http: { timeoutMs: 150, retries: 1, backoffLimitMs: 5 } });
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toMatchObject({
      successful: true,
      data: { count: 2 },
    });
    expect(server.requests).toHaveLength(2);
    handler = () => ({ delayMs: 500, json: {} });
    expect((await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' })).error?.code).toBe('TIMEOUT');
    expect(server.requests).toHaveLength(3);
  });
});

describe('executeAction: upstream validation errors', () => {
  it('summarises field errors keyed by field in the message', async () => {
    handler = () => ({ status: 422, json: { errors: { email: ['has already been taken'], phone: ['is invalid'] } } });
    const toolset = toolsetFor();
    const result = await toolset.executeAction('ACME_CREATE_THING', { owner: 'a', title: 't' });
    expect(result.error?.message).toContain('(email has already been taken; phone is invalid)');
  });
});

describe('executeAction: rate-limit headers', () => {
  it('retries a 503 with plain backoff even when a rate-limit window header says to wait an hour', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    handler = (_request, index) =>
      index === 0
        ? {
            status: 503,
            headers: { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '4999' },
            json: { message: 'busy' },
          }
        : { json: { count: 1 } };
    const toolset = toolsetFor();
    const started = Date.now();
    expect(await toolset.executeAction('ACME_COUNT_THINGS', {})).toMatchObject({ successful: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(2);
  });

  it('reports the reset time as the wait only when the quota is spent', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    handler = () => ({
      status: 404,
      headers: { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '4999' },
      json: { message: 'Not Found' },
    });
    const toolset = toolsetFor();
    const notFound = await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect((notFound.error!.details as Record<string, unknown>)['retryAfterMs']).toBeUndefined();
    handler = () => ({
      status: 403,
      headers: { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '0' },
      json: { message: 'API rate limit exceeded' },
    });
    const limited = await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect((limited.error!.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
    expect(server.requests).toHaveLength(2);
  });
});
