import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  ErrorCodes,
  PlugboardError,
  apiKeyScheme,
  basicScheme,
  bearerTokenScheme,
  createToolset,
  defineAction,
  defineConnector,
  oauth2Scheme,
  serializeError,
  type ActionResult,
  type CustomAuth,
  type ExecuteOptions,
  type HttpMethod,
} from './index.js';
import { REDACTED } from './internal.js';

describe('PlugboardError', () => {
  it('carries a stable code equal to its ErrorCodes key', () => {
    for (const [key, code] of Object.entries(ErrorCodes)) expect(code).toBe(key);
    const error = new PlugboardError('TIMEOUT', 'Request timed out.', {
      status: 504,
      retryable: true,
      details: { attempt: 1 },
    });
    expect(error.code).toBe('TIMEOUT');
    expect(error.name).toBe('PlugboardError');
    expect(error.message).toBe('Request timed out.');
    expect(error).toBeInstanceOf(Error);
    expect(error.stack).toContain('Request timed out.');
  });

  it('serializes to code, message and the options that were given, and nothing else', () => {
    const full = new PlugboardError('UPSTREAM_ERROR', 'Request failed', {
      status: 404,
      retryable: false,
      details: { body: { message: 'Not Found' } },
    });
    expect(full.toJSON()).toEqual({
      code: 'UPSTREAM_ERROR',
      message: 'Request failed',
      status: 404,
      retryable: false,
      details: { body: { message: 'Not Found' } },
    });
    expect(JSON.parse(JSON.stringify(full))).toEqual(full.toJSON());
    expect(serializeError(full)).toEqual(full.toJSON());

    const bare = new PlugboardError('APP_NOT_FOUND', 'No app "x".');
    expect(JSON.stringify(bare)).toBe('{"code":"APP_NOT_FOUND","message":"No app \\"x\\"."}');
    expect(Object.keys(bare)).not.toContain('status');
    expect(Object.keys(bare)).not.toContain('details');
  });

  it('does not show its marker when inspected', () => {
    const error = new PlugboardError('TIMEOUT', 'x');
    expect(Object.getOwnPropertyDescriptor(error, Symbol.for('plugboard.error'))).toMatchObject({
      value: true,
      enumerable: false,
    });
    expect(inspect(error)).not.toContain('plugboard.error');
  });

  describe('isInstance', () => {
    it('recognises errors from a second copy of @plugboard/core, where instanceof fails', async () => {
      // A query suffix makes the module loader evaluate errors.ts again: a separate class, as with two installed copies.
      const path = './errors.js?second-copy';
      const second = (await import(/* @vite-ignore */ path)) as typeof import('./errors.js');
      expect(second.PlugboardError).not.toBe(PlugboardError);
      const foreign = new second.PlugboardError('NO_CREDENTIALS', 'none');
      expect(foreign instanceof PlugboardError).toBe(false);
      expect(PlugboardError.isInstance(foreign)).toBe(true);
      expect(PlugboardError.isInstance(foreign, 'NO_CREDENTIALS')).toBe(true);
      expect(PlugboardError.isInstance(foreign, 'TIMEOUT')).toBe(false);
      expect(second.PlugboardError.isInstance(new PlugboardError('TIMEOUT', 'x'))).toBe(true);
    });

    it('recognises any object carrying the registry-wide marker', () => {
      class OtherCopyError extends Error {
        readonly code = 'TIMEOUT';
        constructor() {
          super('from another copy');
          Object.defineProperty(this, Symbol.for('plugboard.error'), { value: true, enumerable: false });
        }
      }
      expect(PlugboardError.isInstance(new OtherCopyError())).toBe(true);
      expect(PlugboardError.isInstance(new OtherCopyError(), 'TIMEOUT')).toBe(true);
    });

    it('is false for plain errors and look-alikes', () => {
      const withCode = Object.assign(new Error('x'), { code: 'TIMEOUT', name: 'PlugboardError' });
      const localSymbol = new Error('x');
      Object.defineProperty(localSymbol, Symbol('plugboard.error'), { value: true });
      const notTrue = new Error('x');
      Object.defineProperty(notTrue, Symbol.for('plugboard.error'), { value: 'yes' });
      for (const value of [
        new Error('x'),
        new TypeError('x'),
        withCode,
        localSymbol,
        notTrue,
        { code: 'TIMEOUT', message: 'x' },
        null,
        undefined,
        'PlugboardError',
        42,
      ]) {
        expect(PlugboardError.isInstance(value)).toBe(false);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Redaction along real failure paths.

/** No quote or backslash, so JSON.stringify and util.inspect would show it verbatim if it leaked. */
const SECRET = 'sk_live_9f8E7d/6c+5b=4a&3 z~Q';
const USERNAME = 'alice';
const BASIC_BASE64 = btoa(`${USERNAME}:${SECRET}`);

/** Every form the secret takes on the wire; none may appear anywhere in an error. */
const SECRET_FORMS = [
  SECRET,
  encodeURIComponent(SECRET),
  new URLSearchParams({ s: SECRET }).toString().slice(2),
  BASIC_BASE64,
];

function expectNoSecret(label: string, value: unknown): void {
  const renderings = [
    JSON.stringify(value),
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
  ];
  if (value instanceof Error) renderings.push(value.message, String(value.stack));
  for (const rendering of renderings) {
    for (const form of SECRET_FORMS) {
      expect(
        rendering.includes(form),
        `${label}: the secret (as ${JSON.stringify(form)}) leaked into ${rendering}`,
      ).toBe(false);
    }
  }
}

interface TestServer {
  baseUrl: string;
  port: number;
  requests: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => void,
): Promise<TestServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      started.requests++;
      handler(request, response, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const started: TestServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Everything the server received that could carry the credential, as a careless API would echo it. */
function echo(request: IncomingMessage, body: string) {
  const authorization = request.headers.authorization ?? '';
  const basic = authorization.startsWith('Basic ')
    ? Buffer.from(authorization.slice(6), 'base64').toString('utf8')
    : '';
  let bodyKey = '';
  try {
    bodyKey = String((JSON.parse(body) as { api_key?: unknown }).api_key ?? '');
  } catch {
    // Not JSON: nothing to pick from it.
  }
  // The bare credential the client presented: the Basic password, the bearer token, the query key or the body key.
  const presented =
    basic !== ''
      ? basic.slice(basic.indexOf(':') + 1)
      : authorization.replace(/^Bearer /, '') ||
        new URL(request.url ?? '/', 'http://x').searchParams.get('access_key') ||
        bodyKey;
  return { authorization, credentials: authorization.replace(/^\S+ /, ''), presented, url: request.url ?? '', body };
}

type Mode = '401' | '500' | 'timeout' | 'refused';

function handlerFor(mode: Exclude<Mode, 'refused'>) {
  return (request: IncomingMessage, response: ServerResponse, body: string) => {
    const echoed = echo(request, body);
    if (mode === 'timeout') return; // Never answer.
    if (mode === '401') {
      // The status line and a request-id header echo the credential too.
      response.writeHead(401, `Bad token ${echoed.credentials}`, {
        'content-type': 'application/json',
        'x-request-id': `req-${echoed.presented}`,
      });
      response.end(
        JSON.stringify({
          message: `Bad credentials: ${echoed.presented}`,
          documentation_url: 'https://docs.acme.test/auth',
          received: {
            authorization: echoed.authorization,
            credentials: echoed.credentials,
            url: echoed.url,
            body: echoed.body,
            you_sent: echoed.presented,
          },
        }),
      );
      return;
    }
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(
      `Internal error while checking ${echoed.authorization} (${echoed.credentials}) for ${echoed.url} ${echoed.body} ${echoed.presented}`,
    );
  };
}

function acmeConnector(baseUrl: string) {
  return defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [
      bearerTokenScheme(),
      // A query name the redactor does not know as sensitive: only the known secret protects it.
      apiKeyScheme({
        fields: [{ name: 'region', required: false }],
        placements: [{ in: 'query', name: 'access_key', value: '{{api_key}}' }],
      }),
      basicScheme(),
      oauth2Scheme({ authorizationUrl: `${baseUrl}/oauth/authorize`, tokenUrl: `${baseUrl}/oauth/token` }),
    ],
    actions: [
      defineAction({
        name: 'ACME_GET_THING',
        description: 'Get a thing.',
        input: z.object({ id: z.string() }),
        request: 'GET /things/{id}',
      }),
      defineAction({
        name: 'ACME_CREATE_THING',
        description: 'Create a thing.',
        input: z.object({ title: z.string() }),
        request: 'POST /things',
      }),
    ],
  });
}

interface Setup {
  name: string;
  method: HttpMethod;
  /** Connects the credential on a fresh toolset and returns the options that select it. */
  connect(toolset: ReturnType<typeof createToolset>): Promise<ExecuteOptions>;
  /** What the redacted URL in a message looks like after the path. */
  urlSuffix: string;
  /** The credential travels in the Authorization header. */
  inAuthorization: boolean;
}

const SETUPS: Setup[] = [
  {
    name: 'bearer token in a header (connection)',
    method: 'GET',
    urlSuffix: '/things/x',
    inAuthorization: true,
    async connect(toolset) {
      const request = await toolset.initiateConnection({
        app: 'acme',
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token: SECRET },
      });
      return { connectedAccountId: request.connectedAccountId };
    },
  },
  {
    name: 'bearer token in a header (addAuth)',
    method: 'GET',
    urlSuffix: '/things/x',
    inAuthorization: true,
    async connect(toolset) {
      toolset.addAuth('acme', { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${SECRET}` }] });
      return {};
    },
  },
  {
    name: 'API key in the query (connection)',
    method: 'GET',
    urlSuffix: `/things/x?access_key=${REDACTED}`,
    inAuthorization: false,
    async connect(toolset) {
      const request = await toolset.initiateConnection({
        app: 'acme',
        authMode: 'API_KEY',
        entityId: 'user-1',
        connectedAccountParams: { api_key: SECRET },
      });
      expect(request.connectionStatus).toBe('ACTIVE');
      return { entityId: 'user-1' };
    },
  },
  {
    name: 'API key in the body (per-call auth)',
    method: 'POST',
    urlSuffix: '/things',
    inAuthorization: false,
    async connect() {
      const auth: CustomAuth = { parameters: [{ name: 'api_key', in: 'body', value: SECRET }] };
      return { auth };
    },
  },
  {
    name: 'Basic password (connection)',
    method: 'GET',
    urlSuffix: '/things/x',
    inAuthorization: true,
    async connect(toolset) {
      const request = await toolset.initiateConnection({
        app: 'acme',
        authMode: 'BASIC',
        connectedAccountParams: { username: USERNAME, password: SECRET },
      });
      return { connectedAccountId: request.connectedAccountId };
    },
  },
];

const MODES: Mode[] = ['401', '500', 'timeout', 'refused'];

async function baseUrlFor(mode: Mode): Promise<{ baseUrl: string; server?: TestServer }> {
  if (mode === 'refused') {
    const closed = await startServer(() => undefined);
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    return { baseUrl: closed.baseUrl };
  }
  const server = await startServer(handlerFor(mode));
  return { baseUrl: server.baseUrl, server };
}

function expectModeError(
  error: { code: string; message: string; status?: number; retryable?: boolean; details?: unknown },
  mode: Mode,
  setup: Setup,
  baseUrl: string,
) {
  const target = `${setup.method} ${baseUrl}${setup.urlSuffix}`;
  expect(error.message).toContain(target);
  switch (mode) {
    case '401': {
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/^Request failed with status 401 /);
      expect(error.message).toContain('Bad credentials');
      // The upstream body is kept for debugging, with the credential replaced.
      const body = (
        error.details as { body: { message: string; documentation_url: string; received: Record<string, string> } }
      ).body;
      expect(body.documentation_url).toBe('https://docs.acme.test/auth');
      expect(body.message).toBe(`Bad credentials: ${REDACTED}`);
      expect(body.received['you_sent']).toBe(REDACTED);
      expect(body.received['authorization']).toBe(setup.inAuthorization ? REDACTED : '');
      expect(body.received['credentials']).toBe(setup.inAuthorization ? REDACTED : '');
      expect(JSON.stringify(body)).toContain(
        setup.method === 'POST' ? '"body":"{\\"title\\":\\"t\\",\\"api_key\\":\\"[REDACTED]\\"}"' : '"url":"/things/x',
      );
      break;
    }
    case '500':
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.status).toBe(500);
      expect(error.retryable).toBe(true);
      expect((error.details as { body: string }).body).toMatch(/^Internal error while checking /);
      expect((error.details as { body: string }).body).toContain(REDACTED);
      break;
    case 'timeout':
      expect(error.code).toBe('TIMEOUT');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('timed out after 200 ms');
      break;
    case 'refused':
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('ECONNREFUSED');
      break;
  }
}

describe('secrets never appear in errors from real failure paths', () => {
  for (const setup of SETUPS) {
    describe(setup.name, () => {
      it.each(MODES)('%s: executeAction, proxy and a custom action’s request', async (mode) => {
        const { baseUrl, server } = await baseUrlFor(mode);
        // Only the hanging server needs a short timeout; the others get a long one, so a slow
        // machine never turns their answer into a TIMEOUT.
        const toolset = createToolset({
          connectors: [acmeConnector(baseUrl)],
          http: { timeoutMs: mode === 'timeout' ? 200 : 15_000, retries: 0 },
        });
        const captured: unknown[] = [];
        toolset.createAction({
          name: 'ACME_PROBE',
          description: 'Makes one request and keeps the error it throws.',
          app: 'acme',
          input: z.object({}),
          run: async ({ request }) => {
            try {
              return await (setup.method === 'POST'
                ? request({ method: 'POST', path: '/things', body: { title: 't' } })
                : request({ method: 'GET', path: '/things/{id}', pathParams: { id: 'x' } }));
            } catch (error) {
              captured.push(error);
              throw error;
            }
          },
        });
        const options = await setup.connect(toolset);

        const results: Array<[string, ActionResult]> = [
          [
            'executeAction',
            setup.method === 'POST'
              ? await toolset.executeAction('ACME_CREATE_THING', { title: 't' }, options)
              : await toolset.executeAction('ACME_GET_THING', { id: 'x' }, options),
          ],
          [
            'proxy',
            setup.method === 'POST'
              ? await toolset.proxy({ app: 'acme', method: 'POST', path: '/things', body: { title: 't' }, ...options })
              : await toolset.proxy({
                  app: 'acme',
                  method: 'GET',
                  path: '/things/{id}',
                  pathParams: { id: 'x' },
                  ...options,
                }),
          ],
          ['custom action', await toolset.executeAction('ACME_PROBE', {}, options)],
        ];
        if (server) expect(server.requests).toBe(3);

        for (const [label, result] of results) {
          expect(result.successful, label).toBe(false);
          if (result.successful) continue;
          expectModeError(result.error, mode, setup, baseUrl);
          expectNoSecret(`${label} result`, result);
        }

        // The PlugboardError exactly as context.request threw it, before the toolset redacts it again.
        expect(captured).toHaveLength(1);
        const thrown = captured[0];
        expect(PlugboardError.isInstance(thrown)).toBe(true);
        expectModeError(thrown as PlugboardError, mode, setup, baseUrl);
        expectNoSecret('thrown error', thrown);
      });
    });
  }

  it('the server really received the secret, so the checks above are not vacuous', async () => {
    const seen: string[] = [];
    const server = await startServer((request, response, body) => {
      seen.push(JSON.stringify(echo(request, body)));
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const toolset = createToolset({ connectors: [acmeConnector(server.baseUrl)], http: { retries: 0 } });
    for (const setup of SETUPS) {
      const options = await setup.connect(toolset);
      await (setup.method === 'POST'
        ? toolset.executeAction('ACME_CREATE_THING', { title: 't' }, options)
        : toolset.executeAction('ACME_GET_THING', { id: 'x' }, options));
      toolset.removeAuth('acme');
    }
    expect(seen).toHaveLength(SETUPS.length);
    for (const line of seen) expect(line).toContain(SECRET);
  });

  it('INVALID_PARAMS: bad input with a secret credential sends nothing and echoes nothing', async () => {
    const server = await startServer(handlerFor('401'));
    const toolset = createToolset({ connectors: [acmeConnector(server.baseUrl)], http: { retries: 0 } });
    const request = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      connectedAccountParams: { token: SECRET },
    });

    const badInput = await toolset.executeAction(
      'ACME_GET_THING',
      { id: 42 },
      { connectedAccountId: request.connectedAccountId },
    );
    expect(badInput.successful).toBe(false);
    expect(badInput.error?.code).toBe('INVALID_PARAMS');
    expect(badInput.error?.message).toContain('id');
    expectNoSecret('invalid input', badInput);

    const badAuth = await toolset.executeAction(
      'ACME_GET_THING',
      { id: 'x' },
      { auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${SECRET}\r\nX-Admin: 1` }] } },
    );
    expect(badAuth.error?.code).toBe('INVALID_PARAMS');
    expect(badAuth.error?.message).toContain('"Authorization"');
    expectNoSecret('CRLF in per-call auth', badAuth);

    const badPath = await toolset.proxy({
      app: 'acme',
      method: 'GET',
      path: '/things/{id}',
      pathParams: { id: '..' },
      connectedAccountId: request.connectedAccountId,
    });
    expect(badPath.error?.code).toBe('INVALID_PARAMS');
    expectNoSecret('dot-dot path', badPath);

    expect(server.requests).toBe(0);
  });

  it('NO_CREDENTIALS and CONNECTION_NOT_FOUND do not echo credentials held for others', async () => {
    const server = await startServer(handlerFor('401'));
    const toolset = createToolset({ connectors: [acmeConnector(server.baseUrl)], http: { retries: 0 } });
    await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      entityId: 'alice',
      connectedAccountParams: { token: SECRET },
    });

    const none = await toolset.executeAction('ACME_GET_THING', { id: 'x' }, { entityId: 'bob' });
    expect(none.error?.code).toBe('NO_CREDENTIALS');
    expect(none.error?.message).toContain('"bob"');
    expectNoSecret('no credentials', none);

    toolset.addAuth('acme', { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${SECRET}` }] });
    const missing = await toolset.executeAction(
      'ACME_GET_THING',
      { id: 'x' },
      { connectedAccountId: 'no-such-connection' },
    );
    expect(missing.error?.code).toBe('CONNECTION_NOT_FOUND');
    expect(missing.error?.message).toContain('no-such-connection');
    expectNoSecret('connection not found', missing);
    const missingProxy = await toolset.proxy({
      app: 'acme',
      method: 'GET',
      path: '/x',
      connectedAccountId: 'no-such-connection',
    });
    expect(missingProxy.error?.code).toBe('CONNECTION_NOT_FOUND');
    expectNoSecret('connection not found (proxy)', missingProxy);

    expect(server.requests).toBe(0);
  });
});

describe('thrown errors name the problem, never the secret', () => {
  async function thrownBy(run: () => unknown): Promise<PlugboardError> {
    let thrown: unknown;
    try {
      await run();
    } catch (error) {
      thrown = error;
    }
    expect(PlugboardError.isInstance(thrown), `expected a PlugboardError, got ${String(thrown)}`).toBe(true);
    expectNoSecret('thrown', thrown);
    return thrown as PlugboardError;
  }

  const toolset = () => createToolset({ connectors: [acmeConnector('http://127.0.0.1:9')] });

  it('addAuth with a CRLF header value', async () => {
    const error = await thrownBy(() =>
      toolset().addAuth('acme', {
        parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${SECRET}\r\nX-Admin: 1` }],
      }),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toContain('"Authorization"');
  });

  it('addAuth with a secret that is not a DNS label in a subdomain', async () => {
    const error = await thrownBy(() =>
      toolset().addAuth('acme', { parameters: [{ name: 'shop', in: 'subdomain', value: SECRET }] }),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toContain('"shop"');
  });

  it('createIntegration with a missing field but a secret client_secret', async () => {
    const error = await thrownBy(() =>
      toolset().createIntegration({ app: 'acme', authMode: 'OAUTH2', authConfig: { client_secret: SECRET } }),
    );
    expect(error.code).toBe('INVALID_AUTH_CONFIG');
    expect(error.message).toContain('"client_id"');
    expect(error.details).toMatchObject({ missing: ['client_id'] });
  });

  it('createIntegration with an unknown field and a secret', async () => {
    const error = await thrownBy(() =>
      toolset().createIntegration({
        app: 'acme',
        authMode: 'OAUTH2',
        authConfig: { client_id: 'cid', client_secret: SECRET, secret_too: SECRET },
      }),
    );
    expect(error.code).toBe('INVALID_AUTH_CONFIG');
    expect(error.message).toContain('"secret_too"');
  });

  it('initiateConnection whose placement needs a field the user left out', async () => {
    const connector = defineConnector({
      id: 'acme',
      name: 'Acme',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: 'http://127.0.0.1:9',
      authSchemes: [
        apiKeyScheme({
          fields: [{ name: 'region', required: false }],
          placements: [
            { in: 'header', name: 'X-Api-Key', value: '{{api_key}}' },
            { in: 'query', name: 'region', value: '{{region}}' },
          ],
        }),
      ],
      actions: [],
    });
    const error = await thrownBy(() =>
      createToolset({ connectors: [connector] }).initiateConnection({
        app: 'acme',
        connectedAccountParams: { api_key: SECRET },
      }),
    );
    expect(error.code).toBe('NO_CREDENTIALS');
    expect(error.message).toContain('"region"');
  });

  it('a Basic username with ":" next to a secret password', async () => {
    const error = await thrownBy(() =>
      toolset().initiateConnection({
        app: 'acme',
        authMode: 'BASIC',
        connectedAccountParams: { username: 'a:b', password: SECRET },
      }),
    );
    expect(error.code).toBe('INVALID_PARAMS');
  });
});
