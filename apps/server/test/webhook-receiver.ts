import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebhookPayload, verifyWebhook } from '@plugboard/webhooks';

/** One webhook a receiver got. */
export interface ReceivedWebhook {
  id: string;
  headers: Record<string, string>;
  body: string;
  /** The payload when `verifyWebhook` accepted the message with the receiver's secret; else undefined. */
  payload: WebhookPayload | undefined;
  /** `verifyWebhook`'s error code when it refused the message. */
  refusedWith?: string;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** The secret messages are verified with; set once the endpoint is created. */
  secret: string;
  /** Resolves when `count` messages were received, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * A developer's webhook receiver on 127.0.0.1, as the README shows one: it reads the raw body,
 * verifies it with `verifyWebhook` and answers 204 (or what `answer` says, for flaky receivers).
 * `port` picks a port, so a test can start it where an endpoint already points (a receiver that was down).
 */
export async function startWebhookReceiver(
  options: { port?: number; secret?: string; answer?: (message: ReceivedWebhook, index: number) => number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  // Each returns true once satisfied, and is then dropped.
  let waiters: Array<() => boolean> = [];
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    received,
    secret: options.secret ?? '',
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return false;
          clearTimeout(timer);
          resolve(received);
          return true;
        };
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} webhooks within ${timeoutMs} ms, got ${received.length}`)),
          timeoutMs,
        );
        if (!check()) waiters.push(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    const message: ReceivedWebhook = { id: headers['webhook-id'] ?? '', headers, body, payload: undefined };
    try {
      message.payload = verifyWebhook(receiver.secret, request.headers, body);
    } catch (error) {
      message.refusedWith = (error as { code?: string }).code ?? 'ERROR';
    }
    const index = received.push(message) - 1;
    const status = options.answer ? options.answer(message, index) : message.payload ? 204 : 400;
    response.writeHead(status).end();
    waiters = waiters.filter((waiter) => !waiter());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}`;
  return receiver;
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A webhook payload about one made-up connection, for tests that publish to the outbox directly. */
export function connectionPayload(
  type: 'connection.active' | 'connection.deleted',
  connection: { id: string; entityId: string },
): WebhookPayload {
  const now = new Date().toISOString();
  return {
    type,
    timestamp: now,
    data: {
      connection: {
        ...connection,
        integrationId: 'int_1',
        app: 'github',
        authMode: 'BEARER_TOKEN',
        status: 'ACTIVE',
        createdAt: now,
        updatedAt: now,
      },
    },
  };
}
