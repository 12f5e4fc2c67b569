import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRedactor, PlugboardError, serializeError, type Toolset } from '@plugboard/core';
import { HTTPException } from 'hono/http-exception';
import { cors } from 'hono/cors';
import type { Context } from 'hono';
import type { ControlStore } from './control/control-store.js';
import { createKeyVerifier } from './control/key-cache.js';
import { authenticate } from './http/authenticate.js';
import { bodyLimit } from './http/body-limit.js';
import { problemOf, problemResponse, statusOf } from './http/problem.js';
import { rateLimit } from './http/rate-limit.js';
import { requestLog, type Logger } from './http/request-log.js';
import { createRouter } from './http/router.js';
import type { ServerEnv } from './http/server-env.js';
import type { ProjectToolsets } from './projects/project-toolsets.js';
import { renderReferencePage, REFERENCE_PAGE_HEADERS } from './reference-page.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { catalogueRoutes } from './routes/catalogue-routes.js';
import { connectLinkRoutes, connectPageRoutes } from './routes/connect-routes.js';
import { connectionRoutes } from './routes/connection-routes.js';
import { executionRoutes } from './routes/execution-routes.js';
import { integrationRoutes } from './routes/integration-routes.js';
import { mcpRoutes } from './routes/mcp-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { toolRoutes } from './routes/tool-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import type { WebhookOutbox } from './webhooks/webhook-outbox.js';

export interface ServerAppOptions {
  control: ControlStore;
  toolsets: ProjectToolsets;
  /** A toolset over an empty store, for OAuth callbacks naming no known project. */
  emptyToolset: Toolset;
  publicUrl: string;
  corsOrigins: readonly string[];
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** How long a key check is reused, in milliseconds; a key revoked elsewhere works here for at most this long. 0: no reuse. @default 5000 */
  keyCacheMs?: number;
  logger: Logger;
  /** The version shown in the OpenAPI document. */
  version: string;
  /**
   * Signs connect links and the connect page's cookies (`PLUGBOARD_CONNECT_SECRET`, 32 characters or more).
   * Without it a random one is made per process: links then work only on the instance that made them, until it restarts.
   */
  connectSecret?: string | undefined;
  /** Webhook endpoints and their delivery logs; without it, the server has no webhook routes. */
  webhooks?: WebhookOutbox;
}

const API_DESCRIPTION =
  'The Plugboard toolset over HTTP: the catalogue of apps and actions, integrations, connections, execution, an ' +
  'authenticated proxy and agent tools. Every `/v1` route but the OAuth callback needs an API key ' +
  '(`Authorization: Bearer pbk_...`); errors are RFC 9457 `application/problem+json` with a stable `code`.';

