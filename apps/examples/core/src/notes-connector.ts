// A connector for the Notes API, written with only the public API of @plugboard/core: exactly
// what a third-party connector package would contain. It is a function of the base URL because
// the fake API listens on a random port; a real connector would hard-code `https://api.notes.example/v1`.

import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  basicScheme,
  bearerTokenScheme,
  defineAction,
  defineConnector,
  noAuthScheme,
  type Connector,
} from '@plugboard/core';
import { z } from 'zod';

const note = z.object({ id: z.string(), title: z.string(), body: z.string() });

export const getStatus = defineAction({
  name: 'NOTES_GET_STATUS',
  description: 'Check that the Notes API is up. Needs no credentials.',
  tags: ['health'],
  input: z.object({}),
  request: 'GET /status',
});

export const listNotes = defineAction({
  name: 'NOTES_LIST_NOTES',
  description: "List the authenticated user's notes.",
  tags: ['notes', 'read'],
  input: z.object({ limit: z.number().int().min(1).max(100).default(20).describe('How many notes to return.') }),
  output: z.object({ notes: z.array(note), total: z.number() }),
  request: 'GET /notes',
});

export const getNote = defineAction({
  name: 'NOTES_GET_NOTE',
  description: 'Get one note by id.',
  tags: ['notes', 'read'],
  input: z.object({ note_id: z.string().min(1) }),
  output: note,
  request: 'GET /notes/{note_id}',
});

export const createNote = defineAction({
  name: 'NOTES_CREATE_NOTE',
  description: 'Create a note.',
  tags: ['notes', 'write'],
  input: z.object({ title: z.string().min(1).max(100), body: z.string().default('') }),
  output: note,
  request: 'POST /notes',
});

export function createNotesConnector(baseUrl: string): Connector {
  return defineConnector({
    id: 'notes',
    name: 'Notes',
    description: 'A small notes API (played by a local server in this example).',
    version: '0.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    headers: { Accept: 'application/json' },
    authSchemes: [
      apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] }),
      bearerTokenScheme(),
      basicScheme(),
      // The /status endpoint is public, so the app also allows calls without credentials.
      noAuthScheme(),
    ],
    actions: [getStatus, listNotes, getNote, createNote],
  });
}
