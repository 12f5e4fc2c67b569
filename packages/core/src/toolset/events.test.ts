import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeOAuth2Server,
  startRecordingServer,
  type FakeOAuth2Options,
  type FakeOAuth2Server,
  type RecordingServer,
} from '@plugboard/fakes';
import { acmeConnector, octoConnector } from '../../test/fixtures.js';
import { createToolset, defineAction, type ToolsetEvent, type ToolsetOptions } from '../index.js';

const redirectUri = 'https://app.example/callback';
let server: FakeOAuth2Server | undefined;
let recording: RecordingServer | undefined;

afterEach(async () => {
  await server?.close();
  await recording?.close();
  server = undefined;
  recording = undefined;
});

async function startOAuth2(serverOptions: FakeOAuth2Options = {}, toolsetOptions: ToolsetOptions = {}) {
  const fake = await startFakeOAuth2Server({
    resourceHandler: (request) =>
      request.path.endsWith('/missing') ? { status: 404, json: { message: 'Not Found' } } : undefined,
    ...serverOptions,
  });
  server = fake;
  const connector = octoConnector(fake, [
    defineAction({ name: 'OCTO_MISSING', description: 'Not there.', input: z.object({}), request: 'GET /missing' }),
    defineAction({
      name: 'OCTO_ADD_NOTE',
      description: 'Adds a note.',
      input: z.object({ note: z.string().min(3) }),
      request: 'POST /notes',
    }),
  ]);
  const events: ToolsetEvent[] = [];
  const toolset = createToolset({
    connectors: [connector],
    refresh: { retryBaseMs: 5 },
    onEvent: (event) => {
      events.push(event);
    },
    ...toolsetOptions,
  });
  const integration = await toolset.createIntegration({
    app: 'octo',
    authMode: 'OAUTH2',
    authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
  });
  return { fake, toolset, integration, events };
}

type Started = Awaited<ReturnType<typeof startOAuth2>>;

async function connect({ fake, toolset, integration }: Started, entityId = 'user-1') {
  const request = await toolset.initiateConnection({ integrationId: integration.id, entityId, redirectUri });
  const response = await toolset.handleCallback(
    new Request(await fake.authorizeAndFollow(request.redirectUrl as string)),
  );
  expect(response.status).toBe(200);
  return request.connectedAccountId;
}

const typesOf = (events: readonly ToolsetEvent[]) => events.map((event) => event.type);

describe('connection events', () => {
  it('an OAuth 2.0 callback emits created (INITIATED), then status_changed to ACTIVE', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    expect(typesOf(started.events)).toEqual(['connection.created', 'connection.status_changed']);
    const [created, changed] = started.events;
    expect(created).toMatchObject({
      type: 'connection.created',
      connection: { id: connectionId, app: 'octo', authMode: 'OAUTH2', entityId: 'user-1', status: 'INITIATED' },
    });
    expect(changed).toMatchObject({
      type: 'connection.status_changed',
      previousStatus: 'INITIATED',
      connection: { id: connectionId, status: 'ACTIVE' },
    });
    for (const event of started.events) {
      expect(Date.parse(event.at)).not.toBeNaN();
      expect(event).not.toHaveProperty('connection.credentials');
      expect(event).not.toHaveProperty('connection.version');
    }
  });

  it('a denied authorization emits status_changed to FAILED with the provider reason', async () => {
    const started = await startOAuth2();
    const request = await started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri });
    started.fake.denyNext('access_denied');
    await started.toolset.handleCallback(
      new Request(await started.fake.authorizeAndFollow(request.redirectUrl as string)),
    );
    expect(typesOf(started.events)).toEqual(['connection.created', 'connection.status_changed']);
    expect(started.events[1]).toMatchObject({
      previousStatus: 'INITIATED',
      connection: { id: request.connectedAccountId, status: 'FAILED', statusReason: { code: 'access_denied' } },
    });
  });

  it('a refused code exchange emits status_changed to FAILED', async () => {
    const started = await startOAuth2();
    const request = await started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri });
    const callback = await started.fake.authorizeAndFollow(request.redirectUrl as string);
    started.fake.failNextTokenRequests(1, 400);
    await started.toolset.completeConnection({ url: callback }).catch(() => undefined);
    expect(typesOf(started.events)).toEqual(['connection.created', 'connection.status_changed']);
    expect(started.events[1]).toMatchObject({ previousStatus: 'INITIATED', connection: { status: 'FAILED' } });
  });

  it('an API key connection emits created (ACTIVE) and no status_changed for its creation', async () => {
    recording = await startRecordingServer(() => ({ json: { ok: true } }));
    const events: ToolsetEvent[] = [];
    const toolset = createToolset({ connectors: [acmeConnector(recording.url)] });
    toolset.on('*', (event) => {
      events.push(event);
    });
    const request = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'API_KEY',
      connectedAccountParams: { api_key: 'key-123456' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'connection.created',
      connection: { id: request.connectedAccountId, status: 'ACTIVE', authMode: 'API_KEY', entityId: 'default' },
    });
  });

  it('disable and enable emit status_changed; delete emits deleted', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    started.events.length = 0;
    await started.toolset.disableConnection(connectionId);
    await started.toolset.enableConnection(connectionId);
    await started.toolset.deleteConnection(connectionId);
    expect(started.events).toMatchObject([
      {
        type: 'connection.status_changed',
        previousStatus: 'ACTIVE',
        connection: { status: 'INACTIVE', statusReason: { code: 'DISABLED' } },
      },
      { type: 'connection.status_changed', previousStatus: 'INACTIVE', connection: { status: 'ACTIVE' } },
      { type: 'connection.deleted', connection: { id: connectionId, status: 'ACTIVE' } },
    ]);
    await expect(started.toolset.deleteConnection(connectionId)).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
    });
    expect(started.events).toHaveLength(3);
  });

  it('deleting an integration emits deleted for each of its connections', async () => {
    const started = await startOAuth2();
    const first = await connect(started, 'user-1');
    const second = await connect(started, 'user-2');
    started.events.length = 0;
    await started.toolset.deleteIntegration(started.integration.id);
    expect(typesOf(started.events)).toEqual(['connection.deleted', 'connection.deleted']);
    expect(started.events.map((event) => 'connection' in event && event.connection.id).sort()).toEqual(
      [first, second].sort(),
    );
  });
});

