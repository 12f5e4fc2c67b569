import { z } from 'zod';
import { CONNECTOR_SPEC_VERSION, bearerTokenScheme, defineAction, defineConnector } from '@plugboard/core';
import { startRecordingServer, type RecordingServer } from '@plugboard/testkit';

export const NOTES_TOKEN = 'nts_secret_token_for_user_42';

/** A small notes API with bearer tokens, written for these tests. */
export function notesConnector(baseUrl: string) {
  return defineConnector({
    id: 'notes',
    name: 'Notes',
    version: '0.0.1',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [bearerTokenScheme()],
    actions: [
      defineAction({
        name: 'NOTES_GET_NOTE',
        description: 'Get one note of a notebook by its id.',
        tags: ['read'],
        input: z.object({
          notebook: z.string().describe('The notebook key, e.g. "work".'),
          note_id: z.number().int().describe('The note id within the notebook.'),
        }),
        request: 'GET /notebooks/{notebook}/notes/{note_id}',
      }),
      defineAction({
        name: 'NOTES_CREATE_NOTE',
        description: 'Create a note in a notebook.',
        tags: ['write'],
        input: z.object({
          notebook: z.string().describe('The notebook key, e.g. "work".'),
          title: z.string().min(1).describe('A one-line title.'),
          text: z.string().optional().describe('The note, in Markdown.'),
        }),
        request: { method: 'POST', path: '/notebooks/{notebook}/notes' },
      }),
      defineAction({
        name: 'NOTES_DELETE_NOTEBOOK',
        description: 'Delete a notebook and every note in it.',
        tags: ['admin'],
        input: z.object({ notebook: z.string().describe('The notebook key.') }),
        request: 'DELETE /notebooks/{notebook}',
      }),
    ],
  });
}

/**
 * The fake notes API: note 404 does not exist, every answer waits a little so that parallel calls
 * overlap, and a request without the token is refused.
 */
export function startNotesApi(): Promise<RecordingServer> {
  return startRecordingServer((request) => {
    const delayMs = 40;
    if (request.headers['authorization'] !== `Bearer ${NOTES_TOKEN}`)
      return { status: 401, json: { message: 'Bad credentials' }, delayMs };
    const note = /^\/notebooks\/([^/]+)\/notes\/(\d+)$/.exec(request.url);
    if (request.method === 'GET' && note) {
      if (note[2] === '404') return { status: 404, json: { message: 'Note not found' }, delayMs };
      return { json: { notebook: note[1], id: Number(note[2]), title: 'Quarterly plan' }, delayMs };
    }
    const create = /^\/notebooks\/([^/]+)\/notes$/.exec(request.url);
    if (request.method === 'POST' && create)
      return { status: 201, json: { notebook: create[1], id: 101, ...(JSON.parse(request.body) as object) }, delayMs };
    return { status: 404, json: { message: 'Not found' }, delayMs };
  });
}
