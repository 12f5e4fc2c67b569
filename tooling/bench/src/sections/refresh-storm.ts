// Refresh storm: many executions start at once on a connection whose OAuth 2.0 access token has
// expired. Exactly one token request may reach the token endpoint; every execution must then go
// out with the new token. The same burst on a connection with a valid token is the baseline.
// Each round storms a connection of its own, and the rounds alternate baseline and storm.

import { createToolset, memoryStore } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';
import { median } from '../stats.js';
import type { Upstream } from '../upstream/start-upstream.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';

export interface RefreshStormResult {
  executions: number;
  /** Storms run, each on a connection of its own; the counts below add them up. */
  rounds: number;
  /** How long the fake token endpoint takes to answer. */
  tokenEndpointDelayMs: number;
  /** Token requests per storm: every entry must be 1. */
  tokenRequestsPerRound: number[];
  tokenRequests: number;
  successful: number;
  failed: number;
  failureCodes: Record<string, number>;
  /** API requests that still carried the expired token: 0 when every execution waited for the refresh. */
  requestsWithExpiredToken: number;
  requestsWithNewToken: number;
  /** Median over the rounds of the time from the first execution to the last result. */
  totalMs: number;
  /** The same burst on a connection whose token is valid, median over as many rounds. */
  baselineTotalMs: number;
  storedTokenRefreshed: boolean;
}

const PULL = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };

export async function runRefreshStorm(
  upstream: Upstream,
  executions: number,
  rounds: number,
  tokenEndpointDelayMs: number,
): Promise<RefreshStormResult> {
  const store = memoryStore();
  const toolset = createToolset({
    connectors: [githubConnector({ baseUrl: upstream.url, webUrl: upstream.url, userAgent: 'plugboard-bench' })],
    store,
  });
  const integration = await toolset.createIntegration({
    app: 'github',
    authMode: 'OAUTH2',
    authConfig: { client_id: CREDENTIALS.oauth2.clientId, client_secret: CREDENTIALS.oauth2.clientSecret },
  });
  // Connections as the OAuth 2.0 flow stores them (a GitHub App user token with a refresh token),
  // written through the public Store interface so the storm needs no browser round trip.
  const connection = async (id: string, accessToken: string, expiresInMs: number) => {
    const now = new Date().toISOString();
    await store.createConnection({
      id,
      integrationId: integration.id,
      app: 'github',
      authMode: 'OAUTH2',
      entityId: id,
      status: 'ACTIVE',
      credentials: { access_token: accessToken, refresh_token: CREDENTIALS.refreshToken, token_type: 'bearer' },
      expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  };
  const valid = await connection('storm-valid', CREDENTIALS.githubToken, 3_600_000);

  const burst = async (connectedAccountId: string) => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: executions }, () =>
        toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { connectedAccountId }),
      ),
    );
    return { results, totalMs: performance.now() - started };
  };

  // Warm up the sockets and the code path once, so that every burst starts from the same state.
  await burst(valid);
  const baselineMs: number[] = [];
  const stormMs: number[] = [];
  const tokenRequestsPerRound: number[] = [];
  const failureCodes: Record<string, number> = {};
  let successful = 0;
  let requestsWithExpiredToken = 0;
  let requestsWithNewToken = 0;
  let storedTokenRefreshed = true;
  for (let round = 0; round < rounds; round++) {
    baselineMs.push((await burst(valid)).totalMs);
    const expired = await connection(`storm-expired-${round}`, CREDENTIALS.expiredAccessToken, -60_000);
    await upstream.reset();
    const storm = await burst(expired);
    stormMs.push(storm.totalMs);
    const counters = await upstream.counters();
    tokenRequestsPerRound.push(counters.tokenRequests);
    for (const result of storm.results) {
      if (result.successful) successful++;
      else failureCodes[result.error.code] = (failureCodes[result.error.code] ?? 0) + 1;
    }
    requestsWithExpiredToken += counters.byToken[CREDENTIALS.expiredAccessToken] ?? 0;
    requestsWithNewToken += Object.entries(counters.byToken)
      .filter(([token]) => token !== CREDENTIALS.expiredAccessToken && token !== CREDENTIALS.githubToken)
      .reduce((sum, [, count]) => sum + count, 0);
    const stored = await toolset.getConnectionCredentials(expired);
    storedTokenRefreshed &&=
      stored['access_token'] !== CREDENTIALS.expiredAccessToken && stored['refresh_token'] === CREDENTIALS.refreshToken;
  }
  return {
    executions,
    rounds,
    tokenEndpointDelayMs,
    tokenRequestsPerRound,
    tokenRequests: tokenRequestsPerRound.reduce((sum, value) => sum + value, 0),
    successful,
    failed: executions * rounds - successful,
    failureCodes,
    requestsWithExpiredToken,
    requestsWithNewToken,
    totalMs: median(stormMs),
    baselineTotalMs: median(baselineMs),
    storedTokenRefreshed,
  };
}
