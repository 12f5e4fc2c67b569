// Your app's OAuth callback, as a loopback listener on 127.0.0.1 (the CLI does the same): the
// provider sends the user's browser here, and `toolset.handleCallback` finishes the connection.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Toolset } from '@plugboard/core';

export interface CallbackServer {
  /** The redirect URI to register with the provider: `http://127.0.0.1:PORT/github/callback`. */
  url: string;
  close(): Promise<void>;
}

export async function startCallbackServer(toolset: () => Toolset, path = '/github/callback'): Promise<CallbackServer> {
  const server = createServer(async (incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? '127.0.0.1'}`);
    if (url.pathname !== path) {
      outgoing.writeHead(404).end();
      return;
    }
    const response = await toolset().handleCallback(new Request(url));
    outgoing.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
