import { PlugboardError, defineAction } from '@plugboard/core';
import { z } from 'zod';
import {
  boardIdField,
  cardIdField,
  dateTimeField,
  fieldListField,
  idListField,
  listIdField,
  positionField,
} from './fields.js';

export const listCards = defineAction({
  name: 'TRELLO_LIST_CARDS',
  description: 'List the cards of a Trello board or of one list. Give board_id or list_id, not both.',
  tags: ['cards', 'read'],
  // A custom run has no method to derive its effects from: it only reads.
  effects: { readOnly: true },
  input: () =>
    z
      .object({
        board_id: boardIdField.optional(),
        list_id: listIdField.optional(),
        filter: z
          .enum(['all', 'closed', 'none', 'open', 'visible'])
          .optional()
          .describe(
            'Which cards of a board: "visible" (Trello\'s default), "open", "closed" or "all". Ignored for a list.',
          ),
        fields: fieldListField.optional(),
      })
      .refine((input) => (input.board_id === undefined) !== (input.list_id === undefined), {
        message: 'Give exactly one of board_id and list_id.',
      }),
  run: async ({ input, request }) => {
    const query = { fields: input.fields };
    if (input.list_id !== undefined) {
      return (await request({ method: 'GET', path: '/lists/{id}/cards', pathParams: { id: input.list_id }, query }))
        .data;
    }
    if (input.board_id === undefined)
      throw new PlugboardError('INVALID_PARAMS', 'Give exactly one of board_id and list_id.');
    return (
      await request({
        method: 'GET',
        path: '/boards/{id}/cards',
        pathParams: { id: input.board_id },
        query: { ...query, filter: input.filter },
      })
    ).data;
  },
});

export const getCard = defineAction({
  name: 'TRELLO_GET_CARD',
  description: 'Get one Trello card: name, description, list, due date, labels and members.',
  tags: ['cards', 'read'],
  input: () => z.object({ id: cardIdField, fields: fieldListField.optional() }),
  request: 'GET /cards/{id}',
});

const cardFields = {
  name: z.string().min(1).max(16384).describe('The title of the card.'),
  desc: z.string().max(16384).optional().describe('The description of the card, in Markdown.'),
  pos: positionField.optional(),
  due: dateTimeField
    .or(z.literal(''))
    .optional()
    .describe('When the card is due, as an ISO 8601 date and time; an empty string clears it.'),
  start: dateTimeField
    .or(z.literal(''))
    .optional()
    .describe('When work on the card starts, as an ISO 8601 date and time; an empty string clears it.'),
  dueComplete: z.boolean().optional().describe('Whether the due date is marked complete.'),
  idMembers: idListField.optional().describe('Comma-separated ids of the members assigned to the card.'),
  idLabels: idListField.optional().describe('Comma-separated ids of the labels on the card.'),
};

// Trello documents card fields as query parameters; sending them there keeps them inside the
// OAuth 1.0a signature too.
export const createCard = defineAction({
  name: 'TRELLO_CREATE_CARD',
  description: 'Create a card in a Trello list, with optional description, position, dates, members and labels.',
  tags: ['cards', 'write'],
  input: () =>
    z.object({
      idList: listIdField.describe('The id of the list the card is created in.'),
      ...cardFields,
      urlSource: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe('A URL attached to the card as it is created.'),
    }),
  request: {
    method: 'POST',
    path: '/cards',
    query: ['idList', 'name', 'desc', 'pos', 'due', 'start', 'dueComplete', 'idMembers', 'idLabels', 'urlSource'],
  },
});

export const updateCard = defineAction({
  name: 'TRELLO_UPDATE_CARD',
  description:
    'Update a Trello card: rename it, change its description or dates, move it to another list, or archive it (closed: true).',
  tags: ['cards', 'write'],
  input: () =>
    z.object({
      id: cardIdField,
      ...cardFields,
      name: cardFields.name.optional(),
      idList: listIdField.optional().describe('Move the card to this list.'),
      idBoard: boardIdField.optional().describe('Move the card to this board (give idList too).'),
      closed: z.boolean().optional().describe('true archives the card, false brings it back.'),
    }),
  request: {
    method: 'PUT',
    path: '/cards/{id}',
    query: [
      'name',
      'desc',
      'pos',
      'due',
      'start',
      'dueComplete',
      'idMembers',
      'idLabels',
      'idList',
      'idBoard',
      'closed',
    ],
  },
});

export const addComment = defineAction({
  name: 'TRELLO_ADD_COMMENT_TO_CARD',
  description: 'Add a comment to a Trello card as the connected user.',
  tags: ['cards', 'comments', 'write'],
  input: () => z.object({ id: cardIdField, text: z.string().min(1).max(16384).describe('The comment, in Markdown.') }),
  request: { method: 'POST', path: '/cards/{id}/actions/comments', query: ['text'] },
});
