// Client CPU per call with the network taken out: every contender gets a stub fetch that answers
// at once with the same bytes, so what is left is each library's own work. Then Plugboard's call
// is taken apart stage by stage with core's exported building blocks, to show where its time goes.

import { createHmac } from 'node:crypto';
import { createRedactor, createToolset, memoryStore } from '@plugboard/core';
import { buildRequest } from '@plugboard/core/internal';
import { githubConnector } from '@plugboard/github';
import { Octokit as OctokitRest } from '@octokit/rest';
import ky, { type Options as KyOptions } from 'ky';
import { safeParseAsync, type $ZodType } from 'zod/v4/core';
import { fixtureBody } from '../fixtures.js';
import { check, compare, type ContenderResult, type LoadOptions } from '../measure.js';
import { ratio } from '../stats.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';
import { interleavedMicrosPerCall } from './in-process.js';

export interface StageResult {
  /** Which call the stage belongs to. */
  call: 'GitHub bearer' | 'OAuth 1.0a signing';
  stage: string;
  note: string;
  microsPerCall: number;
}

export interface ClientCpuResult {
  description: string;
  contenders: Array<ContenderResult & { medianRatio: number; overheadMicros: number }>;
  stages: StageResult[];
}

const BASE_URL = 'https://api.github.example';
const PULL = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };
const URL_STRING = `${BASE_URL}/repos/${PULL.owner}/${PULL.repo}/pulls/${PULL.pull_number}`;
const HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'plugboard-bench',
  authorization: `Bearer ${CREDENTIALS.githubToken}`,
};
const RESPONSE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-ratelimit-remaining': '4999',
  'x-ratelimit-limit': '5000',
};

// A signing key and a base string the size of the OAuth 1.0a scenario's.
const OAUTH1_KEY = `${CREDENTIALS.oauth1.consumerSecret}&${CREDENTIALS.oauth1.tokenSecret}`;
const OAUTH1_BASE_STRING =
  'GET&http%3A%2F%2F127.0.0.1%3A40000%2F1%2Fmembers%2Fme&fields%3Dusername%252CfullName%26oauth_consumer_key%3Dbench-consumer-key%26oauth_nonce%3D0123456789abcdef0123456789abcdef' +
  '%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1767225600%26oauth_token%3Dbench-token-0123456789abcdef%26oauth_version%3D1.0';

