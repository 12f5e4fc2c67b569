import { z } from 'zod';
import { CONNECTOR_SPEC_VERSION, bearerTokenScheme, defineAction, defineConnector } from '@plugboard/core';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';

export const TRACKER_TOKEN = 'trk_secret_token_for_user_42';

/**
 * A small issue tracker API with bearer tokens: a sample connector for tests of code that hands
 * a toolset to something else (agent framework adapters, servers), with `startTracker()` as its API.
 */
export function trackerConnector(baseUrl: string) {
  return defineConnector({
    id: 'tracker',
    name: 'Tracker',
    version: '0.0.1',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [bearerTokenScheme()],
    actions: [
      defineAction({
        name: 'TRACKER_GET_ISSUE',
        description: 'Get one issue of a project by its number.',
        tags: ['read'],
        input: z.object({
          project: z.string().describe('The project key, e.g. "web".'),
          issue_number: z.number().int().describe('The issue number within the project.'),
        }),
        request: 'GET /projects/{project}/issues/{issue_number}',
      }),
      defineAction({
        name: 'TRACKER_CREATE_ISSUE',
        description: 'Create an issue in a project.',
        tags: ['write'],
        input: z.object({
          project: z.string().describe('The project key, e.g. "web".'),
          title: z.string().min(1).describe('A one-line summary.'),
          body: z.string().optional().describe('Details, in Markdown.'),
        }),
        request: { method: 'POST', path: '/projects/{project}/issues' },
      }),
      defineAction({
        name: 'TRACKER_DELETE_PROJECT',
        description: 'Delete a project and every issue in it.',
        tags: ['admin'],
        input: z.object({ project: z.string().describe('The project key.') }),
        request: 'DELETE /projects/{project}',
      }),
    ],
  });
}

/**
 * The tracker's API on a recording server: issue 404 does not exist, every answer waits a little
 * so that parallel calls overlap (`maxInFlight`), and a request without `TRACKER_TOKEN` is refused.
 */
export function startTracker(): Promise<RecordingServer> {
  return startRecordingServer((request) => {
    const delayMs = 40;
    if (request.headers['authorization'] !== `Bearer ${TRACKER_TOKEN}`)
      return { status: 401, json: { message: 'Bad credentials' }, delayMs };
    const issue = /^\/projects\/([^/]+)\/issues\/(\d+)$/.exec(request.url);
    if (request.method === 'GET' && issue) {
      if (issue[2] === '404') return { status: 404, json: { message: 'Issue not found' }, delayMs };
      return {
        json: { project: issue[1], number: Number(issue[2]), title: 'Login button does nothing', state: 'open' },
        delayMs,
      };
    }
    const create = /^\/projects\/([^/]+)\/issues$/.exec(request.url);
    if (request.method === 'POST' && create) {
      return {
        status: 201,
        json: { project: create[1], number: 101, ...(JSON.parse(request.body) as object), state: 'open' },
        delayMs,
      };
    }
    return { status: 404, json: { message: 'Not found' }, delayMs };
  });
}
