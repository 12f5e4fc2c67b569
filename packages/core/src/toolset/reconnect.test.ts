import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeOAuth1Server,
  startFakeOAuth2Server,
  startRecordingServer,
  type FakeOAuth1Server,
  type FakeOAuth2Server,
  type RecordingServer,
} from '@plugboard/fakes';
import { acmeConnector, octoConnector } from '../../test/fixtures.js';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  oauth1Scheme,
  type Toolset,
  type ToolsetEvent,
} from '../index.js';

const redirectUri = 'https://app.example/callback';
let oauth2: FakeOAuth2Server | undefined;
let oauth1: FakeOAuth1Server | undefined;
let recording: RecordingServer | undefined;

afterEach(async () => {
  await oauth2?.close();
  await oauth1?.close();
  await recording?.close();
  oauth2 = undefined;
  oauth1 = undefined;
  recording = undefined;
});

const typesOf = (events: readonly ToolsetEvent[]) => events.map((event) => event.type);

/** An OAuth 2.0 connection whose refresh token the provider revoked: EXPIRED with NEEDS_REAUTH, as in production. */
async function expiredOAuth2Connection() {
  const fake = await startFakeOAuth2Server();
  oauth2 = fake;
  const connector = octoConnector(fake);
  const events: ToolsetEvent[] = [];
  const toolset = createToolset({
    connectors: [connector],
    refresh: { retryBaseMs: 5 },
    onEvent: (event) => {
      events.push(event);
    },
  });
  const integration = await toolset.createIntegration({
    app: 'octo',
    authMode: 'OAUTH2',
    authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
  });
  const request = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'user-1', redirectUri });
  await toolset.handleCallback(new Request(await fake.authorizeAndFollow(request.redirectUrl as string)));
  const id = request.connectedAccountId;
  const old = await toolset.getConnectionCredentials(id);
  fake.revokeRefreshToken(old['refresh_token'] as string);
  await expect(toolset.refreshConnection(id)).rejects.toMatchObject({ code: 'NEEDS_REAUTH' });
  expect(await toolset.getConnection(id)).toMatchObject({ status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH' } });
  events.length = 0;
  return { fake, toolset, integration, id, old, events };
}

async function expire(toolset: Toolset, id: string) {
  const connection = await toolset.store.getConnection(id);
  await toolset.store.updateConnection(
    id,
    { status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH', message: 'The provider refused the credentials.' } },
    { expectedVersion: connection?.version as number },
  );
}

describe('re-connecting an OAuth 2.0 connection in place', () => {
  it('keeps the id, entity and integration; the callback makes it ACTIVE with new tokens', async () => {
    const { fake, toolset, integration, id, old, events } = await expiredOAuth2Connection();
    const request = await toolset.initiateConnection({ connectionId: id, redirectUri });
    expect(request.connectedAccountId).toBe(id);
    expect(request.integrationId).toBe(integration.id);
    expect(request.connectionStatus).toBe('EXPIRED');
    // Until the callback the old connection is untouched and nothing is announced.
    expect(events).toEqual([]);
    expect(await toolset.listConnections()).toHaveLength(1);

    const waiting = request.waitUntilActive({ timeoutMs: 2_000, pollIntervalMs: 10 });
    const response = await toolset.handleCallback(
      new Request(await fake.authorizeAndFollow(request.redirectUrl as string)),
    );
    expect(response.status).toBe(200);
    expect(await waiting).toMatchObject({ id, status: 'ACTIVE', entityId: 'user-1' });

    const connection = await toolset.getConnection(id);
    expect(connection.statusReason).toBeUndefined();
    const fresh = await toolset.getConnectionCredentials(id);
    expect(fresh['access_token']).not.toBe(old['access_token']);
    expect(fresh['refresh_token']).not.toBe(old['refresh_token']);
    expect(fake.issuedTokens.some((token) => token.accessToken === fresh['access_token'])).toBe(true);
    expect(await toolset.listConnections()).toHaveLength(1);

    expect(typesOf(events)).toEqual(['connection.status_changed']);
    expect(events[0]).toMatchObject({ previousStatus: 'EXPIRED', connection: { id, status: 'ACTIVE' } });
    const result = await toolset.executeAction('OCTO_WHOAMI', {}, { connectedAccountId: id });
    expect(result.successful).toBe(true);
  });

  it('a denied callback leaves it EXPIRED with its reason, emits nothing, and ends the wait', async () => {
    const { fake, toolset, id, events } = await expiredOAuth2Connection();
    const request = await toolset.initiateConnection({ connectionId: id, redirectUri });
    const waiting = request.waitUntilActive({ timeoutMs: 2_000, pollIntervalMs: 10 });
    fake.denyNext('access_denied');
    const response = await toolset.handleCallback(
      new Request(await fake.authorizeAndFollow(request.redirectUrl as string)),
    );
    expect(response.status).toBe(400);
    await expect(waiting).rejects.toMatchObject({ code: 'CONNECTION_FAILED', details: { status: 'EXPIRED' } });
    expect(await toolset.getConnection(id)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(events).toEqual([]);
  });

  it('a refused code exchange leaves it EXPIRED', async () => {
    const { fake, toolset, id, events } = await expiredOAuth2Connection();
    const request = await toolset.initiateConnection({ connectionId: id, redirectUri });
    const callback = await fake.authorizeAndFollow(request.redirectUrl as string);
    fake.failNextTokenRequests(1, 400);
    await expect(toolset.completeConnection({ url: callback })).rejects.toBeDefined();
    expect((await toolset.getConnection(id)).status).toBe('EXPIRED');
    expect(events).toEqual([]);
  });

  it('a second callback for the same connection after it is ACTIVE again is refused', async () => {
    const { fake, toolset, id } = await expiredOAuth2Connection();
    const first = await toolset.initiateConnection({ connectionId: id, redirectUri });
    const second = await toolset.initiateConnection({ connectionId: id, redirectUri });
    const firstCallback = await fake.authorizeAndFollow(first.redirectUrl as string);
    const secondCallback = await fake.authorizeAndFollow(second.redirectUrl as string);
    await toolset.completeConnection({ url: firstCallback });
    const credentials = await toolset.getConnectionCredentials(id);
    await expect(toolset.completeConnection({ url: secondCallback })).rejects.toMatchObject({
      code: 'OAUTH_STATE_INVALID',
    });
    expect(await toolset.getConnectionCredentials(id)).toEqual(credentials);
  });

  it('refuses an ACTIVE, INACTIVE or INITIATED connection, an unknown id and a mismatch', async () => {
    const { fake, toolset, integration, id } = await expiredOAuth2Connection();
    await expect(toolset.initiateConnection({ connectionId: 'nope', redirectUri })).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
    });
    await expect(
      toolset.initiateConnection({ connectionId: id, entityId: 'someone-else', redirectUri }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('entityId') });
    await expect(toolset.initiateConnection({ connectionId: id, app: 'other', redirectUri })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(
      toolset.initiateConnection({ connectionId: id, integrationId: 'another-integration', redirectUri }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    const pending = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    await expect(
      toolset.initiateConnection({ connectionId: pending.connectedAccountId, redirectUri }),
    ).rejects.toMatchObject({ code: 'CONNECTION_NOT_RECONNECTABLE', details: { status: 'INITIATED' } });
    await toolset.completeConnection({
      url: await fake.authorizeAndFollow(
        (await toolset.initiateConnection({ connectionId: id, redirectUri })).redirectUrl as string,
      ),
    });
    await expect(toolset.initiateConnection({ connectionId: id, redirectUri })).rejects.toMatchObject({
      code: 'CONNECTION_NOT_RECONNECTABLE',
      details: { status: 'ACTIVE' },
    });
    await toolset.disableConnection(id);
    await expect(toolset.initiateConnection({ connectionId: id, redirectUri })).rejects.toMatchObject({
      code: 'CONNECTION_NOT_RECONNECTABLE',
      details: { status: 'INACTIVE' },
    });
    expect(await toolset.listConnections({ status: 'INACTIVE' })).toHaveLength(1);
  });
});

describe('re-connecting a FAILED OAuth 2.0 connection', () => {
  it('a connection whose first authorization was denied is completed in place later', async () => {
    const { fake, toolset, integration } = await expiredOAuth2Connection();
    const first = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'user-2', redirectUri });
    fake.denyNext('access_denied');
    await toolset.handleCallback(new Request(await fake.authorizeAndFollow(first.redirectUrl as string)));
    const id = first.connectedAccountId;
    expect(await toolset.getConnection(id)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'access_denied' },
    });
    const events: ToolsetEvent[] = [];
    toolset.on('*', (event) => void events.push(event));

    const again = await toolset.initiateConnection({ connectionId: id, redirectUri });
    fake.denyNext('access_denied');
    await toolset.handleCallback(new Request(await fake.authorizeAndFollow(again.redirectUrl as string)));
    expect((await toolset.getConnection(id)).status).toBe('FAILED');

    const last = await toolset.initiateConnection({ connectionId: id, redirectUri });
    await toolset.handleCallback(new Request(await fake.authorizeAndFollow(last.redirectUrl as string)));
    expect(await toolset.getConnection(id)).toMatchObject({ id, status: 'ACTIVE', entityId: 'user-2' });
    expect(typesOf(events)).toEqual(['connection.status_changed']);
    expect(events[0]).toMatchObject({ previousStatus: 'FAILED', connection: { id, status: 'ACTIVE' } });
  });
});

