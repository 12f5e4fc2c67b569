import { createToolset } from '@plugboard/core';
import { linkHeader, startRecordingServer, type RecordingServer } from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectsOf } from './generated-actions.js';
import { githubConnector } from './index.js';

const TOKEN = 'ghp_generatedActionsSample0123456789';

describe('generated actions', () => {
  let server: RecordingServer;
  let toolset: ReturnType<typeof createToolset>;
  const auth = { auth: { parameters: [{ name: 'Authorization', in: 'header' as const, value: `Bearer ${TOKEN}` }] } };

  beforeAll(async () => {
    server = await startRecordingServer({
      'GET /repos/{owner}/{repo}/actions/runs': (request) => ({
        headers: {
          link: linkHeader({
            next: `${server.url}/repositories/1/actions/runs?page=3&per_page=2`,
            last: `${server.url}/repositories/1/actions/runs?page=9&per_page=2`,
          }),
        },
        json: { total_count: 18, workflow_runs: [{ id: Number(request.query.get('page')) }] },
      }),
      'GET /repos/{owner}/{repo}/releases': { json: [{ id: 1 }, { id: 2 }] },
      'PATCH /repos/{owner}/{repo}/actions/variables/{name}': { status: 204 },
      'GET /repos/{owner}/{repo}/commits/{ref}': (request) =>
        request.headers['accept'] === 'application/vnd.github.diff'
          ? { headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' }, text: 'diff --git a/x b/x\n' }
          : { json: { sha: request.params['ref'] } },
      'POST /markdown/raw': (request) => ({ headers: { 'content-type': 'text/html' }, text: `<p>${request.body}</p>` }),
      'DELETE /repos/{owner}/{repo}/git/refs/{+ref}': { status: 204 },
    });
    toolset = createToolset({ connectors: [githubConnector({ baseUrl: server.url, webUrl: server.url })] });
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends path, query and body where the description puts them, and reads Link pagination', async () => {
    const result = await toolset.executeAction(
      'GITHUB_LIST_WORKFLOW_RUNS_FOR_A_REPOSITORY',
      { owner: 'octocat', repo: 'Hello-World', status: 'completed', per_page: 2, page: 2 },
      auth,
    );
    expect(result).toEqual({
      successful: true,
      data: { total_count: 18, workflow_runs: [{ id: 2 }], nextPage: 3, lastPage: 9 },
      error: null,
    });
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/repos/octocat/Hello-World/actions/runs');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ status: 'completed', per_page: '2', page: '2' });
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['accept']).toBe('application/vnd.github+json');
  });

  it('wraps a paginated array as items with nextPage and lastPage, like the curated list actions', async () => {
    const result = await toolset.executeAction('GITHUB_LIST_RELEASES', { owner: 'o', repo: 'r' }, auth);
    expect(result.data).toEqual({ items: [{ id: 1 }, { id: 2 }], nextPage: null, lastPage: null });
  });

  it('refuses invalid input before sending anything: unknown fields, wrong types, enums, limits', async () => {
    const before = server.requests.length;
    const cases: Array<Record<string, unknown>> = [
      { owner: 'o', repo: 'r', stauts: 'completed' },
      { owner: 'o', repo: 'r', per_page: '2' },
      { owner: 'o', repo: 'r', status: 'finished' },
      { owner: 'o' },
    ];
    for (const input of cases) {
      const result = await toolset.executeAction('GITHUB_LIST_WORKFLOW_RUNS_FOR_A_REPOSITORY', input, auth);
      expect(result.error?.code, JSON.stringify(input)).toBe('INVALID_PARAMS');
    }
    expect(server.requests.length).toBe(before);
  });

  it('sends a body field named like a path parameter under its own name (body_name -> name)', async () => {
    const result = await toolset.executeAction(
      'GITHUB_UPDATE_A_REPOSITORY_VARIABLE_ACTIONS',
      { owner: 'o', repo: 'r', name: 'OLD', body_name: 'NEW', value: 'v' },
      auth,
    );
    expect(result.successful).toBe(true);
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/repos/o/r/actions/variables/OLD');
    expect(JSON.parse(request?.body ?? '')).toEqual({ name: 'NEW', value: 'v' });
  });

  it('asks for a documented media type (Accept) and returns diff answers as text', async () => {
    const diff = await toolset.executeAction(
      'GITHUB_GET_A_COMMIT',
      { owner: 'o', repo: 'r', ref: 'main', media_type: 'application/vnd.github.diff' },
      auth,
    );
    expect(diff).toEqual({ successful: true, data: 'diff --git a/x b/x\n', error: null });
    expect(server.requests.at(-1)?.headers['accept']).toBe('application/vnd.github.diff');
    const json = await toolset.executeAction('GITHUB_GET_A_COMMIT', { owner: 'o', repo: 'r', ref: 'main' }, auth);
    // A commit's files are paginated, so the answer says where to continue.
    expect(json.data).toEqual({ sha: 'main', nextPage: null, lastPage: null });
    expect(server.requests.at(-1)?.headers['accept']).toBe('application/vnd.github+json');
    const invalid = await toolset.executeAction(
      'GITHUB_GET_A_COMMIT',
      { owner: 'o', repo: 'r', ref: 'main', media_type: 'text/html' },
      auth,
    );
    expect(invalid.error?.code).toBe('INVALID_PARAMS');
  });

  it('sends a text body whole with its media type (Render a Markdown document in raw mode)', async () => {
    const result = await toolset.executeAction('GITHUB_RENDER_A_MARKDOWN_DOCUMENT_IN_RAW_MODE', { body: '# Hi' }, auth);
    expect(result).toMatchObject({ successful: true, data: '<p># Hi</p>' });
    const request = server.requests.at(-1);
    expect(request?.headers['content-type']).toMatch(/^text\/plain/);
    expect(request?.body).toBe('# Hi');
  });

  it('keeps slashes of a multi-segment path parameter as separators', async () => {
    const result = await toolset.executeAction(
      'GITHUB_DELETE_A_REFERENCE',
      { owner: 'o', repo: 'r', ref: 'heads/feature/a' },
      auth,
    );
    expect(result.successful).toBe(true);
    expect(server.requests.at(-1)?.path).toBe('/repos/o/r/git/refs/heads/feature/a');
  });

  it('refuses a release asset upload with a message saying what to do, sending nothing', async () => {
    const before = server.requests.length;
    const result = await toolset.executeAction(
      'GITHUB_UPLOAD_A_RELEASE_ASSET',
      { owner: 'o', repo: 'r', release_id: 1, name: 'a.zip', body: 'bytes' },
      auth,
    );
    expect(result.error?.message).toMatch(/uploads\.github\.com.*upload_url/s);
    expect(server.requests.length).toBe(before);
  });

  it('lists effects from the method, tags with read/write, and marks deprecated operations', () => {
    const summaries = toolset.listActions({ app: 'github' });
    const byName = new Map(summaries.map((summary) => [summary.name, summary]));
    expect(byName.get('GITHUB_DELETE_A_REPOSITORY')?.effects).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: true,
    });
    expect(byName.get('GITHUB_LIST_RELEASES')?.effects).toEqual({ readOnly: true });
    expect(byName.get('GITHUB_LIST_RELEASES')?.tags).toEqual(['repos', 'read', 'generated']);
    expect(byName.get('GITHUB_CREATE_A_RELEASE')?.tags).toEqual(['repos', 'write', 'generated']);
    expect(effectsOf('PUT')).toEqual({ readOnly: false, idempotent: true });
    const deprecated = summaries.filter((summary) => summary.deprecated);
    expect(deprecated.length).toBeGreaterThan(10);
    expect(byName.get('GITHUB_LIST_RELEASES')?.description).toMatch(
      /^List releases\.\n\n[\s\S]*Docs: https:\/\/docs\.github\.com\/rest\/releases\/releases#list-releases$/,
    );
  });
});
