import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for the outbound-app token endpoints of Descope's management API, as documented
 * at https://docs.descope.com/api/management/outbound-apps and implemented by Descope's SDKs:
 *
 * - `POST /v1/mgmt/outbound/app/user/token`          `{ appId, userId, scopes, tenantId?, options? }`
 * - `POST /v1/mgmt/outbound/app/user/token/latest`   `{ appId, userId, tenantId?, options? }`
 * - `POST /v1/mgmt/outbound/app/tenant/token`        `{ appId, tenantId, scopes, options? }`
 * - `POST /v1/mgmt/outbound/app/tenant/token/latest` `{ appId, tenantId, options? }`
 *
 * It answers `{ token: { ... } }` with `accessTokenExpiry` in epoch seconds as a JSON string (an
 * int64 of Descope's protobuf API), and errors as `{ errorCode, errorDescription, errorMessage }`
 * (the shape of Descope's Go SDK `Error`). The error codes used here are illustrative.
 *
 * `options` is `{ withRefreshToken?, forceRefresh? }` (booleans), as in Descope's SDKs; anything
 * else in it is refused, so a misspelled option fails loudly. With `forceRefresh: true`, a stored
 * token that has a refresh token is refreshed first, the way Descope refreshes it with the
 * third-party provider: it gets a new access token (`<old>-refreshed-<n>`) valid for an hour.
 * A token without a refresh token is returned as stored.
 */
export interface FakeDescopeOptions {
  projectId: string;
  managementKey: string;
}

export interface StoredToken {
  accessToken: string;
  scopes?: string[];
  /** Epoch seconds; sent as a string unless `rawExpiry` says otherwise. */
  expiresAtSeconds?: number;
  /** Sent as `accessTokenExpiry` verbatim, to try other encodings (`undefined` leaves the field out). */
  rawExpiry?: unknown;
  refreshToken?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

export interface ForcedReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface FakeDescope {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Stores a user's token; `tenantId` scopes it to one tenant. */
  connectUser(appId: string, userId: string, token: StoredToken, tenantId?: string): void;
  connectTenant(appId: string, tenantId: string, token: StoredToken): void;
  /** Wait this long before answering each request. */
  delayMs: number;
  /** When set, answers every request with this after the checks for the Authorization header. */
  forceReply: ((request: RecordedRequest) => ForcedReply | undefined) | undefined;
  /** How many stored tokens `forceRefresh` has refreshed. */
  refreshes: number;
  close(): Promise<void>;
}

const ROUTES = {
  '/v1/mgmt/outbound/app/user/token': { level: 'user', scoped: true },
  '/v1/mgmt/outbound/app/user/token/latest': { level: 'user', scoped: false },
  '/v1/mgmt/outbound/app/tenant/token': { level: 'tenant', scoped: true },
  '/v1/mgmt/outbound/app/tenant/token/latest': { level: 'tenant', scoped: false },
} as const;

const descopeError = (errorCode: string, errorDescription: string, errorMessage: string) => ({
  errorCode,
  errorDescription,
  errorMessage,
});

export async function startFakeDescope(options: FakeDescopeOptions): Promise<FakeDescope> {
  const requests: RecordedRequest[] = [];
  const userTokens = new Map<string, StoredToken>();
  const tenantTokens = new Map<string, StoredToken>();
  const sockets = new Set<Socket>();
  let tokenIds = 0;

  const fake: FakeDescope = {
    url: '',
    port: 0,
    requests,
    delayMs: 0,
    forceReply: undefined,
    refreshes: 0,
    connectUser(appId, userId, token, tenantId) {
      userTokens.set(JSON.stringify([appId, userId, tenantId ?? '']), { ...token });
    },
    connectTenant(appId, tenantId, token) {
      tenantTokens.set(JSON.stringify([appId, tenantId]), { ...token });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const answer = (request: RecordedRequest): ForcedReply => {
    const route = ROUTES[request.path as keyof typeof ROUTES];
    if (route === undefined)
      return { status: 404, json: descopeError('E011001', 'Bad request', `Unknown path ${request.path}`) };
    if (request.method !== 'POST')
      return { status: 405, json: descopeError('E011001', 'Bad request', `Method ${request.method} not allowed`) };

    const authorization = /^Bearer ([^:\s]+):(\S+)$/.exec(request.headers['authorization'] ?? '');
    if (authorization === null)
      return {
        status: 401,
        json: descopeError('E011006', 'Unauthorized', 'Missing or malformed Authorization header'),
      };
    if (authorization[1] !== options.projectId || authorization[2] !== options.managementKey) {
      return { status: 401, json: descopeError('E061004', 'Unauthorized', 'Invalid management key for this project') };
    }
    const forced = fake.forceReply?.(request);
    if (forced !== undefined) return forced;

    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return { status: 400, json: descopeError('E011001', 'Bad request', 'Content-Type must be application/json') };
    }
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { status: 400, json: descopeError('E011001', 'Bad request', 'Malformed JSON body') };
    const fields = body as Record<string, unknown>;
    const invalid = (name: string) => ({
      status: 400,
      json: descopeError('E011002', 'Request is invalid', `The ${name} argument is invalid`),
    });
    const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';
    if (!isId(fields['appId'])) return invalid('appId');
    if (route.level === 'user' && !isId(fields['userId'])) return invalid('userId');
    if (route.level === 'tenant' && !isId(fields['tenantId'])) return invalid('tenantId');
    if (fields['tenantId'] !== undefined && !isId(fields['tenantId'])) return invalid('tenantId');
    const scopes = fields['scopes'];
    if (route.scoped && (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isId)))
      return invalid('scopes');
    const allowed = new Set(['appId', 'userId', 'tenantId', 'scopes', 'options', 'externalIdentifier']);
    const unknown = Object.keys(fields).filter((key) => !allowed.has(key));
    if (unknown.length > 0)
      return { status: 400, json: descopeError('E011001', 'Bad request', `Unknown field ${unknown[0]}`) };

    const appId = fields['appId'];
    const tenantId = fields['tenantId'] as string | undefined;
    const userId = fields['userId'] as string | undefined;
    const stored =
      route.level === 'user'
        ? userTokens.get(JSON.stringify([appId, userId, tenantId ?? '']))
        : tenantTokens.get(JSON.stringify([appId, tenantId]));
    if (stored === undefined)
      return {
        status: 404,
        json: descopeError('E112201', 'Outbound app token not found', `No token for app ${appId}`),
      };
    if (route.scoped && !(scopes as string[]).every((scope) => stored.scopes?.includes(scope))) {
      return {
        status: 404,
        json: descopeError('E112201', 'Outbound app token not found', 'No token with the requested scopes'),
      };
    }

    const fetchOptions = fields['options'];
    if (fetchOptions !== undefined) {
      const known = new Set(['withRefreshToken', 'forceRefresh']);
      if (typeof fetchOptions !== 'object' || fetchOptions === null || Array.isArray(fetchOptions))
        return invalid('options');
      if (Object.entries(fetchOptions).some(([key, value]) => !known.has(key) || typeof value !== 'boolean'))
        return invalid('options');
    }
    const { withRefreshToken = false, forceRefresh = false } = (fetchOptions ?? {}) as {
      withRefreshToken?: boolean;
      forceRefresh?: boolean;
    };
    const now = Math.floor(Date.now() / 1000);
    if (forceRefresh && stored.refreshToken !== undefined) {
      fake.refreshes += 1;
      stored.accessToken = `${stored.accessToken.replace(/-refreshed-\d+$/, '')}-refreshed-${fake.refreshes}`;
      stored.expiresAtSeconds = now + 3600;
      delete stored.rawExpiry;
    }
    const token: Record<string, unknown> = {
      id: `tok-${++tokenIds}`,
      appId,
      userId: userId ?? '',
      tokenSub: `sub-${userId ?? tenantId}`,
      accessToken: stored.accessToken,
      accessTokenType: 'bearer',
      accessTokenExpiry: 'rawExpiry' in stored ? stored.rawExpiry : String(stored.expiresAtSeconds ?? now + 3600),
      hasRefreshToken: stored.refreshToken !== undefined,
      lastRefreshTime: String(now),
      scopes: stored.scopes ?? [],
      grantedBy: userId ?? 'admin',
    };
    if (tenantId !== undefined) token['tenantId'] = tenantId;
    if (withRefreshToken && stored.refreshToken !== undefined) token['refreshToken'] = stored.refreshToken;
    return { status: 200, json: { token } };
  };

  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname,
      headers,
      body,
      json,
    };
    requests.push(recorded);
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    if (outgoing.destroyed) return;
    const reply = answer(recorded);
    outgoing.writeHead(reply.status, {
      'content-type': reply.text === undefined ? 'application/json' : 'text/plain',
      ...reply.headers,
    });
    outgoing.end(reply.text ?? JSON.stringify(reply.json));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.port = port;
  return fake;
}