describe('re-connecting an OAuth 1.0a connection in place', () => {
  async function start() {
    oauth1 = await startFakeOAuth1Server();
    const connector = defineConnector({
      id: 'boards',
      name: 'Boards',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: `${oauth1.url}/1`,
      authSchemes: [oauth1Scheme({ ...oauth1.settings('HMAC-SHA1') })],
      actions: [
        defineAction({
          name: 'BOARDS_GET_MEMBER',
          description: 'Get a member.',
          input: z.object({ id: z.string() }),
          request: 'GET /members/{id}',
        }),
      ],
    });
    const events: ToolsetEvent[] = [];
    const toolset = createToolset({ connectors: [connector], onEvent: (event) => void events.push(event) });
    const integration = await toolset.createIntegration({
      app: 'boards',
      authMode: 'OAUTH1',
      authConfig: { consumer_key: oauth1.consumerKey, consumer_secret: oauth1.consumerSecret },
    });
    const request = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'jane', redirectUri });
    await toolset.completeConnection({ url: await follow(request.redirectUrl as string) });
    const id = request.connectedAccountId;
    await expire(toolset, id);
    events.length = 0;
    return { toolset, id, events };
  }

  async function follow(redirectUrl: string): Promise<string> {
    const response = await fetch(redirectUrl, { redirect: 'manual' });
    return response.headers.get('location') as string;
  }

  it('the verifier completes the same connection with new token credentials', async () => {
    const { toolset, id, events } = await start();
    const old = await toolset.getConnectionCredentials(id);
    const request = await toolset.initiateConnection({ connectionId: id, redirectUri });
    expect(request.connectedAccountId).toBe(id);
    const connection = await toolset.completeConnection({ url: await follow(request.redirectUrl as string) });
    expect(connection).toMatchObject({ id, status: 'ACTIVE', entityId: 'jane' });
    const fresh = await toolset.getConnectionCredentials(id);
    expect(fresh['oauth_token']).not.toBe(old['oauth_token']);
    expect(oauth1?.accessTokens.has(fresh['oauth_token'] as string)).toBe(true);
    expect(typesOf(events)).toEqual(['connection.status_changed']);
    expect(events[0]).toMatchObject({ previousStatus: 'EXPIRED', connection: { id, status: 'ACTIVE' } });
    expect(
      (await toolset.executeAction('BOARDS_GET_MEMBER', { id: 'me' }, { connectedAccountId: id })).successful,
    ).toBe(true);
  });

  it('a denied authorization leaves it EXPIRED', async () => {
    const { toolset, id, events } = await start();
    const request = await toolset.initiateConnection({ connectionId: id, redirectUri });
    const token = new URL(request.redirectUrl as string).searchParams.get('oauth_token') as string;
    const denied = `${redirectUri}?oauth_token=${encodeURIComponent(token)}&denied=${encodeURIComponent(token)}`;
    await expect(toolset.completeConnection({ url: denied })).rejects.toMatchObject({ code: 'OAUTH_CALLBACK_ERROR' });
    expect(await toolset.getConnection(id)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });
    expect(events).toEqual([]);
  });
});

