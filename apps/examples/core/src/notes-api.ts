// A small fake third-party API, "Notes", served on 127.0.0.1 so the example runs offline.
// It accepts an API key (X-Api-Key header or api_key query parameter), a bearer token or HTTP
// Basic, like many real APIs do, and records how each request was authenticated so the example
// can show where Plugboard placed the credential. It never records credential values.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NotesAccount {
  user: string;
  apiKey?: string;
  token?: string;
  username?: string;
  password?: string;
}

export interface Note {
  id: string;
  title: string;
  body: string;
}

export type CredentialKind = 'X-Api-Key header' | 'api_key query' | 'Bearer token' | 'Basic auth' | 'none' | 'invalid';

/** What the server saw of one request: never a credential value. */
export interface RecordedRequest {
  method: string;
  path: string;
  region: 'us' | 'eu';
  credential: CredentialKind;
  /** The account the credential belongs to, when it was valid. */
  user: string | undefined;
}

export interface NotesApi {
  /** `http://127.0.0.1:<port>`; the API lives under `/v1` (and `/eu/v1`). */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startNotesApi(
  accounts: readonly NotesAccount[],
  seed: Record<string, Note[]>,
): Promise<NotesApi> {
  const notesByUser = new Map(Object.entries(seed).map(([user, notes]) => [user, [...notes]]));
  const requests: RecordedRequest[] = [];
  let nextId = 100;

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, { message: 'Internal error' }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://notes.local');
    const match = /^(\/eu)?\/v1(\/.*)$/.exec(url.pathname);
    const method = request.method ?? 'GET';
    const { credential, user, presented } = authenticate(request, url);
    requests.push({ method, path: url.pathname, region: match?.[1] ? 'eu' : 'us', credential, user });

    if (!match) return send(response, 404, { message: `No route for ${url.pathname}` });
    const route = match[2] as string;

    if (method === 'GET' && route === '/status')
      return send(response, 200, { status: 'ok', region: match[1] ? 'eu' : 'us' });

    if (user === undefined) {
      // Like some real APIs, the 401 echoes what it was given; Plugboard redacts it from errors.
      return send(response, 401, {
        message: presented ? `Invalid credentials: ${presented}` : 'Authentication required',
      });
    }
    const notes = notesByUser.get(user) ?? [];
    notesByUser.set(user, notes);

    if (method === 'GET' && route === '/notes') {
      const limit = Number(url.searchParams.get('limit') ?? '20');
      return send(response, 200, { notes: notes.slice(0, limit), total: notes.length });
    }
    const noteMatch = /^\/notes\/([^/]+)$/.exec(route);
    if (method === 'GET' && noteMatch) {
      const id = decodeURIComponent(noteMatch[1] as string);
      const note = notes.find((candidate) => candidate.id === id);
      return note ? send(response, 200, note) : send(response, 404, { error: { message: `Note ${id} not found` } });
    }
    if (method === 'POST' && route === '/notes') {
      const body = JSON.parse((await readBody(request)) || '{}') as Partial<Note>;
      if (typeof body.title !== 'string' || body.title === '')
        return send(response, 422, { message: 'title is required' });
      const note: Note = {
        id: `n${nextId++}`,
        title: body.title,
        body: typeof body.body === 'string' ? body.body : '',
      };
      notes.push(note);
      return send(response, 201, note);
    }
    return send(response, 404, { message: `No route for ${method} ${url.pathname}` });
  }

  function authenticate(
    request: IncomingMessage,
    url: URL,
  ): { credential: CredentialKind; user: string | undefined; presented: string | undefined } {
    const headerKey = request.headers['x-api-key'];
    const queryKey = url.searchParams.get('api_key');
    const authorization = request.headers.authorization;
    if (typeof headerKey === 'string')
      return check('X-Api-Key header', headerKey, (account) => account.apiKey === headerKey);
    if (queryKey !== null) return check('api_key query', queryKey, (account) => account.apiKey === queryKey);
    if (authorization?.startsWith('Bearer ')) {
      const token = authorization.slice('Bearer '.length);
      return check('Bearer token', token, (account) => account.token === token);
    }
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const username = decoded.slice(0, separator);
      const password = decoded.slice(separator + 1);
      return check(
        'Basic auth',
        authorization,
        (account) => account.username === username && account.password === password,
      );
    }
    return { credential: 'none', user: undefined, presented: undefined };
  }

  function check(kind: CredentialKind, presented: string, matches: (account: NotesAccount) => boolean) {
    const account = accounts.find(matches);
    return account
      ? { credential: kind, user: account.user, presented }
      : { credential: 'invalid' as const, user: undefined, presented };
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
