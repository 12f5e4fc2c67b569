import { PlugboardError, type AuthMode, type Toolset } from '@plugboard/core';
import { saveLink, type LinkClaims } from './connect-records.js';
import { randomId, signingKey, signToken } from './signed-token.js';

export const LINK_PURPOSE = 'plugboard-connect-link';
const DEFAULT_TTL_MS = 10 * 60 * 1000;
const MAX_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// Statuses a user can fix by connecting again.
const RECONNECTABLE = new Set(['EXPIRED', 'FAILED']);

export interface CreateConnectLinkOptions {
  /** The toolset the connection is made in; the link's single-use record is kept in its store. */
  toolset: Toolset;
  /** The same secret as the handler's: at least 32 random characters. */
  secret: string;
  /**
   * Where the connect handler is reached from the user's browser: your public URL and its `basePath`.
   * @example 'https://myapp.example/connect'
   */
  baseUrl: string;
  /** Your id for the user. @default 'default' */
  entityId?: string;
  /** The integration to connect through. */
  integrationId?: string;
  /** Instead of `integrationId`: every integration of the app, one per auth mode (the newest), for the user to choose from. */
  app?: string;
  /** With `app`: only these auth modes. */
  authModes?: readonly AuthMode[];
  /**
   * Re-connect this `EXPIRED` (for example `NEEDS_REAUTH`) or `FAILED` connection: the user goes
   * through its integration again and the connection keeps its id, now `ACTIVE`.
   */
  connectionId?: string;
  /** How long the link may wait to be opened. @default 600_000 (10 minutes) */
  ttlMs?: number;
  /** Where the success page offers to take the user back to (an http or https URL). */
  returnUrl?: string;
  /** For a handler serving several toolsets (one per project): which one this link belongs to. */
  tenant?: string;
}

/** A link to send one user, usable once. */
export interface ConnectLink {
  url: string;
  /** ISO time after which the link shows "This link has expired". */
  expiresAt: string;
  /** The link's id (not a secret). */
  id: string;
}

/**
 * Issues a short-lived, single-use, signed link to the connect page for one user and one
 * integration (or the app's integrations to choose from), or to re-connect one connection.
 * The link is an HMAC-SHA256-signed token; its single-use record is kept in the toolset's store.
 * @example
 * const link = await createConnectLink({ toolset, secret, baseUrl: 'https://myapp.example/connect', entityId: 'user-42', app: 'shopify' });
 * // email link.url to the user; it works once, for 10 minutes
 */
export async function createConnectLink(options: CreateConnectLinkOptions): Promise<ConnectLink> {
  const key = signingKey(options.secret);
  const baseUrl = checkHttpUrl(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS)
    throw new PlugboardError('INVALID_PARAMS', `ttlMs must be more than 0 and at most ${MAX_TTL_MS} (7 days).`);
  const { toolset } = options;
  const given = [options.integrationId, options.app, options.connectionId].filter((value) => value !== undefined);
  if (given.length !== 1)
    throw new PlugboardError(
      'INVALID_PARAMS',
      'A connect link needs exactly one of integrationId, app or connectionId.',
    );

  let entityId = options.entityId ?? 'default';
  let integrationIds: string[];
  if (options.connectionId !== undefined) {
    const connection = await toolset.getConnection(options.connectionId);
    if (!RECONNECTABLE.has(connection.status))
      throw new PlugboardError(
        'INVALID_PARAMS',
        `Connection ${connection.id} is ${connection.status}; a re-connect link is for EXPIRED or FAILED connections.`,
      );
    if (options.entityId !== undefined && options.entityId !== connection.entityId)
      throw new PlugboardError('INVALID_PARAMS', `Connection ${connection.id} belongs to another entity.`);
    entityId = connection.entityId;
    integrationIds = [connection.integrationId];
  } else if (options.integrationId !== undefined) {
    integrationIds = [(await toolset.getIntegration(options.integrationId)).id];
  } else {
    integrationIds = await integrationsOfApp(toolset, options.app as string, options.authModes);
  }
  if (typeof entityId !== 'string' || entityId === '')
    throw new PlugboardError('INVALID_PARAMS', 'entityId must be a non-empty string.');

  const claims: LinkClaims = {
    v: 1,
    id: randomId(16),
    entityId,
    integrationIds,
    expiresAt: Date.now() + ttlMs,
  };
  if (options.connectionId !== undefined) claims.connectionId = options.connectionId;
  if (options.tenant !== undefined) claims.tenant = options.tenant;
  if (options.returnUrl !== undefined) claims.returnUrl = checkHttpUrl(options.returnUrl, 'returnUrl');
  await saveLink(toolset.store, claims);
  const token = await signToken(key, LINK_PURPOSE, claims);
  // `token` is a query parameter loggers already redact by name, and the page moves it out of the address bar at once.
  return { url: `${baseUrl}/link?token=${token}`, expiresAt: new Date(claims.expiresAt).toISOString(), id: claims.id };
}

/** The newest integration of each auth mode, in the app's order of preference. */
async function integrationsOfApp(toolset: Toolset, app: string, modes: readonly AuthMode[] | undefined) {
  const summary = toolset.listApps().find((candidate) => candidate.id === app);
  if (!summary) throw new PlugboardError('APP_NOT_FOUND', `No app "${app}" is registered with this toolset.`);
  const integrations = await toolset.listIntegrations({ app });
  const ids: string[] = [];
  for (const mode of summary.authModes) {
    if (modes !== undefined && !modes.includes(mode)) continue;
    const newest = integrations.filter((integration) => integration.authMode === mode).at(-1);
    if (newest) ids.push(newest.id);
  }
  if (ids.length === 0)
    throw new PlugboardError(
      'INTEGRATION_NOT_FOUND',
      `The app "${app}" has no integration${modes ? ` for ${modes.join(', ')}` : ''} yet: create one with toolset.createIntegration first.`,
    );
  return ids;
}

function checkHttpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PlugboardError('INVALID_PARAMS', `${name} must be an absolute http or https URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PlugboardError('INVALID_PARAMS', `${name} must be an absolute http or https URL.`);
  return value;
}
