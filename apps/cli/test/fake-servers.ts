import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  authorization: string | undefined;
  body: string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** The token requests' grant types, in order. */
  grants: string[];
  close(): Promise<void>;
}

/**
 * The "acme" API and its OAuth 2.0 server on 127.0.0.1.
 * - `GET /things/{id}` answers the thing and the credentials it was called with (thing 404 is a 404);
 *   `POST /things` echoes the JSON body.
 * - `GET /authorize` plays a user who approves: 302 to `redirect_uri` with a code and the state
 *   (or `error=access_denied` when `login_hint` is `deny`).
 * - `POST /token` exchanges the code for `access-1` + `refresh-1`, a refresh token for `access-2`, `access-3`, ...,
 *   and client credentials for `machine-1`, `machine-2`, ...
 */
export async function startFakeServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const fake: FakeServer = { url: '', requests: [], grants: [], close: async () => {} };
  let issued = 1;
  let machineIssued = 0;
  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const header = (name: string) => {
        const value = incoming.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      fake.requests.push({
        method: incoming.method ?? 'GET',
        path: url.pathname,
        apiKey: header('x-api-key'),
        authorization: header('authorization'),
        body,
      });
      const json = (status: number, value: unknown) => {
        outgoing.writeHead(status, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify(value));
      };
      if (url.pathname === '/authorize') {
        const redirect = new URL(url.searchParams.get('redirect_uri') ?? 'http://invalid');
        if (url.searchParams.get('login_hint') === 'deny') redirect.searchParams.set('error', 'access_denied');
        else redirect.searchParams.set('code', 'code-1');
        redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
        outgoing.writeHead(302, { location: redirect.href }).end();
        return;
      }
      if (url.pathname === '/token' && incoming.method === 'POST') {
        const form = new URLSearchParams(body);
        const grant = form.get('grant_type') ?? '';
        fake.grants.push(grant);
        if (grant === 'authorization_code' && form.get('code') === 'code-1')
          return json(200, {
            access_token: 'access-1',
            refresh_token: 'refresh-1',
            token_type: 'bearer',
            expires_in: 3600,
          });
        if (grant === 'refresh_token')
          return json(200, { access_token: `access-${++issued}`, token_type: 'bearer', expires_in: 3600 });
        if (grant === 'client_credentials')
          return json(200, { access_token: `machine-${++machineIssued}`, token_type: 'bearer', expires_in: 3600 });
        return json(400, { error: 'invalid_grant' });
      }
      const thing = /^\/things\/(\d+)$/.exec(url.pathname);
      if (thing?.[1] === '404') return json(404, { message: 'No thing 404' });
      if (thing && incoming.method === 'GET')
        return json(200, {
          id: Number(thing[1]),
          apiKey: header('x-api-key') ?? null,
          authorization: header('authorization') ?? null,
        });
      if (url.pathname === '/things' && incoming.method === 'POST')
        return json(201, { created: JSON.parse(body || '{}') as unknown });
      json(404, { message: 'No route' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return fake;
}
