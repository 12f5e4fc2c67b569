import { serve } from '@hono/node-server';
import type { ServerConfig } from './config.js';
import type { PlugboardServer } from './plugboard-server.js';

/** A server listening on a port. */
export interface ListeningServer {
  /** `http://HOST:PORT`, the port chosen by the system when `config.port` was 0. */
  url: string;
  port: number;
  /** Stops accepting connections, waits for open ones, then closes the stores. */
  close(): Promise<void>;
}

/** The Node edge: puts the Web-standard app on a port with `@hono/node-server`. */
export function serveNode(
  server: PlugboardServer,
  config: Pick<ServerConfig, 'port' | 'host'>,
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const http = serve({ fetch: server.app.fetch, port: config.port, hostname: config.host }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            http.close(() => done());
            // Keep-alive connections would hold close() open until their clients leave.
            (http as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }).then(() => server.close()),
      });
    });
    http.once('error', reject);
  });
}
