import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { acmeConnector, shopConnector } from '../../test/fixtures.js';
import { createToolset, memoryStore } from '../index.js';

const base = 'http://127.0.0.1:9';
const secret = 'sk_live_0123456789abcdef';

function setup(options: Parameters<typeof createToolset>[0] = {}) {
  const store = options.store ?? memoryStore();
  return {
    store,
    toolset: createToolset({
      connectors: [acmeConnector(base), shopConnector('http://{shop}.shoply.test:9')],
      store,
      ...options,
    }),
  };
}

describe('integrations', () => {
  it('creates an integration after checking developer fields, and redacts secrets when shown', async () => {
    const { toolset, store } = setup();
    const integration = await toolset.createIntegration({
      app: 'acme',
      authMode: 'OAUTH2',
      authConfig: { client_id: 'client-1', client_secret: secret, scopes: 'read write' },
    });
    expect(integration).toMatchObject({
      app: 'acme',
      authMode: 'OAUTH2',
      usesDefaultOAuthApp: false,
      authConfig: { client_id: 'client-1', client_secret: '[REDACTED]', scopes: ['read', 'write'] },
    });
    expect((await store.getIntegration(integration.id))?.authConfig['client_secret']).toBe(secret);
    expect(JSON.stringify(await toolset.listIntegrations({ app: 'acme' }))).not.toContain(secret);
    expect(JSON.stringify(await toolset.getIntegration(integration.id))).not.toContain(secret);
  });

  it('names missing developer fields and never echoes a given secret', async () => {
    const { toolset, store } = setup();
    const error = await toolset
      .createIntegration({ app: 'acme', authMode: 'OAUTH2', authConfig: { client_secret: secret, extra: 1 } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'INVALID_AUTH_CONFIG',
      details: { missing: ['client_id'], unknown: ['extra'] },
    });
    expect((error as Error).message).toContain('"client_id"');
    expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toContain(secret);
    expect(await store.listIntegrations()).toEqual([]);
  });

  it('uses the toolset default OAuth app when authConfig is omitted', async () => {
    const { toolset } = setup({ oauthApps: { acme: { client_id: 'default-app', client_secret: secret } } });
    const integration = await toolset.createIntegration({ app: 'acme', authMode: 'OAUTH2' });
    expect(integration).toMatchObject({ usesDefaultOAuthApp: true, authConfig: {} });
    const { toolset: withoutDefault } = setup();
    await expect(withoutDefault.createIntegration({ app: 'acme', authMode: 'OAUTH2' })).rejects.toMatchObject({
      code: 'INVALID_AUTH_CONFIG',
    });
  });

  it('refuses an unknown app or mode, and deleting an integration removes its connections', async () => {
    const { toolset } = setup();
    await expect(toolset.createIntegration({ app: 'nope' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    await expect(toolset.createIntegration({ app: 'shoply', authMode: 'BASIC' })).rejects.toMatchObject({
      code: 'AUTH_SCHEME_NOT_FOUND',
    });
    const integration = await toolset.createIntegration({ app: 'acme', authMode: 'BEARER_TOKEN' });
    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      connectedAccountParams: { token: secret },
    });
    await toolset.deleteIntegration(integration.id);
    await expect(toolset.getConnection(request.connectedAccountId)).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
    });
    await expect(toolset.deleteIntegration(integration.id)).rejects.toMatchObject({ code: 'INTEGRATION_NOT_FOUND' });
    await expect(toolset.getIntegration('missing')).rejects.toMatchObject({ code: 'INTEGRATION_NOT_FOUND' });
  });
});

