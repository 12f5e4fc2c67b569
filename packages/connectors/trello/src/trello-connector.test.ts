import { runConnectorConformance } from '@plugboard/testkit';
import { trello } from './index.js';

const board = '5f1a2b3c4d5e6f7a8b9c0d1e';
const list = '5f1a2b3c4d5e6f7a8b9c0d2f';
const card = '5f1a2b3c4d5e6f7a8b9c0d3a';

runConnectorConformance(trello, {
  actions: {
    TRELLO_GET_MEMBER_BOARDS: {
      input: { filter: 'open', fields: 'name,url' },
      request: { method: 'GET', path: '/members/me/boards', query: { filter: 'open', fields: 'name,url' } },
      response: { json: [{ id: board, name: 'Roadmap', url: 'https://trello.com/b/aBcD1234/roadmap' }] },
      invalidInputs: [{ id: '../tokens' }, { filter: 'mine' }],
    },
    TRELLO_GET_BOARD: {
      input: { id: 'aBcD1234', lists: 'open' },
      request: { method: 'GET', path: '/boards/aBcD1234', query: { lists: 'open' } },
      response: { json: { id: board, name: 'Roadmap', lists: [] } },
      invalidInputs: [{ id: 'a/b' }, { id: '' }],
    },
    TRELLO_GET_BOARD_LISTS: {
      input: { id: board, cards: 'open' },
      request: { method: 'GET', path: `/boards/${board}/lists`, query: { cards: 'open' } },
      response: { json: [{ id: list, name: 'To do' }] },
    },
    TRELLO_LIST_CARDS: {
      input: { list_id: list, fields: 'name' },
      request: { method: 'GET', path: `/lists/${list}/cards`, query: { fields: 'name' } },
      response: { json: [{ id: card, name: 'Write the README' }] },
      invalidInputs: [{}, { board_id: board, list_id: list }],
    },
    TRELLO_GET_CARD: {
      input: { id: card },
      request: { method: 'GET', path: `/cards/${card}` },
      response: { json: { id: card, name: 'Write the README' } },
    },
    TRELLO_CREATE_CARD: {
      input: { idList: list, name: 'Ship & tell', pos: 'top', due: '2026-06-01T17:00:00Z', idLabels: 'a1,b2' },
      request: {
        method: 'POST',
        path: '/cards',
        query: { idList: list, name: 'Ship & tell', pos: 'top', due: '2026-06-01T17:00:00Z', idLabels: 'a1,b2' },
      },
      response: { json: { id: card, name: 'Ship & tell' } },
      invalidInputs: [
        { name: 'No list' },
        { idList: list, name: '' },
        { idList: list, name: 'x', due: 'tomorrow' },
        { idList: list, name: 'x', idLabels: 'a, b' },
      ],
    },
    TRELLO_UPDATE_CARD: {
      input: { id: card, closed: true, idList: list },
      request: { method: 'PUT', path: `/cards/${card}`, query: { closed: 'true', idList: list } },
      response: { json: { id: card, closed: true } },
    },
    TRELLO_ADD_COMMENT_TO_CARD: {
      input: { id: card, text: 'Done: see #12' },
      request: { method: 'POST', path: `/cards/${card}/actions/comments`, query: { text: 'Done: see #12' } },
      response: { json: { id: 'a1', type: 'commentCard', data: { text: 'Done: see #12' } } },
      invalidInputs: [{ id: card, text: '' }],
    },
  },
});
