import { createRequire } from 'node:module';
import { createToolset, type Connector, type Toolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { trello } from '@plugboard/trello';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ServerConfig } from './config.js';
import { stdoutLogger, type Logger } from './http/request-log.js';
import type { ServerEnv } from './http/server-env.js';
import { createProjectToolsets, type SharedToolsetOptions } from './projects/project-toolsets.js';
import { embeddedStorage, postgresStorage, type ServerStorage } from './projects/server-storage.js';
import { createServerApp } from './server-app.js';
import { DEFAULT_RETRY_POLICY, type WebhookRetryPolicy } from './webhooks/retry-schedule.js';
import type { WebhookOutbox } from './webhooks/webhook-outbox.js';
import { createWebhookPublisher, type WebhookPublisher } from './webhooks/webhook-publisher.js';

/** The apps a server acts on unless told otherwise. */
export const DEFAULT_CONNECTORS: readonly Connector[] = [github, gmail, shopify, trello];

export interface PlugboardServerOptions {
  config: ServerConfig;
  /** Toolset options every project shares: connectors (default: github, gmail, shopify, trello), `fetch`, `http`, `oauthApps`. */
  toolset?: Partial<SharedToolsetOptions>;
  /** Where log lines go. @default JSON lines on standard output */
  logger?: Logger;
  /** Where secret keys are read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** How webhooks are delivered. */
  webhooks?: WebhookDeliveryOptions;
}

/** How webhooks are delivered; the defaults suit production, tests shorten the backoff. */
export interface WebhookDeliveryOptions {
  /** Backoff, retry window and attempt timeout. @default 30 s base, 24 hours, 10 s */
  retry?: Partial<WebhookRetryPolicy>;
  /** The fetch deliveries are POSTed with. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** With PostgreSQL: how often an idle pg-boss worker asks for due jobs (at least 0.5). @default 2 */
  pollingIntervalSeconds?: number;
}

/** A server ready to answer requests; `serveNode` puts it on a port. */
export interface PlugboardServer {
  /** The Hono app: mount it, or call `app.fetch(request)`. */
  app: OpenAPIHono<ServerEnv>;
  fetch: (request: Request) => Promise<Response>;
  storage: ServerStorage;
  /** The webhook outbox, delivering since the server was created. */
  webhooks: WebhookOutbox;
  /** Resolves when every toolset event heard so far is written to the outbox (for tests and shutdown). */
  webhooksSettled(): Promise<void>;
  /** Closes every project store and the database pool. */
  close(): Promise<void>;
}

/** Opens the storage the configuration names (PostgreSQL with `DATABASE_URL`, else the embedded store) and builds the app. */
export async function createPlugboardServer(options: PlugboardServerOptions): Promise<PlugboardServer> {
  const { config } = options;
  const env = options.env ?? process.env;
  const storage = config.databaseUrl
    ? await postgresStorage(config.databaseUrl, env)
    : await embeddedStorage(config.dataDir, env);
  const shared: SharedToolsetOptions = {
    ...options.toolset,
    connectors: options.toolset?.connectors ?? DEFAULT_CONNECTORS,
  };
  const logger = options.logger ?? stdoutLogger;
  const webhooks = await storage.openWebhookOutbox(
    {
      policy: { ...DEFAULT_RETRY_POLICY, ...options.webhooks?.retry },
      fetch: options.webhooks?.fetch ?? globalThis.fetch,
      logger,
    },
    options.webhooks?.pollingIntervalSeconds === undefined
      ? {}
      : { pollingIntervalSeconds: options.webhooks.pollingIntervalSeconds },
  );
  const publisher: WebhookPublisher = createWebhookPublisher(webhooks, logger);
  const toolsets = createProjectToolsets(storage, shared, (projectId, toolset) => {
    toolset.on('*', (event) => void publisher.publish(projectId, event));
  });
  const emptyToolset: Toolset = createToolset(shared);
  const app = createServerApp({
    control: storage.control,
    toolsets,
    emptyToolset,
    publicUrl: config.publicUrl,
    corsOrigins: config.corsOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    bodyLimitBytes: config.bodyLimitBytes,
    keyCacheMs: config.keyCacheSeconds * 1000,
    logger,
    version: serverVersion(),
    connectSecret: env['PLUGBOARD_CONNECT_SECRET'],
    webhooks,
  });
  try {
    await webhooks.start();
  } catch (error) {
    // Nothing was served yet: give back the pool (or the embedded files) so a caller that retries
    // or gives up is not left with open handles keeping its process alive.
    await webhooks.close().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw error;
  }
  return {
    app,
    fetch: async (request) => app.fetch(request),
    storage,
    webhooks,
    webhooksSettled: () => publisher.settled(),
    async close() {
      await toolsets.close();
      await publisher.settled();
      await webhooks.close();
      await storage.close();
    },
  };
}

/** This package's version, for the OpenAPI document; read when a server is created, not at import. */
export function serverVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}
