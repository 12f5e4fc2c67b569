import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A callback listener on the loopback interface, as RFC 8252 section 7.3 describes for native apps. */
export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`: the redirect URI to give the provider. */
  redirectUri: string;
  /** Stops listening and waits for callbacks being handled; calling it again is harmless. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (an ephemeral port unless `port` is given) and hands every request to
 * `/callback` to `handle`, answering with its Response. Anything else is a 404.
 */
export async function startLoopbackListener(
  port: number,
  handle: (request: Request) => Promise<Response>,
): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  const answer = (outgoing: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) =>
    new Promise<void>((resolve) => {
      if (outgoing.destroyed) return resolve();
      outgoing.on('close', () => resolve());
      outgoing.writeHead(status, { ...headers, connection: 'close' }).end(body);
    });
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (url.pathname !== '/callback' || (incoming.method !== 'GET' && incoming.method !== 'HEAD')) {
      void answer(outgoing, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n');
      return;
    }
    // Closed (connected, timed out or cancelled): a late callback must not change the connection.
    if (closing) {
      void answer(outgoing, 503, { 'content-type': 'text/plain; charset=utf-8' }, 'No longer waiting.\n');
      return;
    }
    // In flight until the browser has the whole page, so close() never cuts an answer off.
    const handled = Promise.resolve()
      .then(() => handle(new Request(url)))
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        await answer(outgoing, response.status, Object.fromEntries(response.headers), body);
      })
      .catch(async () => {
        if (!outgoing.headersSent)
          await answer(
            outgoing,
            500,
            { 'content-type': 'text/plain; charset=utf-8' },
            'The callback failed; see the terminal.\n',
          );
      })
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${actualPort}/callback`,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // A callback already being handled may still complete its connection: wait for it and for
        // its page to reach the browser (the caller may be closing because that callback connected),
        // so once close() resolves nothing changes the connection behind the caller's back.
        await Promise.allSettled([...inFlight]);
        for (const socket of sockets) socket.destroy();
        await stopped;
      })()),
  };
}

/** The page the browser sees after the callback: whether it worked, and to go back to the terminal. */
export function callbackPage(
  outcome: { ok: true; app: string } | { ok: false; message: string; code: string },
): Response {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  const [title, body] = outcome.ok
    ? [`Connected ${escapeHtml(outcome.app)}`, 'You can close this tab and return to the terminal.']
    : [
        'Connection failed',
        `${escapeHtml(outcome.message)} (${escapeHtml(outcome.code)}). Return to the terminal to try again.`,
      ];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem"><h1>${title}</h1><p>${body}</p></body></html>`;
  return new Response(html, {
    status: outcome.ok ? 200 : 400,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}