describe('re-connecting an API key connection in place', () => {
  async function start() {
    recording = await startRecordingServer(() => ({ json: { ok: true } }));
    const events: ToolsetEvent[] = [];
    const toolset = createToolset({
      connectors: [acmeConnector(recording.url)],
      onEvent: (event) => void events.push(event),
    });
    const request = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'API_KEY',
      entityId: 'user-7',
      connectedAccountParams: { api_key: 'old-key' },
    });
    const id = request.connectedAccountId;
    await expire(toolset, id);
    events.length = 0;
    return { toolset, id, events, recording };
  }

  it('replaces the credentials, becomes ACTIVE and emits only status_changed from EXPIRED', async () => {
    const { toolset, id, events, recording } = await start();
    const request = await toolset.initiateConnection({
      connectionId: id,
      connectedAccountParams: { api_key: 'new-key' },
    });
    expect(request).toMatchObject({ connectedAccountId: id, connectionStatus: 'ACTIVE', redirectUrl: undefined });
    expect(await toolset.getConnectionCredentials(id)).toEqual({ api_key: 'new-key' });
    expect(await toolset.getConnection(id)).toMatchObject({ id, entityId: 'user-7', status: 'ACTIVE' });
    expect((await toolset.getConnection(id)).statusReason).toBeUndefined();
    expect(typesOf(events)).toEqual(['connection.status_changed']);
    expect(events[0]).toMatchObject({ previousStatus: 'EXPIRED', connection: { id, status: 'ACTIVE' } });
    expect(JSON.stringify(events)).not.toContain('new-key');
    await toolset.executeAction('ACME_GET_THING', { owner: 'o', thing_id: 1 }, { entityId: 'user-7' });
    expect(recording.requests.at(-1)?.headers['x-api-key']).toBe('new-key');
  });

  it('checks the new credentials first: invalid ones change nothing', async () => {
    const { toolset, id, events } = await start();
    await expect(toolset.initiateConnection({ connectionId: id, connectedAccountParams: {} })).rejects.toMatchObject({
      code: 'INVALID_CONNECTION_PARAMS',
    });
    await expect(
      toolset.initiateConnection({ connectionId: id, connectedAccountParams: { api_key: 'bad\r\nX-Injected: 1' } }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(await toolset.getConnection(id)).toMatchObject({ status: 'EXPIRED' });
    expect(await toolset.getConnectionCredentials(id)).toEqual({ api_key: 'old-key' });
    expect(events).toEqual([]);
  });

  it('two concurrent re-connects: one wins, the other fails with STORE_CONFLICT', async () => {
    const { toolset, id, events } = await start();
    const outcomes = await Promise.allSettled([
      toolset.initiateConnection({ connectionId: id, connectedAccountParams: { api_key: 'key-a' } }),
      toolset.initiateConnection({ connectionId: id, connectedAccountParams: { api_key: 'key-b' } }),
    ]);
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_CONFLICT' });
    expect(typesOf(events)).toEqual(['connection.status_changed']);
  });
});
