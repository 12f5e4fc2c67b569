import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeOAuth1Server, type FakeOAuth1Server, type FakeSignatureMethod } from '@plugboard/fakes';
import { CONNECTOR_SPEC_VERSION, createToolset, defineAction, defineConnector, oauth1Scheme } from '../../index.js';

const redirectUri = 'https://app.example/oauth1/callback';
let server: FakeOAuth1Server;

afterEach(async () => {
  await server?.close();
});

async function start(signatureMethod: FakeSignatureMethod = 'HMAC-SHA1', consumerSecret?: string) {
  server = await startFakeOAuth1Server();
  const settings = server.settings(signatureMethod, { scope: 'read,write', expiration: 'never' });
  const connector = defineConnector({
    id: 'boards',
    name: 'Boards',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `${server.url}/1`,
    authSchemes: [oauth1Scheme({ ...settings })],
    actions: [
      defineAction({
        name: 'BOARDS_GET_MEMBER',
        description: 'Get a member.',
        input: z.object({ id: z.string(), fields: z.string().optional() }),
        request: 'GET /members/{id}',
      }),
      defineAction({
        name: 'BOARDS_CREATE_CARD',
        description: 'Create a card (form body).',
        input: z.object({ name: z.string(), idList: z.string() }),
        request: { method: 'POST', path: '/cards', bodyEncoding: 'form' },
      }),
      defineAction({
        name: 'BOARDS_UPDATE_CARD',
        description: 'Update a card (JSON body).',
        input: z.object({ id: z.string(), name: z.string() }),
        request: 'PUT /cards/{id}',
      }),
    ],
  });
  const toolset = createToolset({ connectors: [connector] });
  const integration = await toolset.createIntegration({
    app: 'boards',
    authMode: 'OAUTH1',
    authConfig: { consumer_key: server.consumerKey, consumer_secret: consumerSecret ?? server.consumerSecret },
  });
  return { toolset, integration, settings };
}

async function follow(redirectUrl: string): Promise<string> {
  const response = await fetch(redirectUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return location;
}

describe('OAuth 1.0a through the toolset', () => {
  it.each(['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'] as const)(
    'connects with %s and signs every request the provider checks',
    async (method) => {
      const { toolset, integration, settings } = await start(method);
      const request = await toolset.initiateConnection({
        integrationId: integration.id,
        entityId: 'jane',
        redirectUri,
      });
      expect(request.connectionStatus).toBe('INITIATED');
      const redirect = new URL(request.redirectUrl as string);
      expect(`${redirect.origin}${redirect.pathname}`).toBe(settings.authorizationUrl);
      expect(redirect.searchParams.get('scope')).toBe('read,write');
      const callback = await follow(request.redirectUrl as string);
      expect(callback.startsWith(redirectUri)).toBe(true);
      const response = await toolset.handleCallback(new Request(callback));
      expect(response.status).toBe(200);
      expect(await request.waitUntilActive({ timeoutMs: 1_000 })).toMatchObject({
        status: 'ACTIVE',
        authMode: 'OAUTH1',
      });
      expect(await toolset.getConnectionCredentials(request.connectedAccountId)).toMatchObject({ screen_name: 'jane' });

      expect(
        await toolset.executeAction('BOARDS_GET_MEMBER', { id: 'me', fields: 'all names' }, { entityId: 'jane' }),
      ).toMatchObject({
        successful: true,
        data: { ok: true, method: 'GET', path: '/1/members/me' },
      });
      expect(
        await toolset.executeAction('BOARDS_CREATE_CARD', { name: 'A & B', idList: 'l1' }, { entityId: 'jane' }),
      ).toMatchObject({
        successful: true,
        data: {
          form: [
            ['name', 'A & B'],
            ['idList', 'l1'],
          ],
        },
      });
      expect(
        await toolset.executeAction('BOARDS_UPDATE_CARD', { id: 'c1', name: 'New' }, { entityId: 'jane' }),
      ).toMatchObject({
        successful: true,
        data: { json: { name: 'New' } },
      });
      expect(
        server.requests
          .filter((recorded) => recorded.path.startsWith('/1/'))
          .every((recorded) => recorded.status === 200),
      ).toBe(true);
    },
  );

  it('marks the connection FAILED when the user denies access, and refuses a replayed callback', async () => {
    const { toolset, integration } = await start();
    const request = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    const callback = new URL(await follow(request.redirectUrl as string));
    await toolset.completeConnection({ url: callback });
    await expect(toolset.completeConnection({ url: callback })).rejects.toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    expect((await toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');

    const denied = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    const token = new URL(denied.redirectUrl as string).searchParams.get('oauth_token') as string;
    await expect(
      toolset.completeConnection({ url: `${redirectUri}?oauth_token=${token}&denied=${token}` }),
    ).rejects.toMatchObject({ code: 'OAUTH_CALLBACK_ERROR' });
    expect(await toolset.getConnection(denied.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'access_denied' },
    });
  });

  it('fails at the first leg with a wrong consumer secret, never showing it', async () => {
    const wrong = 'definitely-not-the-secret';
    const { toolset, integration } = await start('HMAC-SHA1', wrong);
    const error = await toolset
      .initiateConnection({ integrationId: integration.id, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401 });
    expect(JSON.stringify(error) + inspect(error, { depth: 10 })).not.toContain(wrong);
    expect(await toolset.listConnections()).toEqual([]);
  });
});
