import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { boardIdField, fieldListField, memberIdField } from './fields.js';

const listFilter = z.enum(['all', 'closed', 'none', 'open']);

export const getMemberBoards = defineAction({
  name: 'TRELLO_GET_MEMBER_BOARDS',
  description: 'List the boards a Trello member belongs to; by default the connected user\'s own (member "me").',
  tags: ['boards', 'read'],
  input: () =>
    z.object({
      id: memberIdField.default('me'),
      filter: z
        .enum(['all', 'closed', 'members', 'open', 'organization', 'public', 'starred'])
        .optional()
        .describe('Which boards: "open" (not archived), "closed", "starred", ... Trello defaults to "all".'),
      fields: fieldListField.optional(),
    }),
  request: 'GET /members/{id}/boards',
});

export const getBoard = defineAction({
  name: 'TRELLO_GET_BOARD',
  description: 'Get one Trello board: its name, description, URL and preferences, optionally with its lists.',
  tags: ['boards', 'read'],
  input: () =>
    z.object({
      id: boardIdField,
      fields: fieldListField.optional(),
      lists: listFilter
        .optional()
        .describe('Include the board\'s lists: "open", "closed", "all" or "none" (the default).'),
    }),
  request: 'GET /boards/{id}',
});

export const getBoardLists = defineAction({
  name: 'TRELLO_GET_BOARD_LISTS',
  description: "List a Trello board's lists (its columns), in board order.",
  tags: ['boards', 'lists', 'read'],
  input: () =>
    z.object({
      id: boardIdField,
      filter: listFilter.optional().describe('Which lists: "open" (the default), "closed", "all" or "none".'),
      cards: listFilter
        .optional()
        .describe('Include each list\'s cards: "open", "closed", "all" or "none" (the default).'),
      fields: fieldListField.optional(),
    }),
  request: 'GET /boards/{id}/lists',
});
