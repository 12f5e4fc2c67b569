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
}

/** A server ready to answer requests; `serveNode` puts it on a port. */
export interface PlugboardServer {
  /** The Hono app: mount it, or call `app.fetch(request)`. */
  app: OpenAPIHono<ServerEnv>;
  fetch: (request: Request) => Promise<Response>;
  storage: ServerStorage;
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
  const toolsets = createProjectToolsets(storage, shared);
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
    logger: options.logger ?? stdoutLogger,
    version: serverVersion(),
  });
  return {
    app,
    fetch: async (request) => app.fetch(request),
    storage,
    async close() {
      await toolsets.close();
      await storage.close();
    },
  };
}

/** This package's version, for the OpenAPI document; read when a server is created, not at import. */
export function serverVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}
