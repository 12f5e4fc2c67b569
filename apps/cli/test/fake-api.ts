import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeApi {
  url: string;
  /** `METHOD /path` and the X-Api-Key header of each request, in order. */
  requests: { method: string; path: string; apiKey: string | undefined }[];
  close(): Promise<void>;
}

/** A third-party API on 127.0.0.1: `GET /things/{id}` answers the thing and the key it was called with. */
export async function startFakeApi(): Promise<FakeApi> {
  const sockets = new Set<Socket>();
  const api: FakeApi = { url: '', requests: [], close: async () => {} };
  const server = createServer((incoming, outgoing) => {
    const path = new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname;
    const apiKey = incoming.headers['x-api-key'];
    api.requests.push({
      method: incoming.method ?? 'GET',
      path,
      apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    });
    const match = /^\/things\/(\d+)$/.exec(path);
    const [status, body] =
      match && incoming.method === 'GET'
        ? [200, { id: Number(match[1]), calledWith: apiKey ?? null }]
        : [404, { message: 'No route' }];
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
