import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import {
  CONNECTOR_SPEC_VERSION,
  bearerTokenScheme,
  createToolset,
  defineAction,
  defineConnector,
} from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeDescope, type FakeDescope } from '../test/fake-descope-server.js';
import { descopeProvider } from './index.js';

// The provider through a real toolset: addAuth(app, descopeProvider(...)) and executeAction
// against a local fake third-party API that accepts only the tokens it is told to.
const PROJECT_ID = 'P2testProjectAbc';
const MANAGEMENT_KEY = 'K2mgmt-Secret-Key-9f3a7c1e5b';
const FIRST_TOKEN = 'gho_outboundAccessToken_71d2c4';

interface ApiRequest {
  path: string;
  authorization: string | undefined;
  status: number;
}

interface FakeApi {
  url: string;
  requests: ApiRequest[];
  /** The bearer tokens the API accepts; any other gets a 401. */
  accepted: Set<string>;
  close(): Promise<void>;
}

async function startFakeApi(): Promise<FakeApi> {
  const requests: ApiRequest[] = [];
  const accepted = new Set<string>();
  const sockets = new Set<Socket>();
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const authorization = incoming.headers.authorization;
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const ok = token !== undefined && accepted.has(token);
    requests.push({
      path: new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname,
      authorization,
      status: ok ? 200 : 401,
    });
    outgoing.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify(ok ? { login: 'octocat' } : { message: 'Bad credentials' }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let descope: FakeDescope;
let api: FakeApi;

beforeEach(async () => {
  descope = await startFakeDescope({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
  api = await startFakeApi();
});

afterEach(async () => {
  await Promise.all([descope.close(), api.close()]);
});

function toolsetWithDescope() {
  const connector = defineConnector({
    id: 'octo',
    name: 'Octo',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: api.url,
    authSchemes: [bearerTokenScheme()],
    actions: [
      defineAction({
        name: 'OCTO_GET_THE_AUTHENTICATED_USER',
        description: 'Get the authenticated user.',
        input: z.object({}),
        request: 'GET /user',
      }),
    ],
  });
  const toolset = createToolset({ connectors: [connector] });
  toolset.addAuth(
    'octo',
    descopeProvider({ appId: 'github', projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, baseUrl: descope.url }),
  );
  return toolset;
}

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
const run = (toolset: ReturnType<typeof toolsetWithDescope>, entityId = 'user-42') =>
  toolset.executeAction('OCTO_GET_THE_AUTHENTICATED_USER', {}, { entityId });

describe('descopeProvider in a toolset', () => {
  it("sends the entity's Descope token as a Bearer header and asks Descope once while it is valid", async () => {
    descope.connectUser('github', 'user-42', { accessToken: FIRST_TOKEN, expiresAtSeconds: inSeconds(3600) });
    api.accepted.add(FIRST_TOKEN);
    const toolset = toolsetWithDescope();

    expect(await run(toolset)).toEqual({ successful: true, data: { login: 'octocat' }, error: null });
    await run(toolset);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => run(toolset)));

    expect(concurrent.every((result) => result.successful)).toBe(true);
    expect(api.requests).toHaveLength(7);
    expect(api.requests.every((request) => request.authorization === `Bearer ${FIRST_TOKEN}`)).toBe(true);
    expect(descope.requests).toHaveLength(1);
    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/user/token/latest');
    expect(descope.requests[0]?.json).toEqual({ appId: 'github', userId: 'user-42' });
  });

  it('asks Descope per entity, and again once the token is about to expire', async () => {
    descope.connectUser('github', 'user-42', { accessToken: FIRST_TOKEN, expiresAtSeconds: inSeconds(3600) });
    // Inside the toolset's 30 s margin: never worth caching.
    descope.connectUser('github', 'user-7', { accessToken: 'gho_short_lived', expiresAtSeconds: inSeconds(10) });
    api.accepted.add(FIRST_TOKEN).add('gho_short_lived');
    const toolset = toolsetWithDescope();

    await run(toolset, 'user-42');
    await run(toolset, 'user-7');
    await run(toolset, 'user-7');
    await run(toolset, 'user-42');

    expect(descope.requests.map((request) => (request.json as { userId: string }).userId)).toEqual([
      'user-42',
      'user-7',
      'user-7',
    ]);
    expect(api.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${FIRST_TOKEN}`,
      'Bearer gho_short_lived',
      'Bearer gho_short_lived',
      `Bearer ${FIRST_TOKEN}`,
    ]);
  });

  it('answers a 401 from the API with one forced refresh through Descope and one retry, then uses the new token', async () => {
    descope.connectUser('github', 'user-42', {
      accessToken: FIRST_TOKEN,
      expiresAtSeconds: inSeconds(3600),
      refreshToken: 'gho_refresh',
    });
    api.accepted.add(FIRST_TOKEN);
    const toolset = toolsetWithDescope();
    expect((await run(toolset)).successful).toBe(true);

    // The third-party API revokes the cached token; Descope's refreshed one is accepted.
    const refreshed = `${FIRST_TOKEN}-refreshed-1`;
    api.accepted.clear();
    api.accepted.add(refreshed);
    expect(await run(toolset)).toEqual({ successful: true, data: { login: 'octocat' }, error: null });

    expect(descope.requests.map((request) => request.json)).toEqual([
      { appId: 'github', userId: 'user-42' },
      { appId: 'github', userId: 'user-42', options: { forceRefresh: true } },
    ]);
    expect(descope.refreshes).toBe(1);
    expect(api.requests.map((request) => [request.authorization, request.status])).toEqual([
      [`Bearer ${FIRST_TOKEN}`, 200],
      [`Bearer ${FIRST_TOKEN}`, 401],
      [`Bearer ${refreshed}`, 200],
    ]);

    // The refreshed token is cached in turn.
    expect((await run(toolset)).successful).toBe(true);
    expect(descope.requests).toHaveLength(2);
    expect(api.requests.at(-1)?.authorization).toBe(`Bearer ${refreshed}`);
  });

  it('shares one forced refresh among concurrent calls that all got a 401', async () => {
    descope.connectUser('github', 'user-42', {
      accessToken: FIRST_TOKEN,
      expiresAtSeconds: inSeconds(3600),
      refreshToken: 'gho_refresh',
    });
    api.accepted.add(FIRST_TOKEN);
    const toolset = toolsetWithDescope();
    await run(toolset);
    api.accepted.clear();
    api.accepted.add(`${FIRST_TOKEN}-refreshed-1`);
    descope.delayMs = 50;

    const results = await Promise.all(Array.from({ length: 5 }, () => run(toolset)));

    expect(results.every((result) => result.successful)).toBe(true);
    expect(descope.requests).toHaveLength(2);
    expect(descope.refreshes).toBe(1);
  });

  it('gives up after one forced refresh when the API still refuses, without leaking a token or the key', async () => {
    descope.connectUser('github', 'user-42', {
      accessToken: FIRST_TOKEN,
      expiresAtSeconds: inSeconds(3600),
      refreshToken: 'gho_refresh',
    });
    const toolset = toolsetWithDescope();

    const result = await run(toolset);

    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(descope.requests.map((request) => (request.json as { options?: unknown }).options)).toEqual([
      undefined,
      { forceRefresh: true },
    ]);
    expect(api.requests.map((request) => request.status)).toEqual([401, 401]);
    const rendered = JSON.stringify(result) + inspect(result, { depth: 10 });
    for (const secret of [FIRST_TOKEN, MANAGEMENT_KEY]) expect(rendered).not.toContain(secret);
  });

  it('returns a Descope failure as the result error, and sends nothing to the API', async () => {
    const toolset = toolsetWithDescope();

    const result = await run(toolset, 'never-connected');

    expect(result).toMatchObject({ successful: false, error: { code: 'CREDENTIAL_PROVIDER_ERROR', status: 404 } });
    expect(api.requests).toHaveLength(0);
    expect(JSON.stringify(result)).not.toContain(MANAGEMENT_KEY);
  });
});
