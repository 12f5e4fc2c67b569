import type { Store } from '@plugboard/core';

// Links and sessions live in the toolset's own store as pending authorizations: `takePendingAuth`
// returns and deletes in one step, which is exactly "use once", and it holds across server
// instances sharing one PostgreSQL store. The prefixes keep them apart from OAuth states.
const LINK_PREFIX = 'connect-link:';
const SESSION_PREFIX = 'connect-session:';

/** What a connect link grants, signed into its URL. */
export interface LinkClaims {
  /** Format version. */
  v: 1;
  /** The link's id: its single-use record is keyed by it. */
  id: string;
  entityId: string;
  /** The integrations the user may connect through, one per auth mode (the page offers a choice when several). */
  integrationIds: string[];
  /** The EXPIRED or FAILED connection this link re-connects. */
  connectionId?: string;
  /** Which toolset the link belongs to, for servers with one toolset per project. */
  tenant?: string;
  /** Where the success page sends the user back to. */
  returnUrl?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** One browser's visit, from an opened link to a connected account: what the link granted, and its own id and expiry. */
export interface ConnectSession extends Omit<LinkClaims, 'v' | 'id'> {
  id: string;
  linkId: string;
  /** While the user is at an OAuth provider: what the callback must carry to belong to this session. */
  pending?: {
    integrationId: string;
    connectionId: string;
    /** `state` (OAuth 2.0) or `oauth_token` (OAuth 1.0a), and its value. */
    parameter: string;
    value: string;
  };
}

export async function saveLink(store: Store, claims: LinkClaims): Promise<void> {
  await store.savePendingAuth({
    state: `${LINK_PREFIX}${claims.id}`,
    connectionId: claims.connectionId ?? '',
    integrationId: claims.integrationIds[0] ?? '',
    expiresAt: new Date(claims.expiresAt).toISOString(),
  });
}

/** Whether the link was still unused; it is used from now on. */
export async function takeLink(store: Store, id: string): Promise<boolean> {
  return (await store.takePendingAuth(`${LINK_PREFIX}${id}`)) !== undefined;
}

export async function saveSession(store: Store, session: ConnectSession): Promise<void> {
  await store.savePendingAuth({
    state: `${SESSION_PREFIX}${session.id}`,
    connectionId: session.pending?.connectionId ?? session.connectionId ?? '',
    integrationId: session.pending?.integrationId ?? session.integrationIds[0] ?? '',
    expiresAt: new Date(session.expiresAt).toISOString(),
    data: { session: JSON.stringify(session) },
  });
}

/**
 * Takes a session out of the store; the caller saves it back if the visit goes on. Two requests of
 * one session at once cannot both act on it: the second finds nothing.
 */
export async function takeSession(store: Store, id: string): Promise<ConnectSession | undefined> {
  const record = await store.takePendingAuth(`${SESSION_PREFIX}${id}`);
  const text = record?.data?.['session'];
  if (text === undefined) return undefined;
  return JSON.parse(text) as ConnectSession;
}
