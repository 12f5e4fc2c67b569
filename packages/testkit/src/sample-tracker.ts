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

/** The tracker's API: a recording server that can be told to answer several requests together. */
export interface Tracker extends RecordingServer {
  /**
   * Holds the next `count` requests until all of them have arrived (at most 5 s), then answers
   * them together. A client that sends them in parallel then shows `maxInFlight === count` however
   * loaded the machine is; one that sends them one at a time waits out the 5 s and shows 1.
   */
  answerTogether(count: number): void;
}

interface Batch {
  size: number;
  held: Array<() => void>;
  timer?: NodeJS.Timeout;
}

/**
 * The tracker's API on a recording server: issue 404 does not exist, every answer waits a little
 * (or for its batch, after `answerTogether`), and a request without `TRACKER_TOKEN` is refused.
 */
export async function startTracker(): Promise<Tracker> {
  let batch: Batch | undefined;
  const releaseBatch = (ending: Batch) => {
    if (batch === ending) batch = undefined;
    clearTimeout(ending.timer);
    for (const release of ending.held.splice(0)) release();
  };
  const wait = () => {
    const current = batch;
    if (current === undefined) return new Promise<void>((resolve) => setTimeout(resolve, 40));
    return new Promise<void>((resolve) => {
      current.held.push(resolve);
      if (current.held.length >= current.size) releaseBatch(current);
    });
  };
  const server = await startRecordingServer(async (request) => {
    await wait();
    if (request.headers['authorization'] !== `Bearer ${TRACKER_TOKEN}`)
      return { status: 401, json: { message: 'Bad credentials' } };
    const issue = /^\/projects\/([^/]+)\/issues\/(\d+)$/.exec(request.url);
    if (request.method === 'GET' && issue) {
      if (issue[2] === '404') return { status: 404, json: { message: 'Issue not found' } };
      return {
        json: { project: issue[1], number: Number(issue[2]), title: 'Login button does nothing', state: 'open' },
      };
    }
    const create = /^\/projects\/([^/]+)\/issues$/.exec(request.url);
    if (request.method === 'POST' && create) {
      return {
        status: 201,
        json: { project: create[1], number: 101, ...(JSON.parse(request.body) as object), state: 'open' },
      };
    }
    return { status: 404, json: { message: 'Not found' } };
  });
  return Object.assign(server, {
    answerTogether(count: number) {
      if (batch) releaseBatch(batch);
      const next: Batch = { size: count, held: [] };
      next.timer = setTimeout(() => releaseBatch(next), 5_000);
      next.timer.unref?.();
      batch = next;
    },
  });
}
