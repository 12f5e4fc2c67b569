import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiKeyScheme,
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  oauth1Scheme,
  oauth2Scheme,
  type Toolset,
  type ToolsetEvent,
} from '@plugboard/core';
import {
  startFakeOAuth1Server,
  startFakeOAuth2Server,
  type FakeOAuth1Server,
  type FakeOAuth2Server,
} from '@plugboard/testkit';
import { z } from 'zod';
import { createConnectHandler, createConnectLink, type CreateConnectLinkOptions } from '../src/index.js';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const CLIENT_ID = 'shopwise-client';
export const CLIENT_SECRET = 'shopwise-client-secret-123';

/** Serves a Web-standard handler on 127.0.0.1: what an Express or plain Node adapter does. */
export async function serveHandler(handler: (request: Request) => Promise<Response>) {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const method = incoming.method ?? 'GET';
      const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      const response = await handler(request);
      const head: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') head[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) head['set-cookie'] = cookies;
      outgoing.writeHead(response.status, head);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      outgoing.writeHead(500);
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const whoAmI = (prefix: string) =>
  defineAction({ name: `${prefix}_WHOAMI`, description: 'Who am I.', input: z.object({}), request: 'GET /me' });

/**
 * Shopwise: an API key (with a pattern) and a workspace placed as a subdomain, or OAuth 2.0 at the
 * test kit's fake provider. Boards: OAuth 1.0a at the fake OAuth 1.0a provider.
 */
function connectors(oauth2: FakeOAuth2Server, oauth1: FakeOAuth1Server) {
  const shopwise = defineConnector({
    id: 'shopwise',
    name: 'Shopwise',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'https://{workspace}.shopwise.test/api',
    authSchemes: [
      oauth2Scheme({
        authorizationUrl: oauth2.authorizationUrl,
        tokenUrl: oauth2.tokenUrl,
        defaultScopes: ['orders'],
      }),
      apiKeyScheme({
        keyField: {
          name: 'api_key',
          displayName: 'API key',
          description: 'Starts with sk_live_, from Settings > API keys.',
          pattern: 'sk_live_[A-Za-z0-9]{8,}',
        },
        fields: [
          {
            name: 'workspace',
            displayName: 'Workspace',
            description: 'The name before .shopwise.test in your address.',
          },
        ],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{api_key}}' },
          { in: 'subdomain', name: 'workspace', value: '{{workspace}}' },
        ],
      }),
    ],
    actions: [whoAmI('SHOPWISE')],
  });
  const boards = defineConnector({
    id: 'boards',
    name: 'Boards',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `${oauth1.url}/1`,
    authSchemes: [oauth1Scheme({ ...oauth1.settings('HMAC-SHA1', { scope: 'read' }) })],
    actions: [whoAmI('BOARDS')],
  });
  return [shopwise, boards];
}

export interface ConnectFixture {
  toolset: Toolset;
  /** Every event the toolset emitted, in order; tests may empty it. */
  events: ToolsetEvent[];
  /** The origin the handler is served at; it is mounted at /connect. */
  origin: string;
  oauth2: FakeOAuth2Server;
  oauth1: FakeOAuth1Server;
  integrations: { shopwiseOAuth2: string; shopwiseApiKey: string; boards: string };
  link(options: Omit<CreateConnectLinkOptions, 'toolset' | 'secret' | 'baseUrl'>): Promise<string>;
  close(): Promise<void>;
}

export async function startConnectFixture(): Promise<ConnectFixture> {
  let toolset: Toolset | undefined;
  const served = await serveHandler((request) =>
    createConnectHandler({ toolset: toolset as Toolset, secret: SECRET })(request),
  );
  const oauth2 = await startFakeOAuth2Server({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${served.url}/connect/callback`] }],
  });
  const oauth1 = await startFakeOAuth1Server();
  const events: ToolsetEvent[] = [];
  toolset = createToolset({
    connectors: connectors(oauth2, oauth1),
    onEvent: (event) => {
      events.push(event);
    },
  });
  const shopwiseOAuth2 = await toolset.createIntegration({
    app: 'shopwise',
    authMode: 'OAUTH2',
    authConfig: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  });
  const shopwiseApiKey = await toolset.createIntegration({ app: 'shopwise', authMode: 'API_KEY' });
  const boards = await toolset.createIntegration({
    app: 'boards',
    authMode: 'OAUTH1',
    authConfig: { consumer_key: oauth1.consumerKey, consumer_secret: oauth1.consumerSecret },
  });
  const ready = toolset;
  return {
    toolset: ready,
    events,
    origin: served.url,
    oauth2,
    oauth1,
    integrations: { shopwiseOAuth2: shopwiseOAuth2.id, shopwiseApiKey: shopwiseApiKey.id, boards: boards.id },
    link: async (options) =>
      (await createConnectLink({ toolset: ready, secret: SECRET, baseUrl: `${served.url}/connect`, ...options })).url,
    close: async () => {
      await Promise.all([served.close(), oauth2.close(), oauth1.close()]);
    },
  };
}
