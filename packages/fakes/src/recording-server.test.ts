import { afterEach, describe, expect, it } from 'vitest';
import { linkHeader, rerouteFetch, startRecordingServer, type RecordingServer } from './index.js';

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startRecordingServer', () => {
  it('answers by route, with path parameters, and records method, URL, headers and body', async () => {
    server = await startRecordingServer({
      'GET /boards/{id}': (request) => ({ json: { id: request.params['id'], fields: request.query.get('fields') } }),
      'POST /cards': { status: 201, json: { id: 'c1' } },
      '/files/{+path}': (request) => ({ text: `file ${request.params['path']}` }),
    });
    const board = await fetch(`${server.url}/boards/b%201?fields=name`, { headers: { 'X-Trace': 't1' } });
    expect(await board.json()).toEqual({ id: 'b 1', fields: 'name' });
    const card = await fetch(`${server.url}/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"A"}',
    });
    expect(card.status).toBe(201);
    expect(await (await fetch(`${server.url}/files/a/b.md`, { method: 'DELETE' })).text()).toBe('file a/b.md');
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);

    expect(server.requests.map((request) => `${request.method} ${request.url} ${request.route ?? '-'}`)).toEqual([
      'GET /boards/b%201?fields=name GET /boards/{id}',
      'POST /cards POST /cards',
      'DELETE /files/a/b.md /files/{+path}',
      'GET /nope -',
    ]);
    expect(server.requests.map((request) => request.status)).toEqual([200, 201, 200, 404]);
    expect(server.requests[0]?.headers['x-trace']).toBe('t1');
    expect(server.requestsTo('POST /cards')[0]).toMatchObject({
      body: '{"name":"A"}',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('answers a sequence of replies in turn, with Link pagination headers, and forgets on clear()', async () => {
    server = await startRecordingServer({
      'GET /items': [
        {
          json: [1, 2],
          headers: {
            link: linkHeader({ next: 'http://127.0.0.1/items?page=2', last: 'http://127.0.0.1/items?page=2' }),
          },
        },
        { json: [3] },
      ],
    });
    const first = await fetch(`${server.url}/items`);
    expect(first.headers.get('link')).toBe(
      '<http://127.0.0.1/items?page=2>; rel="next", <http://127.0.0.1/items?page=2>; rel="last"',
    );
    expect(await first.json()).toEqual([1, 2]);
    expect(await (await fetch(`${server.url}/items?page=2`)).json()).toEqual([3]);
    expect(await (await fetch(`${server.url}/items?page=3`)).json()).toEqual([3]);
    server.clear();
    expect(server.requests).toEqual([]);
    expect(await (await fetch(`${server.url}/items`)).json()).toEqual([1, 2]);
  });

  it('delays an answer and drops a connection', async () => {
    server = await startRecordingServer((request) =>
      request.path === '/slow' ? { delayMs: 300, json: { slow: true } } : { destroy: true },
    );
    // The client gives up once the server has the request (not after a fixed time, which a loaded
    // machine can spend before the request even arrives).
    const giveUp = new AbortController();
    const slow = fetch(`${server.url}/slow`, { signal: giveUp.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    giveUp.abort();
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fetch(`${server.url}/drop`)).rejects.toThrow(TypeError);
    expect(server.requests.map((request) => request.path)).toEqual(['/slow', '/drop']);
    // Neither was answered: the client gave up on the slow one, the other was dropped.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(server.requests.map((request) => request.status)).toEqual([undefined, undefined]);
  });

  it('counts the most requests it answered at one time, and starts over on clear()', async () => {
    server = await startRecordingServer({ '/{+path}': { delayMs: 100, json: {} } });
    const url = server.url;
    await fetch(`${url}/one`);
    await fetch(`${url}/two`);
    expect(server.maxInFlight).toBe(1);
    await Promise.all(['/a', '/b', '/c'].map((path) => fetch(`${url}${path}`)));
    expect(server.maxInFlight).toBe(3);
    server.clear();
    expect(server.maxInFlight).toBe(0);
    await fetch(`${url}/after`);
    expect(server.maxInFlight).toBe(1);
  });

  it('refuses a route key that is not "METHOD /path"', async () => {
    await expect(startRecordingServer({ 'GET boards': { json: {} } })).rejects.toThrow('Invalid route "GET boards"');
  });
});

describe('rerouteFetch', () => {
  it('sends vendor URLs to the local server, keeping method, path, query, headers and body, and records the original URL', async () => {
    server = await startRecordingServer({
      'PUT /1/cards/{id}': (request) => ({ json: { id: request.params['id'], body: request.body } }),
    });
    const { fetch: routed, sent } = rerouteFetch({
      'https://api.trello.com': server.url,
      'https://*.myshopify.com/admin': server.url,
    });
    const response = await routed('https://api.trello.com/1/cards/c1?key=k', {
      method: 'PUT',
      headers: { 'x-one': '1' },
      body: 'name=A',
    });
    expect(await response.json()).toEqual({ id: 'c1', body: 'name=A' });
    expect(server.requests[0]).toMatchObject({ url: '/1/cards/c1?key=k', headers: { 'x-one': '1' } });
    await routed('https://acme.myshopify.com/admin/shop.json');
    expect(sent.map((request) => [request.method, request.url, request.host])).toEqual([
      ['PUT', 'https://api.trello.com/1/cards/c1?key=k', 'api.trello.com'],
      ['GET', 'https://acme.myshopify.com/admin/shop.json', 'acme.myshopify.com'],
    ]);
  });

  it('refuses any URL without a route, so nothing leaves the machine', async () => {
    const { fetch: routed, sent } = rerouteFetch({ 'https://api.trello.com/1': 'http://127.0.0.1:9' });
    await expect(routed('https://example.com/')).rejects.toThrow(
      'rerouteFetch: no local server for https://example.com/',
    );
    await expect(routed('https://api.trello.com/2/x')).rejects.toThrow('no local server');
    await expect(routed('https://myshopify.com/admin')).rejects.toThrow('no local server');
    expect(sent).toEqual([]);
  });
});
