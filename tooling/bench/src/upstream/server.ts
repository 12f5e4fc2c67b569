// The fake upstream every benchmark talks to: one keep-alive node:http server on 127.0.0.1, run in
// its own process (`node dist/upstream/server.js`) so that it has a core of its own and the
// client process measures only the client. It prints `{"port": N}` on stdout once it listens.
//
// It answers the same bytes to every contender and checks what each one sends (the bearer token,
// Shopify's header and host, the OAuth 1.0a signature), so a contender that took a shortcut would
// show up as failures in the counters rather than as a fast number.

import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth from 'oauth-1.0a';
import { fixtureBody } from '../fixtures.js';
import { BENCH_CREDENTIALS } from './credentials.js';

const PULL_REQUEST = Buffer.from(fixtureBody('pull-request.json'));
const SHOP = Buffer.from(fixtureBody('shop-graphql.json'));
const MEMBER = Buffer.from(fixtureBody('member.json'));

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const GITHUB_HEADERS = {
  ...JSON_HEADERS,
  'x-github-api-version-selected': '2022-11-28',
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4999',
  'x-ratelimit-used': '1',
  'x-ratelimit-resource': 'core',
  'x-github-request-id': 'BENCH:0001',
};

/** How long the fake token endpoint takes to answer, like a real one across the internet would. */
const TOKEN_DELAY_MS = Number(process.env['BENCH_TOKEN_DELAY_MS'] ?? 50);

const counters = {
  requests: 0,
  unauthorized: 0,
  invalidSignatures: 0,
  tokenRequests: 0,
  /** API requests per access token, for the refresh storm: who used the old token, who the new one. */
  byToken: {} as Record<string, number>,
};
const acceptedTokens = new Set<string>([
  BENCH_CREDENTIALS.githubToken,
  BENCH_CREDENTIALS.expiredAccessToken,
  BENCH_CREDENTIALS.syntheticToken,
]);
let issued = 0;

const oauth1 = new OAuth({
  consumer: { key: BENCH_CREDENTIALS.oauth1.consumerKey, secret: BENCH_CREDENTIALS.oauth1.consumerSecret },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  response.writeHead(status, headers);
  response.end(body);
}

function unauthorized(response: ServerResponse): void {
  counters.unauthorized++;
  send(response, 401, JSON_HEADERS, '{"message":"Bad credentials","status":"401"}');
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^(?:bearer|token) (.+)$/i.exec(header);
  return match?.[1];
}

/** Recomputes the HMAC-SHA1 signature over the URL the client saw (host and port included). */
function oauth1SignatureValid(request: IncomingMessage): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('OAuth ')) return false;
  const parameters: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([^=]+)="([^"]*)"\s*$/.exec(part);
    if (match) parameters[decodeURIComponent(match[1] as string)] = decodeURIComponent(match[2] as string);
  }
  const { oauth_signature: signature, ...protocol } = parameters;
  if (
    protocol['oauth_token'] !== BENCH_CREDENTIALS.oauth1.token ||
    protocol['oauth_consumer_key'] !== BENCH_CREDENTIALS.oauth1.consumerKey
  )
    return false;
  const url = `http://${request.headers.host}${request.url}`;
  const expected = oauth1.getSignature(
    { url, method: request.method ?? 'GET', data: {} },
    BENCH_CREDENTIALS.oauth1.tokenSecret,
    protocol as unknown as OAuth.Authorization,
  );
  return signature === expected;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '/';
  const path = url.split('?', 1)[0] as string;

  if (path.startsWith('/__')) {
    if (path === '/__counters') return send(response, 200, JSON_HEADERS, JSON.stringify(counters));
    if (path === '/__reset') {
      counters.requests = counters.unauthorized = counters.invalidSignatures = counters.tokenRequests = 0;
      counters.byToken = {};
      return send(response, 204, {}, '');
    }
  }
  counters.requests++;

  if (request.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/.test(path)) {
    const token = bearerToken(request);
    if (token === undefined || !acceptedTokens.has(token)) return unauthorized(response);
    counters.byToken[token] = (counters.byToken[token] ?? 0) + 1;
    return send(response, 200, GITHUB_HEADERS, PULL_REQUEST);
  }

  if (request.method === 'POST' && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(path)) {
    const body = await readBody(request);
    if (
      !body.includes('shop {') ||
      request.headers['x-shopify-access-token'] !== BENCH_CREDENTIALS.shopifyToken ||
      request.headers.host !== `${BENCH_CREDENTIALS.shop}.myshopify.com`
    ) {
      return unauthorized(response);
    }
    return send(response, 200, { ...JSON_HEADERS, 'x-shopid': '548380009' }, SHOP);
  }

  if (request.method === 'GET' && /^\/1\/members\/[^/]+$/.test(path)) {
    if (!oauth1SignatureValid(request)) {
      counters.invalidSignatures++;
      return unauthorized(response);
    }
    return send(response, 200, JSON_HEADERS, MEMBER);
  }

  if (request.method === 'GET' && /^\/synthetic\/[^/]+\/items\/[^/]+$/.test(path)) {
    if (bearerToken(request) !== BENCH_CREDENTIALS.syntheticToken) return unauthorized(response);
    return send(response, 200, JSON_HEADERS, '{"id":"1","ok":true}');
  }

  if (request.method === 'POST' && path === '/login/oauth/access_token') {
    counters.tokenRequests++;
    const form = new URLSearchParams(await readBody(request));
    if (
      form.get('grant_type') !== 'refresh_token' ||
      form.get('refresh_token') !== BENCH_CREDENTIALS.refreshToken ||
      form.get('client_id') !== BENCH_CREDENTIALS.oauth2.clientId
    ) {
      return send(
        response,
        200,
        JSON_HEADERS,
        '{"error":"bad_refresh_token","error_description":"The refresh token passed is incorrect or expired."}',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, TOKEN_DELAY_MS));
    issued++;
    const accessToken = `ghu_refreshed${String(issued).padStart(27, '0')}`;
    acceptedTokens.add(accessToken);
    // The same refresh token again, so that a second storm run (or a second refresh) also works.
    return send(
      response,
      200,
      JSON_HEADERS,
      JSON.stringify({
        access_token: accessToken,
        expires_in: 28_800,
        refresh_token: BENCH_CREDENTIALS.refreshToken,
        refresh_token_expires_in: 15_811_200,
        token_type: 'bearer',
        scope: '',
      }),
    );
  }

  send(response, 404, JSON_HEADERS, '{"message":"Not Found"}');
}

const server = createServer({ keepAlive: true }, (request, response) => {
  handle(request, response).catch(() => {
    if (!response.headersSent) send(response, 500, JSON_HEADERS, '{"message":"fake upstream failed"}');
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
// The refresh storm opens up to 1,000 connections at once.
server.maxConnections = 10_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