/** What core's OAuth 1.0a signer did per request before it cached imported keys: import, then sign. */
async function webCryptoHmac(key: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function runClientCpu(load: LoadOptions, stageIterations: number): Promise<ClientCpuResult> {
  const body = fixtureBody('pull-request.json');
  const stubFetch = async (_input: Request | URL | string, _init?: RequestInit) =>
    new Response(body, { status: 200, headers: RESPONSE_HEADERS });
  const isPullRequest = (data: unknown) => (data as { number?: unknown } | null)?.number === PULL.pull_number;

  const connector = githubConnector({ baseUrl: BASE_URL, webUrl: BASE_URL, userAgent: 'plugboard-bench' });
  const store = memoryStore();
  const toolset = createToolset({ connectors: [connector], fetch: stubFetch, store });
  const { connectedAccountId, integrationId } = await toolset.initiateConnection({
    app: 'github',
    authMode: 'BEARER_TOKEN',
    connectedAccountParams: { token: CREDENTIALS.githubToken },
  });
  const octokit = new OctokitRest({
    auth: CREDENTIALS.githubToken,
    baseUrl: BASE_URL,
    userAgent: 'plugboard-bench',
    request: { fetch: stubFetch },
  });
  const kyOptions: KyOptions = {
    method: 'get',
    timeout: 30_000,
    throwHttpErrors: true,
    fetch: stubFetch,
    retry: { limit: 2, statusCodes: [408, 429, 500, 502, 503, 504], afterStatusCodes: [429, 503] },
  };

  const contenders = await compare(
    [
      {
        name: 'stub fetch + JSON.parse',
        role: 'floor',
        note: 'a Response built from the bytes and parsed: the work every client has to do',
        async run() {
          const response = await stubFetch(URL_STRING, { headers: HEADERS });
          check(isPullRequest(JSON.parse(await response.text())), 'unexpected body');
        },
      },
      {
        name: 'ky alone',
        role: 'diagnostic',
        note: 'ky with the timeout and retry settings core used while it sent through ky',
        async run() {
          const response = await ky(URL_STRING, { ...kyOptions, headers: new Headers(HEADERS) });
          check(isPullRequest(JSON.parse(await response.text())), 'unexpected body');
        },
      },
      {
        name: '@octokit/rest',
        role: 'competitor',
        note: 'octokit.rest.pulls.get with request.fetch set to the stub',
        async run() {
          check(isPullRequest((await octokit.rest.pulls.get(PULL)).data), 'unexpected body');
        },
      },
      {
        name: 'plugboard',
        role: 'plugboard',
        note: "executeAction('GITHUB_GET_A_PULL_REQUEST') with the toolset's fetch set to the stub",
        async run() {
          const result = await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { connectedAccountId });
          check(result.successful && isPullRequest(result.data), 'unexpected result');
        },
      },
    ],
    load,
  );
  const floor = contenders.find((contender) => contender.role === 'floor') as ContenderResult;

  // Plugboard's call, stage by stage, each with the same inputs an execution uses.
  const action = connector.actions.find((candidate) => candidate.name === 'GITHUB_GET_A_PULL_REQUEST');
  if (!action) throw new Error('GITHUB_GET_A_PULL_REQUEST is missing from the GitHub connector');
  const parameters = [{ name: 'Authorization', in: 'header' as const, value: `Bearer ${CREDENTIALS.githubToken}` }];
  const secrets = [CREDENTIALS.githubToken, `Bearer ${CREDENTIALS.githubToken}`];
  const encoder = new TextEncoder();
  const reusedKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(OAUTH1_KEY),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const stages: Array<[StageResult['call'], string, string, () => unknown]> = [
    [
      'GitHub bearer',
      'input validation',
      "zod safeParseAsync of the action's input schema",
      () => safeParseAsync(action.input as $ZodType, PULL),
    ],
    [
      'GitHub bearer',
      'store reads',
      'memoryStore getConnection + getIntegration (each returns a deep copy)',
      async () => [await store.getConnection(connectedAccountId), await store.getIntegration(integrationId)],
    ],
    [
      'GitHub bearer',
      'redactor',
      "createRedactor(the call's secrets): built for every call, its needles computed only when an error needs them",
      () => createRedactor(secrets),
    ],
    [
      'GitHub bearer',
      'buildRequest',
      'URL template, headers (a Headers object), placement checks',
      () =>
        buildRequest({
          baseUrl: BASE_URL,
          method: 'GET',
          path: '/repos/{owner}/{repo}/pulls/{pull_number}',
          pathParams: PULL,
          headers: {
            Accept: 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
            'User-Agent': 'plugboard-bench',
          },
          auth: parameters,
        }),
    ],
    [
      'GitHub bearer',
      'fetch(url, init) + timeout',
      'the stub fetch called as core sends an attempt: URL string, init with a Headers object and an AbortController signal, a 30 s timer, body read as text',
      async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          return await (
            await stubFetch(URL_STRING, { method: 'GET', headers: new Headers(HEADERS), signal: controller.signal })
          ).text();
        } finally {
          clearTimeout(timer);
        }
      },
    ],
    [
      'GitHub bearer',
      'stub fetch alone',
      'the stub fetch by itself and response.text(), for comparison with the rows around it',
      async () => (await stubFetch(URL_STRING)).text(),
    ],
    [
      'GitHub bearer',
      'ky + stub fetch (before)',
      'ky(url, options) to a resolved Response, as core called it before it sent with fetch directly, body read as text',
      async () => (await ky(URL_STRING, { ...kyOptions, headers: new Headers(HEADERS) })).text(),
    ],
    [
      'GitHub bearer',
      'ky, no timeout, no retry',
      'the same with timeout: false and retry: 0: the part of ky that no option turns off',
      async () =>
        (await ky(URL_STRING, { ...kyOptions, timeout: false, retry: 0, headers: new Headers(HEADERS) })).text(),
    ],
    [
      'GitHub bearer',
      'JSON.parse',
      `parsing the ${(body.length / 1024).toFixed(0)} KiB answer`,
      () => JSON.parse(body),
    ],
    [
      'OAuth 1.0a signing',
      'Web Crypto sign, key reused',
      'crypto.subtle.sign with a CryptoKey imported once: what core does now (imported keys cached per signing key)',
      () => crypto.subtle.sign('HMAC', reusedKey, encoder.encode(OAUTH1_BASE_STRING)),
    ],
    [
      'OAuth 1.0a signing',
      'Web Crypto importKey + sign (before)',
      'crypto.subtle importKey + sign, as core signed every request before',
      () => webCryptoHmac(OAUTH1_KEY, OAUTH1_BASE_STRING),
    ],
    [
      'OAuth 1.0a signing',
      'node:crypto createHmac',
      "createHmac('sha1'), as the oauth-1.0a README signs",
      () => createHmac('sha1', OAUTH1_KEY).update(OAUTH1_BASE_STRING).digest('base64'),
    ],
  ];
  const timings = await interleavedMicrosPerCall(
    stages.map(([, , , run]) => run),
    stageIterations,
  );
  const stageResults: StageResult[] = stages.map(([call, stage, note], index) => ({
    call,
    stage,
    note,
    microsPerCall: timings[index] as number,
  }));

  return {
    description: `Client CPU per call, network removed: each contender's fetch answers at once with the same ${(body.length / 1024).toFixed(0)} KiB body, so the time is the library's own work. One call at a time.`,
    contenders: contenders.map((contender) => ({
      ...contender,
      medianRatio: ratio(contender.latency.medianMs, floor.latency.medianMs),
      overheadMicros: (contender.latency.medianMs - floor.latency.medianMs) * 1000,
    })),
    stages: stageResults,
  };
}
