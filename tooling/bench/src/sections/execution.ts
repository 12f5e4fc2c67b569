// Execution overhead: one action through Plugboard against the same request made with plain
// fetch (the floor), undici's own request API, ky alone, @octokit/rest and octokit, all against
// the fake upstream in another process, one after the other and 64 at a time.

import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  memoryStore,
  oauth1Scheme,
  type Toolset,
} from '@plugboard/core';
import { githubConnector } from '@plugboard/github';
import { shopify } from '@plugboard/shopify';
import { Octokit as OctokitRest } from '@octokit/rest';
import ky from 'ky';
import OAuth from 'oauth-1.0a';
import { Octokit as OctokitBatteries } from 'octokit';
import { Agent, request as undiciRequest } from 'undici';
import { z } from 'zod';
import { fixtureBody } from '../fixtures.js';
import { check, compare, type Contender, type ContenderResult, type LoadOptions } from '../measure.js';
import { ratio } from '../stats.js';
import type { Upstream } from '../upstream/start-upstream.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';

export interface ModeResult {
  concurrency: number;
  /** Every contender, with its ratios to the floor (latency: lower is better; throughput: higher is better). */
  contenders: Array<ContenderResult & { medianRatio: number; p99Ratio: number; throughputRatio: number }>;
}

export interface ScenarioResult {
  title: string;
  description: string;
  floor: string;
  sequential: ModeResult;
  concurrent: ModeResult;
  /** What the fake upstream counted: every request must have been accepted. */
  upstream: { requests: number; unauthorized: number; invalidSignatures: number };
}

export interface ExecutionResult {
  github: ScenarioResult;
  oauth1: ScenarioResult;
  shopify: ScenarioResult;
}

const PULL = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };
const PULL_PATH = `/repos/${PULL.owner}/${PULL.repo}/pulls/${PULL.pull_number}`;

export async function runExecution(
  upstream: Upstream,
  load: { sequential: LoadOptions; concurrent: LoadOptions },
  log: (line: string) => void,
): Promise<ExecutionResult> {
  const scenarios = [
    ['github', githubScenario],
    ['oauth1', oauth1Scenario],
    ['shopify', shopifyScenario],
  ] as const;
  const results: Partial<ExecutionResult> = {};
  for (const [key, build] of scenarios) {
    const scenario = await build(upstream);
    try {
      log(`execution: ${scenario.title}`);
      results[key] = await runScenario(upstream, scenario, load);
    } finally {
      await scenario.close?.();
    }
  }
  return results as ExecutionResult;
}

export interface Scenario {
  title: string;
  description: string;
  contenders: Contender[];
  close?: () => Promise<void>;
}

async function runScenario(
  upstream: Upstream,
  scenario: Scenario,
  load: { sequential: LoadOptions; concurrent: LoadOptions },
): Promise<ScenarioResult> {
  // One checked call each before anything is timed: a contender that is wrong fails here.
  for (const contender of scenario.contenders) await contender.run();
  await upstream.reset();
  const sequential = withRatios(1, await compare(scenario.contenders, load.sequential));
  const concurrent = withRatios(load.concurrent.concurrency, await compare(scenario.contenders, load.concurrent));
  const counters = await upstream.counters();
  if (counters.unauthorized > 0 || counters.invalidSignatures > 0) {
    throw new Error(
      `${scenario.title}: the fake upstream refused ${counters.unauthorized} requests (${counters.invalidSignatures} bad signatures)`,
    );
  }
  const floor = scenario.contenders.find((contender) => contender.role === 'floor');
  return {
    title: scenario.title,
    description: scenario.description,
    floor: floor?.name ?? '',
    sequential,
    concurrent,
    upstream: {
      requests: counters.requests,
      unauthorized: counters.unauthorized,
      invalidSignatures: counters.invalidSignatures,
    },
  };
}

