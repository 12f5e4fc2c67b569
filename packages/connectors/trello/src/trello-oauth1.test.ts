import { inspect } from 'node:util';
import { createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trello, trelloConnector } from './index.js';
import { startFakeTrello, type FakeTrello } from '../test/fake-trello.js';

const redirectUri = 'https://app.example/trello/callback';
let fake: FakeTrello;

beforeEach(async () => {
  fake = await startFakeTrello();
});
afterEach(async () => {
  await fake.close();
});

async function connect(connector = trello, consumerSecret = fake.apiSecret) {
  const { fetch, sent } = fake.reroute();
  const toolset = createToolset({ connectors: [connector], fetch });
  const integration = await toolset.createIntegration({
    app: 'trello',
    authMode: 'OAUTH1',
    authConfig: { consumer_key: fake.apiKey, consumer_secret: consumerSecret },
  });
  return { toolset, integration, fetch, sent };
}

describe('Trello OAuth 1.0a, end to end through the toolset', () => {
  it('initiates, authorizes, completes on the callback and signs every action call the fake verifies', async () => {
    const { toolset, integration, fetch, sent } = await connect(
      trelloConnector({ appName: 'Acme Boards', scope: 'read,write,account', expiration: '30days' }),
    );
    const request = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'jane', redirectUri });
    expect(request.connectionStatus).toBe('INITIATED');
    const authorize = new URL(request.redirectUrl as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://trello.com/1/OAuthAuthorizeToken');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      name: 'Acme Boards',
      scope: 'read,write,account',
      expiration: '30days',
    });
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://trello.com/1/OAuthGetRequestToken' });

    // The user approves on trello.com, which redirects to the app with oauth_token and oauth_verifier.
    const approval = await fetch(authorize, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    const callback = new URL(approval.headers.get('location') as string);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect([...callback.searchParams.keys()].sort()).toEqual(['oauth_token', 'oauth_verifier']);

    const answer = await toolset.handleCallback(new Request(callback));
    expect(answer.status).toBe(200);
    const connection = await request.waitUntilActive({ timeoutMs: 2_000 });
    expect(connection).toMatchObject({ status: 'ACTIVE', authMode: 'OAUTH1', app: 'trello', entityId: 'jane' });
    expect(sent.map((entry) => entry.url.split('?')[0])).toEqual([
      'https://trello.com/1/OAuthGetRequestToken',
      'https://trello.com/1/OAuthAuthorizeToken',
      'https://trello.com/1/OAuthGetAccessToken',
    ]);

    const boards = await toolset.executeAction(
      'TRELLO_GET_MEMBER_BOARDS',
      { filter: 'open', fields: 'name' },
      { entityId: 'jane' },
    );
    expect(boards).toEqual({
      successful: true,
      data: [{ id: fake.state.boards[0]?.id, name: 'Roadmap' }],
      error: null,
    });
    const list = fake.state.lists[0]!;
    const created = await toolset.executeAction(
      'TRELLO_CREATE_CARD',
      { idList: list.id, name: 'Café & crème: 100% done', pos: 'top' },
      { entityId: 'jane' },
    );
    expect(created).toMatchObject({
      successful: true,
      data: { name: 'Café & crème: 100% done', idList: list.id, pos: 0 },
    });
    const cardId = (created.data as { id: string }).id;
    expect(
      await toolset.executeAction(
        'TRELLO_UPDATE_CARD',
        { id: cardId, desc: 'Signed, query and all', dueComplete: true },
        { entityId: 'jane' },
      ),
    ).toMatchObject({
      successful: true,
      data: { desc: 'Signed, query and all', dueComplete: true },
    });
    expect(
      await toolset.executeAction(
        'TRELLO_ADD_COMMENT_TO_CARD',
        { id: cardId, text: 'Looks good!' },
        { entityId: 'jane' },
      ),
    ).toMatchObject({ successful: true, data: { type: 'commentCard', data: { text: 'Looks good!' } } });

    // Every API call reached the fake signed with the access token it issued, and verified.
    const apiCalls = fake.server.requests.filter((entry) => !entry.path.startsWith('/1/OAuth'));
    expect(apiCalls.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'GET /1/members/me/boards 200',
      'POST /1/cards 200',
      `PUT /1/cards/${cardId} 200`,
      `POST /1/cards/${cardId}/actions/comments 200`,
    ]);
    const credentials = await toolset.getConnectionCredentials(connection.id);
    for (const call of apiCalls) {
      expect(call.oauth).toMatchObject({
        oauth_consumer_key: fake.apiKey,
        oauth_token: credentials['oauth_token'],
        oauth_signature_method: 'HMAC-SHA1',
      });
      expect(call.url).not.toContain('key=');
    }
    expect(fake.server.accessTokens.get(credentials['oauth_token'] as string)).toBe(credentials['oauth_token_secret']);
  });

  it('refuses a replayed callback and keeps the connection it made', async () => {
    const { toolset, integration, fetch } = await connect();
    const request = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    const callback = (await fetch(request.redirectUrl as string, { redirect: 'manual' })).headers.get(
      'location',
    ) as string;
    await toolset.completeConnection({ url: callback });
    await expect(toolset.completeConnection({ url: callback })).rejects.toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    expect((await toolset.getConnection(request.connectedAccountId)).status).toBe('ACTIVE');
  });

  it('fails at the request-token step with a wrong consumer secret, never showing it', async () => {
    const wrong = 'f'.repeat(64);
    const { toolset, integration } = await connect(trello, wrong);
    const error = await toolset
      .initiateConnection({ integrationId: integration.id, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401 });
    expect(JSON.stringify(error) + inspect(error, { depth: 10 })).not.toContain(wrong);
    expect(fake.server.requests.at(-1)).toMatchObject({
      path: '/1/OAuthGetRequestToken',
      status: 401,
      problem: 'signature_invalid',
    });
  });

  it('answers a revoked token with Trello\'s "invalid token" as an UPSTREAM_ERROR', async () => {
    const { toolset, integration, fetch } = await connect();
    const request = await toolset.initiateConnection({ integrationId: integration.id, redirectUri });
    await toolset.completeConnection({
      url: (await fetch(request.redirectUrl as string, { redirect: 'manual' })).headers.get('location') as string,
    });
    const { oauth_token: token } = await toolset.getConnectionCredentials(request.connectedAccountId);
    fake.server.accessTokens.delete(token as string);
    const result = await toolset.executeAction(
      'TRELLO_GET_BOARD',
      { id: 'aBcD1234' },
      { connectedAccountId: request.connectedAccountId },
    );
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(result.error?.message).toContain('invalid token');
  });
});
