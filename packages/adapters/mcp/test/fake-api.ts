import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ApiRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

export interface FakeApi {
  url: string;
  requests: ApiRequest[];
  /** The most requests the API was answering at one time. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A third-party API on 127.0.0.1: `GET /things/{id}` answers the thing and the key it was called
 * with; thing 404 does not exist. Each request waits (up to `holdMs`) until `holdUntil` requests are
 * in flight, so a test can prove that calls ran at the same time.
 */
export async function startFakeApi({ holdUntil = 1, holdMs = 2_000 } = {}): Promise<FakeApi> {
  const requests: ApiRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const api: FakeApi = { url: '', requests, maxInFlight: 0, close: async () => {} };
  const server = createServer(async (incoming, outgoing) => {
    const path = new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    requests.push({ method: incoming.method ?? 'GET', path, headers });
    inFlight += 1;
    api.maxInFlight = Math.max(api.maxInFlight, inFlight);
    if (inFlight >= holdUntil) for (const release of waiting.splice(0)) release();
    else
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, holdMs);
      });
    inFlight -= 1;
    const match = /^\/things\/(\d+)$/.exec(path);
    const [status, body] = !match
      ? [404, { message: 'No route' }]
      : match[1] === '404'
        ? [404, { message: 'Thing not found' }]
        : [200, { id: Number(match[1]), calledWith: headers['x-api-key'] ?? null }];
    outgoing.writeHead(status, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify(body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return api;
}