describe('token events', () => {
  it('a refresh emits token.refreshed once, with the stored connection', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    started.events.length = 0;
    const refreshed = await started.toolset.refreshConnection(connectionId);
    expect(started.events).toEqual([{ type: 'token.refreshed', at: expect.any(String), connection: refreshed }]);
  });

  it('a refresh on expiry during an execution emits token.refreshed before action.executed', async () => {
    const started = await startOAuth2({ accessTokenTtlSeconds: 30 });
    await connect(started);
    started.events.length = 0;
    expect((await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })).successful).toBe(true);
    expect(typesOf(started.events)).toEqual(['token.refreshed', 'action.executed']);
  });

  it('a refused refresh (invalid_grant) emits token.refresh_failed, then status_changed to EXPIRED', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    const credentials = await started.toolset.getConnectionCredentials(connectionId);
    started.fake.revokeRefreshToken(credentials['refresh_token'] as string);
    started.events.length = 0;
    await expect(started.toolset.refreshConnection(connectionId)).rejects.toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(typesOf(started.events)).toEqual(['token.refresh_failed', 'connection.status_changed']);
    expect(started.events[0]).toMatchObject({
      connection: { id: connectionId, status: 'EXPIRED' },
      error: { code: 'NEEDS_REAUTH', message: expect.stringContaining('invalid_grant') },
    });
    expect(started.events[1]).toMatchObject({
      previousStatus: 'ACTIVE',
      connection: { id: connectionId, status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH' } },
    });
  });

  it('a refresh that keeps failing for a passing reason emits token.refresh_failed and no status change', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    started.events.length = 0;
    started.fake.failNextTokenRequests(10, 503);
    await expect(started.toolset.refreshConnection(connectionId)).rejects.toMatchObject({ code: 'REFRESH_FAILED' });
    expect(started.events).toMatchObject([
      { type: 'token.refresh_failed', connection: { status: 'ACTIVE' }, error: { code: 'REFRESH_FAILED' } },
    ]);
  });
});

describe('action.executed', () => {
  it('reports app, action, entity, connection, HTTP status and duration of a successful call', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    started.events.length = 0;
    const before = performance.now();
    await started.toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' });
    const elapsed = performance.now() - before;
    expect(started.events).toHaveLength(1);
    const [event] = started.events;
    expect(event).toEqual({
      type: 'action.executed',
      at: expect.any(String),
      app: 'octo',
      action: 'OCTO_WHOAMI',
      entityId: 'user-1',
      connectionId,
      successful: true,
      httpStatus: 200,
      durationMs: expect.any(Number),
    });
    const durationMs = (event as { durationMs: number }).durationMs;
    expect(durationMs).toBeGreaterThan(0);
    expect(durationMs).toBeLessThanOrEqual(elapsed);
  });

  it('reports the upstream status and the error code of a failed call', async () => {
    const started = await startOAuth2();
    const connectionId = await connect(started);
    started.events.length = 0;
    await started.toolset.executeAction('OCTO_MISSING', {}, { connectedAccountId: connectionId });
    expect(started.events).toMatchObject([
      {
        type: 'action.executed',
        action: 'OCTO_MISSING',
        connectionId,
        entityId: 'user-1',
        successful: false,
        httpStatus: 404,
        errorCode: 'UPSTREAM_ERROR',
      },
    ]);
  });

  it('reports invalid input with its code, no HTTP status, and nothing sent', async () => {
    const started = await startOAuth2();
    await connect(started);
    started.events.length = 0;
    const requestsBefore = started.fake.counters.resourceRequests;
    await started.toolset.executeAction('OCTO_ADD_NOTE', { note: 'x' }, { entityId: 'user-1' });
    expect(started.fake.counters.resourceRequests).toBe(requestsBefore);
    expect(started.events).toHaveLength(1);
    expect(started.events[0]).toMatchObject({ successful: false, errorCode: 'INVALID_PARAMS', app: 'octo' });
    expect(started.events[0]).not.toHaveProperty('httpStatus');
  });

  it('reports an unknown action by the name asked for', async () => {
    const started = await startOAuth2();
    await started.toolset.executeAction('OCTO_NOPE', {});
    expect(started.events).toMatchObject([
      { type: 'action.executed', action: 'OCTO_NOPE', successful: false, errorCode: 'ACTION_NOT_FOUND' },
    ]);
  });
});

