import { createToolset, type Connector, type ToolsetOptions } from '@plugboard/core';
import { rerouteFetch, type ReroutedRequest } from '@plugboard/testkit';
import { gmail } from '../src/index.js';
import { startFakeGmail, type FakeGmail, type FakeGmailOptions } from './fake-gmail-api.js';
import { startFakeGoogleOAuth, type FakeGoogleOAuth } from './fake-google-oauth.js';

export const USER_TOKEN = 'ya29.a0-user-supplied-token-for-tests';

export interface Harness {
  api: FakeGmail;
  oauth: FakeGoogleOAuth;
  toolset: ReturnType<typeof createToolset>;
  /** What the connector asked for, before rerouting: `host`, `method`, `url`. */
  calls: ReroutedRequest[];
  close(): Promise<void>;
}

/**
 * The real `gmail` connector with its real Google URLs, a toolset whose fetch sends
 * gmail.googleapis.com, accounts.google.com and oauth2.googleapis.com to local fakes.
 */
export async function startHarness(
  options: { api?: FakeGmailOptions; toolset?: ToolsetOptions; connector?: Connector } = {},
): Promise<Harness> {
  const oauth = await startFakeGoogleOAuth();
  const api = await startFakeGmail({
    tokens: [USER_TOKEN],
    isTokenValid: (token) => oauth.isAccessTokenValid(token),
    ...options.api,
  });
  const { fetch, sent: calls } = rerouteFetch({
    'https://gmail.googleapis.com': api.url,
    'https://accounts.google.com': oauth.url,
    'https://oauth2.googleapis.com': oauth.url,
  });
  const toolset = createToolset({
    connectors: [options.connector ?? gmail],
    fetch,
    http: { retries: 0 },
    ...options.toolset,
  });
  return {
    api,
    oauth,
    toolset,
    calls,
    close: async () => {
      await Promise.all([api.close(), oauth.close()]);
    },
  };
}

/** The per-call custom auth of a user-supplied bearer token. */
export function bearer(token = USER_TOKEN) {
  return { auth: { parameters: [{ name: 'Authorization', in: 'header' as const, value: `Bearer ${token}` }] } };
}
