import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The raw body, UTF-8 decoded (`''` when there was none). */
  body: string;
  host: string;
  /** The route key that answered it (`'GET /boards/{id}'`), when routes were given. */
  route?: string;
  /** The values of the route's `{name}` segments, decoded. */
  params: Record<string, string>;
  /** The status the server answered with; undefined while pending or when the connection was dropped. */
  status?: number;
}

/** How the server answers one request. */
export interface Reply {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** Sent as `application/json; charset=utf-8`. */
  json?: unknown;
  /** Sent as `text/plain` unless `headers` say otherwise. */
  text?: string;
  /** Wait this long before answering (client timeouts). */
  delayMs?: number;
  /** Drop the connection without an answer (client retries, network errors). */
  destroy?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

/**
 * Answers keyed by route: `'GET /boards/{id}'` matches that method and a path with one segment in
 * place of `{id}`; a key without a method (`'/health'`) matches any method. A value is a fixed
 * `Reply`, a handler, or an array of replies answered in turn (the last one repeats), for
 * paginated or flaky endpoints. A request no route matches is answered 404 and still recorded.
 */
export type Routes = Record<string, Reply | Handler | readonly Reply[]>;

export interface RecordingServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Every request, in arrival order, including unmatched ones. */
  requests: RecordedRequest[];
  /** The most requests the server was answering at one time: proves that calls ran in parallel. */
  readonly maxInFlight: number;
  /** The requests a route answered (`'GET /boards/{id}'`). */
  requestsTo(route: string): RecordedRequest[];
  /** Forgets the recorded requests (and restarts reply sequences and `maxInFlight`). */
  clear(): void;
  /** Ends open connections and stops listening. */
  close(): Promise<void>;
}

interface CompiledRoute {
  key: string;
  method: string | undefined;
  pattern: RegExp;
  names: string[];
  answer: Reply | Handler | readonly Reply[];
}

function compileRoutes(routes: Routes): CompiledRoute[] {
  return Object.entries(routes).map(([key, answer]) => {
    const match = /^(?:([A-Z]+)\s+)?(\/\S*)$/.exec(key.trim());
    if (!match) throw new TypeError(`Invalid route ${JSON.stringify(key)}: expected "METHOD /path" or "/path".`);
    const names: string[] = [];
    const source = (match[2] as string)
      .split(/(\{\+?[A-Za-z_][A-Za-z0-9_]*\})/)
      .map((part) => {
        const param = /^\{(\+?)([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
        if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[2] as string);
        return param[1] === '+' ? '(.+)' : '([^/]+)';
      })
      .join('');
    return { key, method: match[1], pattern: new RegExp(`^${source}$`), names, answer };
  });
}

/**
 * `Link` header of RFC 8288, as GitHub paginates.
 * @example linkHeader({ next: `${server.url}/items?page=2`, last: `${server.url}/items?page=5` })
 */
export function linkHeader(links: Record<string, string>): string {
  return Object.entries(links)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(', ');
}

/**
 * A local HTTP server on 127.0.0.1 (random port) that records every request (method, URL, headers,
 * body) and answers from routes or from one handler: JSON, text, errors, pagination headers, delays
 * or dropped connections. `close()` ends open connections, so a test never hangs on a keep-alive.
 * @example
 * const server = await startRecordingServer({
 *   'GET /boards/{id}': (request) => ({ json: { id: request.params['id'] } }),
 *   'POST /cards': { status: 201, json: { id: 'c1' } },
 * });
 */
export async function startRecordingServer(
  handlerOrRoutes: Handler | Routes = () => ({ json: { ok: true } }),
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const compiled = typeof handlerOrRoutes === 'function' ? undefined : compileRoutes(handlerOrRoutes);
  const turns = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  const answer = async (recorded: RecordedRequest, index: number): Promise<Reply> => {
    if (typeof handlerOrRoutes === 'function') return handlerOrRoutes(recorded, index);
    for (const route of compiled ?? []) {
      if (route.method !== undefined && route.method !== recorded.method) continue;
      const match = route.pattern.exec(recorded.path);
      if (!match) continue;
      recorded.route = route.key;
      route.names.forEach((name, position) => {
        recorded.params[name] = decodeURIComponent(match[position + 1] as string);
      });
      if (typeof route.answer === 'function') return route.answer(recorded, index);
      if (Array.isArray(route.answer)) {
        const turn = turns.get(route.key) ?? 0;
        turns.set(route.key, turn + 1);
        return (route.answer as readonly Reply[])[Math.min(turn, route.answer.length - 1)] ?? {};
      }
      return route.answer as Reply;
    }
    return { status: 404, json: { error: 'no_route', message: `No route for ${recorded.method} ${recorded.path}` } };
  };

  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await record(incoming, outgoing);
    } finally {
      inFlight -= 1;
    }
  });
  const record = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const parsed = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    const recorded: RecordedRequest = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      host: headers['host'] ?? '',
      params: {},
    };
    const index = requests.push(recorded) - 1;
    let reply: Reply;
    try {
      reply = await answer(recorded, index);
    } catch (error) {
      reply = { status: 500, text: `recording server handler failed: ${String(error)}` };
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.destroy) {
      incoming.socket.destroy();
      return;
    }
    if (outgoing.destroyed) return;
    recorded.status = reply.status ?? 200;
    const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    outgoing.writeHead(reply.status ?? 200, {
      ...(reply.json !== undefined
        ? { 'content-type': 'application/json; charset=utf-8' }
        : reply.text !== undefined
          ? { 'content-type': 'text/plain' }
          : {}),
      ...reply.headers,
    });
    outgoing.end(body);
  };
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
    get maxInFlight() {
      return maxInFlight;
    },
    requestsTo: (route) => requests.filter((request) => request.route === route),
    clear: () => {
      requests.length = 0;
      turns.clear();
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
