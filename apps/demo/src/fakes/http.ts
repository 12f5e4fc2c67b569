// The smallest HTTP server the fakes need: node:http on 127.0.0.1, a random free port, handlers
// that take a parsed request and return a reply, and a list of what was received.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** The host the client built the request for (`acme.myshopify.com`), from the routing header when present. */
  host: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is, with the content type from `headers` (text/plain by default). */
  text?: string;
}

export interface LocalServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** The header a rerouting fetch adds so a fake knows which vendor host a request was built for. */
export const ROUTED_HOST_HEADER = 'x-forwarded-host';

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startServer(handle: (request: ReceivedRequest) => Reply | Promise<Reply>): Promise<LocalServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (incoming, outgoing) => {
    try {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined && name !== ROUTED_HOST_HEADER)
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const routedHost = incoming.headers[ROUTED_HOST_HEADER];
      const request: ReceivedRequest = {
        method: incoming.method ?? 'GET',
        host: typeof routedHost === 'string' ? routedHost : (headers['host'] ?? ''),
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: await readBody(incoming),
      };
      requests.push(request);
      const reply = await handle(request);
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const contentType = reply.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
      outgoing.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers });
      outgoing.end(body);
    } catch (error) {
      outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(`fake server error: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of an `Authorization: Bearer ...` header, if any. */
export function bearerToken(request: ReceivedRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '');
  return match?.[1];
}

export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}