function withRatios(concurrency: number, results: ContenderResult[]): ModeResult {
  const floor = results.find((result) => result.role === 'floor');
  if (!floor) throw new Error('a scenario needs a floor contender');
  return {
    concurrency,
    contenders: results.map((result) => ({
      ...result,
      medianRatio: ratio(result.latency.medianMs, floor.latency.medianMs),
      p99Ratio: ratio(result.latency.p99Ms, floor.latency.p99Ms),
      throughputRatio: ratio(result.throughputPerS, floor.throughputPerS),
    })),
  };
}

function isPullRequest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { number?: unknown }).number === PULL.pull_number;
}

/** Plugboard's result, checked: successful and carrying the expected data. */
async function executed(
  toolset: Toolset,
  name: string,
  input: unknown,
  options: Parameters<Toolset['executeAction']>[2],
  expect: (data: unknown) => boolean,
): Promise<void> {
  const result = await toolset.executeAction(name, input, options);
  if (!result.successful) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  check(expect(result.data), `${name} returned unexpected data`);
}

export async function githubScenario(upstream: Upstream): Promise<Scenario> {
  const url = `${upstream.url}${PULL_PATH}`;
  const headers = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'plugboard-bench',
    authorization: `Bearer ${CREDENTIALS.githubToken}`,
  };

  const toolset = createToolset({
    connectors: [githubConnector({ baseUrl: upstream.url, webUrl: upstream.url, userAgent: 'plugboard-bench' })],
  });
  const { connectedAccountId } = await toolset.initiateConnection({
    app: 'github',
    authMode: 'BEARER_TOKEN',
    connectedAccountParams: { token: CREDENTIALS.githubToken },
  });

  const octokitRest = new OctokitRest({
    auth: CREDENTIALS.githubToken,
    baseUrl: upstream.url,
    userAgent: 'plugboard-bench',
  });
  const octokitBatteries = new OctokitBatteries({
    auth: CREDENTIALS.githubToken,
    baseUrl: upstream.url,
    userAgent: 'plugboard-bench',
  });
  const octokitUnthrottled = new OctokitBatteries({
    auth: CREDENTIALS.githubToken,
    baseUrl: upstream.url,
    userAgent: 'plugboard-bench',
    throttle: { enabled: false },
    retry: { enabled: false },
  });

  return {
    title: 'GitHub: get a pull request (bearer token)',
    description: `GITHUB_GET_A_PULL_REQUEST with a personal access token: GET ${PULL_PATH}, answered with GitHub's documented example (${(fixtureBody('pull-request.json').length / 1024).toFixed(0)} KiB of JSON), parsed.`,
    contenders: [
      {
        name: 'fetch',
        role: 'floor',
        note: "Node's global fetch (undici inside), the same headers, response.json()",
        async run() {
          const response = await fetch(url, { headers });
          check(response.status === 200, `status ${response.status}`);
          check(isPullRequest(await response.json()), 'unexpected body');
        },
      },
      {
        name: 'undici.request',
        role: 'reference',
        note: "undici's own API, below fetch's WHATWG layer: a lower bound no fetch-based client reaches",
        async run() {
          const response = await undiciRequest(url, { headers });
          check(response.statusCode === 200, `status ${response.statusCode}`);
          check(isPullRequest(await response.body.json()), 'unexpected body');
        },
      },
      {
        name: 'fetch + timeout',
        role: 'diagnostic',
        note: 'fetch(url, init) with an AbortController and a 30 s timer, as core sends every attempt: what the per-attempt timeout costs, which the floor does not have',
        async run() {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 30_000);
          try {
            const response = await fetch(url, {
              method: 'GET',
              headers: new Headers(headers),
              signal: controller.signal,
            });
            check(response.status === 200, `status ${response.status}`);
            check(isPullRequest(JSON.parse(await response.text())), 'unexpected body');
          } finally {
            clearTimeout(timer);
          }
        },
      },
      {
        name: 'ky alone',
        role: 'diagnostic',
        note: 'ky with the timeout and retry settings core used while it sent through ky: what ky alone costs',
        async run() {
          const response = await ky(url, {
            method: 'get',
            headers: new Headers(headers),
            timeout: 30_000,
            throwHttpErrors: true,
            retry: { limit: 2, statusCodes: [408, 429, 500, 502, 503, 504], afterStatusCodes: [429, 503] },
          });
          check(isPullRequest(JSON.parse(await response.text())), 'unexpected body');
        },
      },
      {
        name: '@octokit/rest',
        role: 'competitor',
        note: 'octokit.rest.pulls.get: core + REST endpoint methods + pagination, no throttling',
        async run() {
          const response = await octokitRest.rest.pulls.get(PULL);
          check(isPullRequest(response.data), 'unexpected body');
        },
      },
      {
        name: 'octokit',
        role: 'competitor',
        note: 'the batteries-included package: adds the retry and throttling plugins (Bottleneck; at most 10 requests in flight)',
        async run() {
          const response = await octokitBatteries.rest.pulls.get(PULL);
          check(isPullRequest(response.data), 'unexpected body');
        },
      },
      {
        name: 'octokit, throttle+retry off',
        role: 'diagnostic',
        note: 'the same package with throttle: { enabled: false } and retry: { enabled: false }: what Bottleneck scheduling costs',
        async run() {
          const response = await octokitUnthrottled.rest.pulls.get(PULL);
          check(isPullRequest(response.data), 'unexpected body');
        },
      },
      {
        name: 'plugboard',
        role: 'plugboard',
        note: "toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', input, { connectedAccountId })",
        run: () => executed(toolset, 'GITHUB_GET_A_PULL_REQUEST', PULL, { connectedAccountId }, isPullRequest),
      },
    ],
  };
}

