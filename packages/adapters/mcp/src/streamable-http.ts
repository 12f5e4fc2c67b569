import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { PlugboardError, createAgentTools, type CredentialOptions, type ToolsetForAgents } from '@plugboard/core';
import { buildMcpServer, type McpServerOptions } from './mcp-server.js';

/** A Node HTTP request, with `auth` when a middleware in front of the handler validated a token. */
export type McpHttpRequest = IncomingMessage & { auth?: AuthInfo };

export interface StreamableHttpOptions extends McpServerOptions {
  /**
   * Decides whose credentials an HTTP request runs with, before any MCP message is read: map a
   * bearer token, a session cookie or a verified header to `{ entityId }` or `{ connectedAccountId }`.
   * Return `undefined` to refuse the request with 401. Use it, `entityHeader` or
   * `resolveCredentials`, not several.
   *
   * @example
   * authenticate: async (request) => {
   *   const token = request.headers.authorization?.replace(/^Bearer /, '');
   *   const user = token ? await users.findByMcpToken(token) : undefined;
   *   return user ? { entityId: user.id } : undefined;
   * }
   */
  authenticate?:
    | ((request: McpHttpRequest) => CredentialOptions | undefined | Promise<CredentialOptions | undefined>)
    | undefined;
  /**
   * Takes the entity id from this request header (e.g. `X-Plugboard-Entity`). Anyone who can reach
   * the server can then act as any entity, so set it only behind a proxy or gateway that
   * authenticates the caller and sets the header itself. A request without the header gets 400.
   * Off unless set.
   */
  entityHeader?: string | undefined;
  /**
   * Host header values (host names, without port) to accept; others get 403, which stops DNS
   * rebinding from a browser. `serveHttp` on a loopback address accepts only loopback names by default.
   * @default every host
   */
  allowedHosts?: readonly string[] | undefined;
  /** Answer with a JSON body instead of an SSE stream. @default false */
  enableJsonResponse?: boolean | undefined;
  /** Largest request body read, in bytes. @default 4194304 */
  maxRequestBodySize?: number | undefined;
}

/** A `node:http` request listener; mount it at your MCP path in any Node HTTP framework. */
export type McpHttpHandler = (request: McpHttpRequest, response: ServerResponse) => Promise<void>;

const ENTITY_ID = /^[^\u0000-\u001f\u007f]{1,256}$/;

/**
 * A stateless Streamable HTTP endpoint: every POST gets its own MCP server and transport, with the
 * credentials decided for that request (see `authenticate` and `entityHeader`), so one endpoint
 * serves many users. Other methods get 405: there are no sessions to stream to or delete.
 * Tools are selected once, when the handler is created.
 *
 * @example
 * const handler = createStreamableHttpHandler(toolset, {
 *   authenticate: (request) => tokens.get(request.headers.authorization ?? ''),
 * });
 * createServer((request, response) => void handler(request, response)).listen(3333, '127.0.0.1');
 */
export function createStreamableHttpHandler(
  toolset: ToolsetForAgents,
  options: StreamableHttpOptions = {},
): McpHttpHandler {
  const { authenticate, entityHeader, allowedHosts, enableJsonResponse, maxRequestBodySize, ...serverOptions } =
    options;
  const deciders = [authenticate, entityHeader, serverOptions.resolveCredentials].filter(
    (decider) => decider !== undefined,
  );
  if (deciders.length > 1) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      'Give one of authenticate, entityHeader and resolveCredentials: each decides whose credentials a request uses.',
    );
  }
  if (entityHeader !== undefined && !/^[A-Za-z0-9-]+$/.test(entityHeader)) {
    throw new PlugboardError('CONFIGURATION_ERROR', `entityHeader must be an HTTP header name, not "${entityHeader}".`);
  }
  const offered = createAgentTools(toolset, serverOptions.selection ?? {}, serverOptions.limits ?? {});
  const hosts = allowedHosts?.map((host) => host.toLowerCase());

  return async (request, response) => {
    try {
      if (hosts && !hosts.includes(hostName(request.headers.host))) return reply(response, 403, 'Host not allowed.');
      if (request.method !== 'POST')
        return reply(response, 405, 'Method not allowed: this stateless endpoint takes POST only.', { Allow: 'POST' });

      let credentials: CredentialOptions | undefined;
      if (authenticate) {
        credentials = await authenticate(request);
        if (!credentials) return reply(response, 401, 'Unauthorized.', { 'WWW-Authenticate': 'Bearer' });
      } else if (entityHeader) {
        const value = request.headers[entityHeader.toLowerCase()];
        if (typeof value !== 'string' || !ENTITY_ID.test(value))
          return reply(response, 400, `Missing or invalid ${entityHeader} header.`);
        credentials = { entityId: value };
      }

      const server = buildMcpServer(
        toolset,
        offered,
        credentials ? { ...serverOptions, resolveCredentials: () => credentials } : serverOptions,
      );
      // No sessionIdGenerator: stateless, no session to keep between requests.
      const transport = new StreamableHTTPServerTransport({
        ...(enableJsonResponse !== undefined ? { enableJsonResponse } : {}),
        ...(maxRequestBodySize !== undefined ? { maxRequestBodySize } : {}),
      });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch {
      // The error may come from the developer's authenticate function; its text stays on the server.
      if (!response.headersSent) reply(response, 500, 'Internal server error.');
      else response.end();
    }
  };
}

export interface ServeHttpOptions extends StreamableHttpOptions {
  /** @default 0, a free port: read it from the result */
  port?: number | undefined;
  /** Keep the loopback default unless the endpoint is authenticated. @default '127.0.0.1' */
  host?: string | undefined;
  /** Where the endpoint is mounted; other paths get 404. @default '/mcp' */
  path?: string | undefined;
}

export interface RunningHttpServer {
  /** The endpoint's URL, e.g. `http://127.0.0.1:3333/mcp`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Serves the toolset's actions over Streamable HTTP on a `node:http` server, at `path`.
 *
 * @example
 * const { url } = await serveHttp(toolset, { port: 3333, entityId: 'user-42' });
 */
export async function serveHttp(toolset: ToolsetForAgents, options: ServeHttpOptions = {}): Promise<RunningHttpServer> {
  const { port = 0, host = '127.0.0.1', path = '/mcp', ...handlerOptions } = options;
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const handler = createStreamableHttpHandler(toolset, {
    ...handlerOptions,
    allowedHosts: handlerOptions.allowedHosts ?? (loopback ? LOOPBACK_HOSTS : undefined),
  });
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return reply(response, 404, 'Not found.');
    void handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}${path}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function hostName(header: string | undefined): string {
  if (!header) return '';
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
