import { SignJWT, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';
import {
  CONNECTOR_SPEC_VERSION,
  basicWithJwtScheme,
  createToolset,
  defineAction,
  defineConnector,
  memoryStore,
} from '../../index.js';

const signingKey = new TextEncoder().encode('test-signing-key-0123456789abcdef');
let server: RecordingServer;
let password: string;
let tokenLifetimeSeconds: number;

beforeEach(async () => {
  password = 'pa55-w0rd!';
  tokenLifetimeSeconds = 3600;
  // A login endpoint that trades Basic credentials for a short-lived JWT, and an API that checks it.
  server = await startRecordingServer(async (request) => {
    if (request.path === '/auth/login') {
      const expected = `Basic ${Buffer.from(`ada:${password}`).toString('base64')}`;
      if (request.method !== 'POST' || request.headers['authorization'] !== expected)
        return { status: 401, json: { message: 'Bad credentials' } };
      const token = await new SignJWT({ sub: 'ada' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + tokenLifetimeSeconds)
        .sign(signingKey);
      return { json: { data: { token } } };
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    try {
      if (!bearer) throw new Error('no token');
      await jwtVerify(bearer, signingKey);
      return { json: { items: [1, 2, 3] } };
    } catch {
      return { status: 401, json: { message: 'Token expired or invalid' } };
    }
  });
});
afterEach(async () => {
  await server.close();
});

function jwtConnector() {
  return defineConnector({
    id: 'jwtapp',
    name: 'JWT app',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: server.url,
    authSchemes: [basicWithJwtScheme({ tokenUrl: `${server.url}/auth/login`, tokenResponseField: 'data.token' })],
    actions: [
      defineAction({
        name: 'JWTAPP_LIST_ITEMS',
        description: 'List items.',
        input: z.object({}),
        request: 'GET /items',
      }),
    ],
  });
}

const logins = () => server.requests.filter((request) => request.path === '/auth/login').length;

describe('BASIC_WITH_JWT', () => {
  it('exchanges the login for a JWT at connection time and sends it as a Bearer token', async () => {
    const toolset = createToolset({ connectors: [jwtConnector()] });
    const request = await toolset.initiateConnection({
      app: 'jwtapp',
      connectedAccountParams: { username: 'ada', password },
    });
    expect(request.connectionStatus).toBe('ACTIVE');
    const connection = await toolset.getConnection(request.connectedAccountId);
    expect(Date.parse(connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await toolset.executeAction('JWTAPP_LIST_ITEMS', {})).toMatchObject({
      successful: true,
      data: { items: [1, 2, 3] },
    });
    expect(logins()).toBe(1);
    expect(server.requests[1]?.headers['authorization']).toMatch(/^Bearer ey/);
  });

  it('refuses a wrong password at once and stores nothing', async () => {
    const store = memoryStore();
    const toolset = createToolset({ connectors: [jwtConnector()], store });
    const error = await toolset
      .initiateConnection({ app: 'jwtapp', connectedAccountParams: { username: 'ada', password: 'wrong-password' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_CONNECTION_PARAMS', status: 401 });
    expect(JSON.stringify(error)).not.toContain('wrong-password');
    expect(await store.listConnections()).toEqual([]);
  });

  it('re-exchanges once, for many concurrent calls, when the JWT is about to expire', async () => {
    tokenLifetimeSeconds = 30; // inside the default 60 s refresh margin
    const toolset = createToolset({ connectors: [jwtConnector()] });
    await toolset.initiateConnection({ app: 'jwtapp', connectedAccountParams: { username: 'ada', password } });
    tokenLifetimeSeconds = 3600;
    const results = await Promise.all(Array.from({ length: 25 }, () => toolset.executeAction('JWTAPP_LIST_ITEMS', {})));
    expect(results.every((result) => result.successful)).toBe(true);
    expect(logins()).toBe(2);
  });

  it('re-exchanges and retries once on a 401', async () => {
    const toolset = createToolset({ connectors: [jwtConnector()] });
    const { connectedAccountId } = await toolset.initiateConnection({
      app: 'jwtapp',
      connectedAccountParams: { username: 'ada', password },
    });
    // The API starts refusing the stored token (revoked server-side).
    const store = toolset.store;
    const current = await store.getConnection(connectedAccountId);
    await store.updateConnection(connectedAccountId, {
      credentials: { ...current?.credentials, access_token: 'revoked.jwt.value' } as Record<string, string>,
    });
    expect(await toolset.executeAction('JWTAPP_LIST_ITEMS', {})).toMatchObject({ successful: true });
    expect(logins()).toBe(2);
    expect(server.requests.filter((request) => request.path === '/items')).toHaveLength(2);
  });

  it('marks the connection EXPIRED with NEEDS_REAUTH when the login stops working, keeping the credentials', async () => {
    const toolset = createToolset({ connectors: [jwtConnector()] });
    const { connectedAccountId } = await toolset.initiateConnection({
      app: 'jwtapp',
      connectedAccountParams: { username: 'ada', password },
    });
    const before = await toolset.getConnectionCredentials(connectedAccountId);
    password = 'changed-by-the-user';
    const error = await toolset.refreshConnection(connectedAccountId).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(await toolset.getConnection(connectedAccountId)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(await toolset.getConnectionCredentials(connectedAccountId)).toEqual(before);
    const result = await toolset.executeAction('JWTAPP_LIST_ITEMS', {}, { connectedAccountId });
    expect(result.error?.code).toBe('CONNECTION_NOT_ACTIVE');
    expect(JSON.stringify(error)).not.toContain(before['password']);
  });

  it('re-connects in place with the new password: same id, ACTIVE, a fresh JWT; a wrong one changes nothing', async () => {
    const toolset = createToolset({ connectors: [jwtConnector()] });
    const { connectedAccountId: id } = await toolset.initiateConnection({
      app: 'jwtapp',
      entityId: 'ada-user',
      connectedAccountParams: { username: 'ada', password },
    });
    const before = await toolset.getConnectionCredentials(id);
    password = 'changed-by-the-user';
    await expect(toolset.refreshConnection(id)).rejects.toMatchObject({ code: 'NEEDS_REAUTH' });

    // The old password again: refused by the login endpoint, and the connection stays as it was.
    await expect(
      toolset.initiateConnection({
        connectionId: id,
        connectedAccountParams: { username: 'ada', password: 'pa55-w0rd!' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CONNECTION_PARAMS', status: 401 });
    expect(await toolset.getConnection(id)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(await toolset.getConnectionCredentials(id)).toEqual(before);

    const request = await toolset.initiateConnection({
      connectionId: id,
      connectedAccountParams: { username: 'ada', password },
    });
    expect(request).toMatchObject({ connectedAccountId: id, connectionStatus: 'ACTIVE' });
    expect(await toolset.getConnection(id)).toMatchObject({ id, entityId: 'ada-user', status: 'ACTIVE' });
    const after = await toolset.getConnectionCredentials(id);
    expect(after['password']).toBe(password);
    // Four logins: connect, the refused refresh, the refused old password, and this one (the JWT
    // itself may equal the old one, being signed over the same claims within the same second).
    expect(logins()).toBe(4);
    expect(server.requests.at(-1)?.headers['authorization']).toBe(
      `Basic ${Buffer.from(`ada:${password}`).toString('base64')}`,
    );
    expect(after['access_token']).toMatch(/^ey/);
    expect(await toolset.listConnections()).toHaveLength(1);
    expect(await toolset.executeAction('JWTAPP_LIST_ITEMS', {}, { connectedAccountId: id })).toMatchObject({
      successful: true,
    });
  });
});