describe('listeners', () => {
  it('are called in order of registration, filtered by type, and stop when unsubscribed', async () => {
    const started = await startOAuth2();
    const calls: string[] = [];
    const stopFirst = started.toolset.on('connection.status_changed', (event) => {
      calls.push(`first:${event.previousStatus}->${event.connection.status}`);
    });
    started.toolset.on('*', (event) => {
      calls.push(`all:${event.type}`);
    });
    started.toolset.on('token.refreshed', () => {
      calls.push('refreshed');
    });
    const connectionId = await connect(started);
    stopFirst();
    await started.toolset.disableConnection(connectionId);
    expect(calls).toEqual([
      'all:connection.created',
      'first:INITIATED->ACTIVE',
      'all:connection.status_changed',
      'all:connection.status_changed',
    ]);
  });

  it('a listener that throws or rejects does not break the operation and is reported', async () => {
    const reported: Array<{ type: string; message: string }> = [];
    const started = await startOAuth2(
      {},
      {
        onListenerError: (error, event) => {
          reported.push({ type: event.type, message: (error as Error).message });
        },
      },
    );
    const seenAfter: string[] = [];
    started.toolset.on('*', () => {
      throw new Error('listener broke');
    });
    started.toolset.on('*', async () => {
      throw new Error('listener rejected');
    });
    started.toolset.on('*', (event) => {
      seenAfter.push(event.type);
    });
    const connectionId = await connect(started);
    const result = await started.toolset.executeAction('OCTO_WHOAMI', {}, { connectedAccountId: connectionId });
    expect(result.successful).toBe(true);
    expect((await started.toolset.getConnection(connectionId)).status).toBe('ACTIVE');
    expect(seenAfter).toEqual(['connection.created', 'connection.status_changed', 'action.executed']);
    // Rejections are reported once their promise settles.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reported.filter((entry) => entry.message === 'listener broke').map((entry) => entry.type)).toEqual(
      seenAfter,
    );
    expect(reported.filter((entry) => entry.message === 'listener rejected').map((entry) => entry.type)).toEqual(
      seenAfter,
    );
  });

  it('does not wait for a slow asynchronous listener', async () => {
    const started = await startOAuth2();
    let release: () => void = () => undefined;
    started.toolset.on('connection.created', () => new Promise<void>((resolve) => (release = resolve)));
    const request = await started.toolset.initiateConnection({ integrationId: started.integration.id, redirectUri });
    expect(request.connectionStatus).toBe('INITIATED');
    release();
  });
});

describe('secrets', () => {
  it('no event of a whole lifecycle carries a credential, a token or an input value', async () => {
    const started = await startOAuth2({ accessTokenTtlSeconds: 30, rotateRefreshTokens: true });
    const connectionId = await connect(started);
    await started.toolset.executeAction('OCTO_ADD_NOTE', { note: 'input-secret-value' }, { entityId: 'user-1' });
    await started.toolset.executeAction('OCTO_ADD_NOTE', { note: 'no' }, { entityId: 'user-1' });
    await started.toolset.refreshConnection(connectionId);
    await started.toolset.executeAction('OCTO_MISSING', {}, { entityId: 'user-1' });
    const credentials = await started.toolset.getConnectionCredentials(connectionId);
    started.fake.revokeRefreshToken(credentials['refresh_token'] as string);
    await started.toolset.refreshConnection(connectionId).catch(() => undefined);
    await started.toolset.deleteConnection(connectionId);

    expect(new Set(typesOf(started.events))).toEqual(
      new Set([
        'connection.created',
        'connection.status_changed',
        'token.refreshed',
        'token.refresh_failed',
        'action.executed',
        'connection.deleted',
      ]),
    );
    const json = JSON.stringify(started.events);
    const secrets = [
      DEFAULT_CLIENT_SECRET,
      'input-secret-value',
      ...started.fake.issuedTokens.flatMap((token) => [token.accessToken, token.refreshToken]),
    ].filter((value): value is string => typeof value === 'string' && value.length > 0);
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of secrets) expect(json).not.toContain(secret);
  });
});
