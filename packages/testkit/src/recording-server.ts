import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  host: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Wait before answering (timeouts). */
  delayMs?: number;
  /** Drop the connection without an answer. */
  destroy?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface RecordingServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server that records every request and answers from a handler. Listens on
 * 127.0.0.1 with a random port; `close()` ends open connections.
 */
export async function startRecordingServer(handler: Handler = () => ({ json: { ok: true } })): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const parsed = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    const recorded: RecordedRequest = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      host: headers['host'] ?? '',
    };
    const index = requests.push(recorded) - 1;
    const reply = await handler(recorded, index);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.destroy) {
      incoming.socket.destroy();
      return;
    }
    if (outgoing.destroyed) return;
    const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    outgoing.writeHead(reply.status ?? 200, {
      ...(reply.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : reply.text !== undefined ? { 'content-type': 'text/plain' } : {}),
      ...reply.headers,
    });
    outgoing.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
