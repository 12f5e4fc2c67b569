import { z } from 'zod';

// Trello ids are 24 hexadecimal characters; boards and cards also answer to their 8-character
// shortLink. Both are alphanumeric, so anything else is refused before a request is made.
const ID = /^[0-9A-Za-z]+$/;

export const boardIdField = z
  .string()
  .regex(ID, 'a Trello board id or shortLink: letters and digits only')
  .describe(
    'The id of the board (24 hexadecimal characters) or its shortLink (the 8 characters after /b/ in its URL).',
  );
export const listIdField = z
  .string()
  .regex(ID, 'a Trello list id: letters and digits only')
  .describe('The id of the list (24 hexadecimal characters).');
export const cardIdField = z
  .string()
  .regex(ID, 'a Trello card id or shortLink: letters and digits only')
  .describe('The id of the card (24 hexadecimal characters) or its shortLink (the 8 characters after /c/ in its URL).');
export const memberIdField = z
  .string()
  .regex(/^[0-9A-Za-z_]+$/, 'a Trello member id, username or "me"')
  .describe('"me" for the connected user, or a member id or username.');
export const fieldListField = z
  .string()
  .regex(/^[A-Za-z,]+$/, 'a comma-separated list of field names')
  .describe(
    '"all" or a comma-separated list of fields to return, like "name,url". Trello returns its default set when omitted.',
  );
export const positionField = z
  .union([z.enum(['top', 'bottom']), z.number().positive()])
  .describe('"top", "bottom" or a positive number: where the card goes in its list.');
export const idListField = z
  .string()
  .regex(/^[0-9A-Za-z]+(?:,[0-9A-Za-z]+)*$/, 'comma-separated ids')
  .describe('Comma-separated ids, like "5abbe4b7ddc1b351ef961414,5abbe4b7ddc1b351ef961415".');
export const dateTimeField = z.iso
  .datetime({ offset: true })
  .describe('An ISO 8601 date and time, like "2026-06-01T17:00:00Z".');
