import { inspect } from 'node:util';
import { createToolset } from '@plugboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trello } from './index.js';
import { startFakeTrello, type FakeTrello } from '../test/fake-trello.js';

let fake: FakeTrello;
beforeEach(async () => {
  fake = await startFakeTrello();
});
afterEach(async () => {
  await fake.close();
});

async function connected(token = fake.token) {
  const routing = fake.reroute();
  const toolset = createToolset({ connectors: [trello], fetch: routing.fetch, http: { retries: 0 } });
  const request = await toolset.initiateConnection({
    app: 'trello',
    authMode: 'API_KEY',
    entityId: 'jane',
    connectedAccountParams: { api_key: fake.apiKey, token },
  });
  expect(request.connectionStatus).toBe('ACTIVE');
  return { toolset, ...routing };
}

describe('Trello with an API key and token', () => {
  it('asks the user for the key and token', async () => {
    const toolset = createToolset({ connectors: [trello] });
    const expected = await toolset.getExpectedParamsForUser({ app: 'trello', authScheme: 'API_KEY' });
    expect(expected.expectedParams.map((field) => [field.name, field.secret])).toEqual([
      ['api_key', true],
      ['token', true],
    ]);
  });

  it('places key and token in the query of every call and runs each action against the fake', async () => {
    const { toolset, sent } = await connected();
    const [board] = fake.state.boards;
    const [todo, done] = fake.state.lists;
    expect(
      await toolset.executeAction(
        'TRELLO_GET_BOARD',
        { id: board!.shortLink, fields: 'name', lists: 'open' },
        { entityId: 'jane' },
      ),
    ).toMatchObject({
      successful: true,
      data: { id: board!.id, name: 'Roadmap', lists: [{ name: 'To do' }, { name: 'Done' }] },
    });
    expect(
      await toolset.executeAction('TRELLO_GET_BOARD_LISTS', { id: board!.id, cards: 'open' }, { entityId: 'jane' }),
    ).toMatchObject({
      successful: true,
      data: [
        { name: 'To do', cards: [{ name: 'Write the README' }] },
        { name: 'Done', cards: [{ name: 'Ship it' }] },
      ],
    });
    expect(
      await toolset.executeAction('TRELLO_LIST_CARDS', { board_id: board!.id, fields: 'name' }, { entityId: 'jane' }),
    ).toMatchObject({
      successful: true,
      data: [{ name: 'Write the README' }, { name: 'Ship it' }],
    });
    expect(await toolset.executeAction('TRELLO_LIST_CARDS', { list_id: done!.id }, { entityId: 'jane' })).toMatchObject(
      { successful: true, data: [{ name: 'Ship it' }] },
    );
    const created = await toolset.executeAction(
      'TRELLO_CREATE_CARD',
      { idList: todo!.id, name: 'Plan', due: '2026-06-01T17:00:00Z', idMembers: fake.state.member.id },
      { entityId: 'jane' },
    );
    expect(created).toMatchObject({
      successful: true,
      data: { name: 'Plan', due: '2026-06-01T17:00:00.000Z', idMembers: [fake.state.member.id] },
    });
    const id = (created.data as { id: string }).id;
    expect(
      await toolset.executeAction('TRELLO_UPDATE_CARD', { id, idList: done!.id, due: '' }, { entityId: 'jane' }),
    ).toMatchObject({ successful: true, data: { idList: done!.id, due: null } });
    expect(await toolset.executeAction('TRELLO_GET_CARD', { id, fields: 'name,idList' }, { entityId: 'jane' })).toEqual(
      { successful: true, data: { id, name: 'Plan', idList: done!.id }, error: null },
    );

    for (const call of sent) {
      const url = new URL(call.url);
      expect(url.host).toBe('api.trello.com');
      expect([url.searchParams.get('key'), url.searchParams.get('token')]).toEqual([fake.apiKey, fake.token]);
    }
    expect(fake.server.requests.every((request) => request.headers['authorization'] === undefined)).toBe(true);
  });

  it('refuses input without a request: both or neither of board_id and list_id, ids with slashes, a bad date', async () => {
    const { toolset, sent } = await connected();
    for (const [name, input] of [
      ['TRELLO_LIST_CARDS', {}],
      ['TRELLO_LIST_CARDS', { board_id: 'aBcD1234', list_id: 'aBcD1234' }],
      ['TRELLO_GET_CARD', { id: '../members/me' }],
      ['TRELLO_CREATE_CARD', { idList: fake.state.lists[0]!.id, name: 'x', due: 'next week' }],
    ] as const) {
      expect(await toolset.executeAction(name, input, { entityId: 'jane' })).toMatchObject({
        successful: false,
        error: { code: 'INVALID_PARAMS' },
      });
    }
    expect(sent).toEqual([]);
  });

  it("reports Trello's plain-text errors: invalid token, invalid id, not found, without the credentials", async () => {
    const wrongToken = `ATTA${'0'.repeat(64)}`;
    const { toolset: refused } = await connected(wrongToken);
    const unauthorized = await refused.executeAction('TRELLO_GET_MEMBER_BOARDS', {}, { entityId: 'jane' });
    expect(unauthorized).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(unauthorized.error?.message).toContain('(invalid token)');
    const shown = JSON.stringify(unauthorized) + inspect(unauthorized, { depth: 10 });
    expect(shown).not.toContain(wrongToken);
    expect(shown).not.toContain(fake.apiKey);

    const { toolset } = await connected();
    const invalidId = await toolset.executeAction('TRELLO_LIST_CARDS', { list_id: 'notAnId' }, { entityId: 'jane' });
    expect(invalidId).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 400 } });
    expect(invalidId.error?.message).toContain('(invalid id)');
    const missing = await toolset.executeAction('TRELLO_GET_CARD', { id: 'a'.repeat(24) }, { entityId: 'jane' });
    expect(missing).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 404 } });
    const badList = await toolset.executeAction(
      'TRELLO_CREATE_CARD',
      { idList: 'b'.repeat(24), name: 'x' },
      { entityId: 'jane' },
    );
    expect(badList.error?.message).toContain('invalid value for idList');
  });
});