/** The HTTP API as a Web-standard app: `app.fetch(Request) -> Response`, nothing Node-specific. */
export function createServerApp(options: ServerAppOptions): OpenAPIHono<ServerEnv> {
  const app = createRouter();
  app.use('*', requestLog(options.logger));
  if (options.corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
        allowHeaders: ['authorization', 'content-type', 'x-api-key'],
        exposeHeaders: ['retry-after', 'x-request-id', 'ratelimit-limit', 'ratelimit-remaining'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '*',
    bodyLimit({
      maxSize: options.bodyLimitBytes,
      onError: (c) => {
        c.set('errorCode', 'PAYLOAD_TOO_LARGE');
        return problemResponse({
          ...problemOf({
            code: 'PAYLOAD_TOO_LARGE',
            message: `The request body is larger than this server accepts (${options.bodyLimitBytes} bytes).`,
          }),
          requestId: c.get('requestId'),
        });
      },
    }),
  );

  // Before the authenticated routes, so the OAuth callback answers without a key.
  app.route('/', systemRoutes(options));
  const connectSecret = options.connectSecret ?? randomSecret();
  app.route('/', connectPageRoutes({ ...options, secret: connectSecret }));

  const keys = createKeyVerifier(options.control, { ttlMs: options.keyCacheMs ?? 5_000 });
  // Revocations and rotations made through this process take effect in it at once.
  const control: ControlStore = {
    ...options.control,
    async updateApiKey(projectId, id, changes) {
      const updated = await options.control.updateApiKey(projectId, id, changes);
      keys.forget(id);
      return updated;
    },
  };
  const v1 = createRouter();
  v1.use('*', authenticate(keys, options.toolsets));
  v1.use('*', rateLimit(options.rateLimitPerMinute));
  v1.route('/', catalogueRoutes());
  v1.route('/', integrationRoutes());
  v1.route('/', connectionRoutes({ publicUrl: options.publicUrl }));
  v1.route('/', executionRoutes());
  v1.route('/', toolRoutes());
  v1.route('/', mcpRoutes({ version: options.version }));
  v1.route('/', apiKeyRoutes(control));
  v1.route('/', connectLinkRoutes({ publicUrl: options.publicUrl, secret: connectSecret }));
  if (options.webhooks) v1.route('/', webhookRoutes(options.webhooks));
  app.route('/v1', v1);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A project API key, `pbk_...`; `X-API-Key: pbk_...` works too.',
  });
  const documentConfig = {
    openapi: '3.1.0',
    info: { title: 'Plugboard API', version: options.version, description: API_DESCRIPTION },
    servers: [{ url: options.publicUrl }],
    security: [{ apiKey: [] }],
  };
  app.doc31('/openapi.json', documentConfig);
  let page: string | undefined;
  app.get('/reference', (c) => {
    page ??= renderReferencePage(app.getOpenAPI31Document(documentConfig) as unknown as Record<string, unknown>);
    return c.body(page, 200, REFERENCE_PAGE_HEADERS);
  });
  app.get('/', (c) => c.redirect('/reference'));

  app.notFound((c) => {
    c.set('errorCode', 'NOT_FOUND');
    return problemResponse({
      ...problemOf({ code: 'NOT_FOUND', message: `No route ${c.req.method} ${new URL(c.req.url).pathname}.` }),
      requestId: c.get('requestId'),
    });
  });

  app.onError(async (error, c) => {
    if (PlugboardError.isInstance(error)) {
      c.set('errorCode', error.code);
      if (statusOf(error.code) >= 500) logUnexpected(options.logger, c, error);
      return problemResponse({ ...problemOf(serializeError(error)), requestId: c.get('requestId') });
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals: malformed JSON, a body that is not the declared content type.
      c.set('errorCode', 'INVALID_PARAMS');
      return problemResponse({
        ...problemOf({ code: 'INVALID_PARAMS', message: error.message || 'The request could not be read.' }),
        requestId: c.get('requestId'),
      });
    }
    c.set('errorCode', 'INTERNAL_ERROR');
    await logUnexpected(options.logger, c, error);
    return problemResponse({
      ...problemOf({
        code: 'INTERNAL_ERROR',
        message: `Something failed inside the server; the log line with request id ${c.get('requestId')} says what.`,
      }),
      requestId: c.get('requestId'),
    });
  });

  return app;
}

/**
 * Logs an error the caller cannot fix. Its message passes a redactor that knows every string the
 * request carried (the key, the body's values), so a secret echoed into an exception stays out of the log.
 */
async function logUnexpected(logger: Logger, c: Context<ServerEnv>, error: unknown): Promise<void> {
  const secrets: string[] = [];
  for (const name of ['authorization', 'x-api-key']) {
    const value = c.req.raw.headers.get(name);
    if (value) secrets.push(value);
  }
  const body = await c.req.json().catch(() => undefined);
  collectStrings(body, secrets);
  const redactor = createRedactor(secrets);
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  logger({
    time: new Date().toISOString(),
    level: 'error',
    message: 'unexpected error',
    requestId: c.get('requestId'),
    error: { name, message: redactor.text(message) },
  });
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) collectStrings(item, into);
}