/** A Trello-like OAuth 1.0a API; no OAuth 1.0a connector ships yet, so the bench defines one. */
async function oauth1Scenario(upstream: Upstream): Promise<Scenario> {
  const { consumerKey, consumerSecret, token, tokenSecret } = CREDENTIALS.oauth1;
  const connector = defineConnector({
    id: 'boards',
    name: 'Boards',
    version: '0.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `${upstream.url}/1`,
    authSchemes: [
      oauth1Scheme({
        requestTokenUrl: `${upstream.url}/1/OAuthGetRequestToken`,
        authorizationUrl: `${upstream.url}/1/OAuthAuthorizeToken`,
        accessTokenUrl: `${upstream.url}/1/OAuthGetAccessToken`,
        signatureMethod: 'HMAC-SHA1',
      }),
    ],
    actions: [
      defineAction({
        name: 'BOARDS_GET_MEMBER',
        description: 'Get a member.',
        input: z.object({ id: z.string().min(1), fields: z.string().optional() }),
        request: 'GET /members/{id}',
      }),
    ],
  });
  const store = memoryStore();
  const toolset = createToolset({ connectors: [connector], store });
  const integration = await toolset.createIntegration({
    app: 'boards',
    authMode: 'OAUTH1',
    authConfig: { consumer_key: consumerKey, consumer_secret: consumerSecret },
  });
  // The token credentials an OAuth 1.0a flow would have stored, written through the public Store
  // interface so the benchmark needs no three-legged dance.
  const now = new Date().toISOString();
  const connectedAccountId = 'boards-connection';
  await store.createConnection({
    id: connectedAccountId,
    integrationId: integration.id,
    app: 'boards',
    authMode: 'OAUTH1',
    entityId: 'default',
    status: 'ACTIVE',
    credentials: { oauth_token: token, oauth_token_secret: tokenSecret },
    version: 1,
    createdAt: now,
    updatedAt: now,
  });

  const url = `${upstream.url}/1/members/me?fields=username%2CfullName`;
  const oauth = new OAuth({
    consumer: { key: consumerKey, secret: consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const sign = () =>
    oauth.toHeader(oauth.authorize({ url, method: 'GET' }, { key: token, secret: tokenSecret })).Authorization;
  const presigned = sign();
  const isMember = (data: unknown) =>
    typeof data === 'object' && data !== null && (data as { username?: unknown }).username === 'janedoe';

  return {
    title: 'OAuth 1.0a: a signed GET (HMAC-SHA1)',
    description:
      'GET /1/members/me?fields=username,fullName signed with HMAC-SHA1 over the method, URL and query; the upstream verifies every signature.',
    contenders: [
      {
        name: 'fetch + oauth-1.0a',
        role: 'floor',
        note: 'oauth-1.0a signing with node:crypto HMAC (the package README way), then fetch',
        async run() {
          const response = await fetch(url, { headers: { accept: 'application/json', authorization: sign() } });
          check(response.status === 200, `status ${response.status}`);
          check(isMember(await response.json()), 'unexpected body');
        },
      },
      {
        name: 'fetch, pre-signed',
        role: 'reference',
        note: 'fetch with one signature computed up front and reused (the fake upstream does not check nonces): the cost of signing, subtracted',
        async run() {
          const response = await fetch(url, { headers: { accept: 'application/json', authorization: presigned } });
          check(response.status === 200, `status ${response.status}`);
          check(isMember(await response.json()), 'unexpected body');
        },
      },
      {
        name: 'plugboard',
        role: 'plugboard',
        note: "executeAction('BOARDS_GET_MEMBER', { id: 'me', fields }): core's signer (oauth-1.0a for the base string, Web Crypto HMAC with the key imported once)",
        run: () =>
          executed(
            toolset,
            'BOARDS_GET_MEMBER',
            { id: 'me', fields: 'username,fullName' },
            { connectedAccountId },
            isMember,
          ),
      },
    ],
  };
}

/**
 * The real Shopify connector, whose base URL is https://{shop}.myshopify.com/...: an undici
 * dispatcher connects every request to the fake upstream over plain TCP, keeping the URL and the
 * Host header as Shopify would see them. Both contenders go through the same dispatcher.
 */
async function shopifyScenario(upstream: Upstream): Promise<Scenario> {
  const dispatcher = new Agent({
    connect: (_options, callback) => {
      const socket = connect(upstream.port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
  const routed = (input: Request | URL | string, init?: RequestInit) =>
    fetch(input, { ...init, dispatcher } as RequestInit);
  const toolset = createToolset({ connectors: [shopify], fetch: routed });
  const { connectedAccountId } = await toolset.initiateConnection({
    app: 'shopify',
    authMode: 'API_KEY',
    connectedAccountParams: { api_key: CREDENTIALS.shopifyToken, shop: CREDENTIALS.shop },
  });
  const url = `https://${CREDENTIALS.shop}.myshopify.com/admin/api/2026-10/graphql.json`;
  const query = JSON.stringify({ query: 'query Shop { shop { id name email myshopifyDomain currencyCode } }' });
  const SHOP_ID = 'gid://shopify/Shop/548380009';
  const isShop = (data: unknown) =>
    typeof data === 'object' && data !== null && (data as { shop?: { id?: unknown } }).shop?.id === SHOP_ID;
  const isGraphqlShop = (body: unknown) =>
    typeof body === 'object' && body !== null && isShop((body as { data?: unknown }).data);

  return {
    title: 'Shopify: shop details (subdomain + header)',
    description:
      'SHOPIFY_GET_SHOP_DETAILS (one GraphQL Admin API query) with an Admin API token: the shop name placed as the subdomain of the host, the token in X-Shopify-Access-Token.',
    contenders: [
      {
        name: 'fetch',
        role: 'floor',
        note: 'fetch POST to https://acme-store.myshopify.com/.../graphql.json through the same dispatcher',
        async run() {
          const response = await routed(url, {
            method: 'POST',
            body: query,
            headers: {
              accept: 'application/json',
              'content-type': 'application/json',
              'x-shopify-access-token': CREDENTIALS.shopifyToken,
            },
          });
          check(response.status === 200, `status ${response.status}`);
          check(isGraphqlShop(await response.json()), 'unexpected body');
        },
      },
      {
        name: 'plugboard',
        role: 'plugboard',
        note: "executeAction('SHOPIFY_GET_SHOP_DETAILS', {}, { connectedAccountId })",
        run: () => executed(toolset, 'SHOPIFY_GET_SHOP_DETAILS', {}, { connectedAccountId }, isShop),
      },
    ],
    close: () => dispatcher.close(),
  };
}