describe('initiateConnection', () => {
  it('stores an ACTIVE connection for API_KEY, BEARER_TOKEN and BASIC, without showing credentials', async () => {
    const { toolset, store } = setup();
    for (const [authMode, params] of [
      ['API_KEY', { api_key: secret }],
      ['BEARER_TOKEN', { token: secret }],
      ['BASIC', { username: 'ada', password: secret }],
    ] as const) {
      const integration = await toolset.createIntegration({ app: 'acme', authMode });
      const request = await toolset.initiateConnection({
        integrationId: integration.id,
        entityId: 'user-42',
        connectedAccountParams: params,
      });
      expect(request).toMatchObject({
        connectionStatus: 'ACTIVE',
        redirectUrl: undefined,
        integrationId: integration.id,
      });
      const connection = await toolset.getConnection(request.connectedAccountId);
      expect(connection).toMatchObject({ app: 'acme', authMode, entityId: 'user-42', status: 'ACTIVE' });
      expect(JSON.stringify(connection)).not.toContain(secret);
      expect((await store.getConnection(request.connectedAccountId))?.credentials).toMatchObject(params);
      expect(await toolset.getConnectionCredentials(request.connectedAccountId)).toMatchObject(params);
      await expect(request.waitUntilActive({ timeoutMs: 100 })).resolves.toMatchObject({
        id: request.connectedAccountId,
        status: 'ACTIVE',
      });
    }
    expect(await toolset.listConnections({ entityId: 'user-42' })).toHaveLength(3);
  });

  it('takes an app instead of an integration, creating the integration when no developer field is needed', async () => {
    const { toolset } = setup();
    const request = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      connectedAccountParams: { token: secret },
    });
    const again = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      connectedAccountParams: { token: secret },
    });
    expect(again.integrationId).toBe(request.integrationId);
    expect(await toolset.listIntegrations()).toHaveLength(1);
    // The preferred mode is used when none is named.
    const preferred = await toolset.initiateConnection({ app: 'acme', connectedAccountParams: { api_key: secret } });
    expect((await toolset.getConnection(preferred.connectedAccountId)).authMode).toBe('API_KEY');
  });

  it('says which integration fields are missing when an app-only connection needs them', async () => {
    const { toolset } = setup();
    const error = await toolset
      .initiateConnection({ app: 'acme', authMode: 'OAUTH2' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_AUTH_CONFIG', details: { missing: ['client_id', 'client_secret'] } });
    expect((error as Error).message).toContain('createIntegration');
  });

  it('names a missing required user field, fills defaults and stores nothing on bad input', async () => {
    const { toolset, store } = setup();
    await expect(
      toolset.initiateConnection({ app: 'shoply', connectedAccountParams: { api_key: secret } }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONNECTION_PARAMS',
      details: { missing: ['shop'] },
    });
    const badPattern = await toolset
      .initiateConnection({ app: 'shoply', connectedAccountParams: { api_key: secret, shop: 'evil.com/x' } })
      .catch((caught: unknown) => caught);
    expect(badPattern).toMatchObject({ code: 'INVALID_CONNECTION_PARAMS', details: { invalid: [{ field: 'shop' }] } });
    expect(JSON.stringify(badPattern)).not.toContain(secret);
    await expect(
      toolset.initiateConnection({
        app: 'shoply',
        connectedAccountParams: { api_key: secret, shop: 'acme', color: 'red' },
      }),
    ).rejects.toMatchObject({
      details: { unknown: ['color'] },
    });
    await expect(
      toolset.initiateConnection({
        app: 'acme',
        authMode: 'BASIC',
        connectedAccountParams: { username: 'a:b', password: 'x' },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    expect(await store.listConnections()).toEqual([]);
    // BASIC's password defaults to '' but is required: a missing one is reported.
    await expect(
      toolset.initiateConnection({ app: 'acme', authMode: 'BASIC', connectedAccountParams: { username: 'ada' } }),
    ).rejects.toMatchObject({
      details: { missing: ['password'] },
    });
  });

  it('needs an integration or an app and a non-empty entity', async () => {
    const { toolset } = setup();
    await expect(toolset.initiateConnection({})).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(toolset.initiateConnection({ integrationId: 'missing' })).rejects.toMatchObject({
      code: 'INTEGRATION_NOT_FOUND',
    });
    await expect(
      toolset.initiateConnection({
        app: 'acme',
        authMode: 'BEARER_TOKEN',
        entityId: '',
        connectedAccountParams: { token: secret },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });
});

describe('connection lifecycle', () => {
  it('lists by filter, disables, enables and deletes', async () => {
    const { toolset } = setup();
    const first = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      entityId: 'a',
      connectedAccountParams: { token: secret },
    });
    const second = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      entityId: 'b',
      connectedAccountParams: { token: secret },
    });
    expect((await toolset.listConnections({ app: 'acme' })).map((connection) => connection.id)).toEqual([
      second.connectedAccountId,
      first.connectedAccountId,
    ]);
    expect((await toolset.listConnections({ entityId: 'a' })).map((connection) => connection.id)).toEqual([
      first.connectedAccountId,
    ]);

    expect(await toolset.disableConnection(first.connectedAccountId)).toMatchObject({
      status: 'INACTIVE',
      statusReason: { code: 'DISABLED' },
    });
    expect(await toolset.listConnections({ status: 'ACTIVE' })).toHaveLength(1);
    await expect(toolset.disableConnection(first.connectedAccountId)).rejects.toMatchObject({
      code: 'CONNECTION_NOT_ACTIVE',
    });
    expect(await toolset.enableConnection(first.connectedAccountId)).toMatchObject({ status: 'ACTIVE' });

    await toolset.deleteConnection(first.connectedAccountId);
    await expect(toolset.deleteConnection(first.connectedAccountId)).rejects.toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
    });
    expect(await toolset.listConnections()).toHaveLength(1);
  });

  it('waitUntilActive sees a change made by another toolset sharing the store, and rejects on FAILED', async () => {
    const store = memoryStore();
    const { toolset } = setup({ store });
    const other = createToolset({ connectors: [acmeConnector(base)], store });
    const request = await toolset.initiateConnection({
      app: 'acme',
      authMode: 'BEARER_TOKEN',
      connectedAccountParams: { token: secret },
    });
    const current = await store.getConnection(request.connectedAccountId);
    await store.updateConnection(
      request.connectedAccountId,
      { status: 'INITIATED' },
      { expectedVersion: current?.version as number },
    );

    const waiting = request.waitUntilActive({ timeoutMs: 5_000, pollIntervalMs: 10 });
    // Another process (a callback handler) finishes the flow through the shared store.
    setTimeout(() => void other.store.updateConnection(request.connectedAccountId, { status: 'ACTIVE' }), 50);
    await expect(waiting).resolves.toMatchObject({ status: 'ACTIVE' });

    await store.updateConnection(request.connectedAccountId, {
      status: 'FAILED',
      statusReason: { code: 'access_denied', message: 'The user said no.' },
    });
    await expect(request.waitUntilActive({ timeoutMs: 1_000, pollIntervalMs: 10 })).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      message: expect.stringContaining('The user said no.'),
    });

    await store.updateConnection(request.connectedAccountId, { status: 'INITIATED', statusReason: undefined });
    await expect(request.waitUntilActive({ timeoutMs: 50, pollIntervalMs: 10 })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    });

    // An abort ends a long wait at once with the signal's reason; an aborted signal, before a poll.
    const controller = new AbortController();
    const cancelled = request.waitUntilActive({ timeoutMs: 60_000, pollIntervalMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('Ctrl-C')), 20);
    await expect(cancelled).rejects.toThrow('Ctrl-C');
    await expect(
      toolset.waitUntilActive(request.connectedAccountId, { signal: AbortSignal.abort(new Error('gone')) }),
    ).rejects.toThrow('gone');
    expect((await store.getConnection(request.connectedAccountId))?.status).toBe('INITIATED');
  });
});
