import { createToolset, defineAction, defineConnector, CONNECTOR_SPEC_VERSION } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeGitHubApi, type FakeGitHubApi } from '../test/fake-github-api.js';
import { PAT, startHarness, type GitHubHarness } from '../test/harness.js';
import { loadGitHubOpenApi, type GitHubOpenApi, type WireRequest } from '../test/openapi.js';
import { rerouteFetch } from '@plugboard/testkit';
import { SAMPLE_INPUTS } from '../test/sample-inputs.js';
import { github, githubActions } from './index.js';

/**
 * Every request the actions send must be one GitHub's published OpenAPI description
 * (@octokit/openapi) allows: the operation found by method and path template, every path and
 * query parameter declared with a compatible value, every JSON body field a declared property of
 * the request body schema with a compatible type, required ones present. The actions run with
 * inputs that fill every field, against the fake API, for each supported API version.
 */

const API_VERSIONS = ['2022-11-28', '2026-03-10'];

function wire(
  request: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string>;
    body: string;
    status?: number;
  },
  basePath = '',
): WireRequest {
  return {
    method: request.method,
    path: request.path.slice(basePath.length),
    query: request.query,
    headers: request.headers,
    body: request.body,
    ...(request.status === undefined ? {} : { status: request.status }),
  };
}

function objectKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } })._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

describe('sample inputs', () => {
  it('exist for every action and together fill every input field', () => {
    expect(Object.keys(SAMPLE_INPUTS).sort()).toEqual(githubActions.map((action) => action.name).sort());
    for (const action of githubActions) {
      const covered = new Set((SAMPLE_INPUTS[action.name] ?? []).flatMap((input) => Object.keys(input)));
      expect(
        objectKeys(action.input).filter((key) => !covered.has(key)),
        action.name,
      ).toEqual([]);
    }
  });
});

for (const apiVersion of API_VERSIONS) {
  describe(`requests against GitHub's OpenAPI description, API version ${apiVersion}`, () => {
    let harness: GitHubHarness;
    let spec: GitHubOpenApi;

    beforeAll(async () => {
      spec = loadGitHubOpenApi(apiVersion);
      harness = await startHarness({ connector: { apiVersion } });
      await harness.toolset.initiateConnection({
        app: 'github',
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token: PAT },
      });
    });

    afterAll(async () => {
      await harness.close();
    });

    for (const action of githubActions) {
      it(`${action.name} (${action.request?.method} ${action.request?.path}) sends only what the description allows`, async () => {
        const start = harness.api.requests.length;
        for (const input of SAMPLE_INPUTS[action.name] ?? []) {
          const result = await harness.toolset.executeAction(action.name, input);
          expect(result.error, JSON.stringify(input)).toBeNull();
        }
        const sent = harness.api.requests.slice(start);
        expect(sent.length).toBeGreaterThan(0);
        for (const request of sent) {
          const checked = spec.check(wire(request));
          expect(checked.problems, `${request.method} ${request.url}`).toEqual([]);
          // The template the action declares is the operation's ({+path} is GitHub's multi-segment {path}).
          expect(checked.operation).toBe(`${action.request?.method} ${action.request?.path.replace('{+', '{')}`);
        }
      });
    }
  });
}

describe('the conformance check', () => {
  let spec: GitHubOpenApi;
  let api: FakeGitHubApi;

  beforeAll(async () => {
    spec = loadGitHubOpenApi();
    api = await startFakeGitHubApi();
    api.addToken(PAT, { login: 'octocat', scopes: [], kind: 'pat' });
  });

  afterAll(async () => {
    await api.close();
  });

  /** Runs a deliberately wrong action end to end (the fake, like GitHub, ignores what it does not know) and checks what it sent. */
  async function problemsOf(
    action: ReturnType<typeof defineAction>,
    input: Record<string, unknown>,
  ): Promise<string[]> {
    const connector = defineConnector({
      ...github,
      headers: { ...github.headers },
      specVersion: CONNECTOR_SPEC_VERSION,
      actions: [action],
    });
    const { fetch } = rerouteFetch({ 'https://api.github.com': api.url });
    const toolset = createToolset({ connectors: [connector], fetch });
    const start = api.requests.length;
    await toolset.executeAction(action.name, input, {
      auth: { parameters: [{ in: 'header', name: 'Authorization', value: `Bearer ${PAT}` }] },
    });
    return api.requests.slice(start).flatMap((request) => spec.check(wire(request)).problems);
  }

  it('catches a query parameter with a wrong name (status instead of state)', async () => {
    const wrong = defineAction({
      name: 'GITHUB_LIST_PULL_REQUESTS',
      description: 'A deliberately wrong copy.',
      input: z.object({ owner: z.string(), repo: z.string(), status: z.string() }),
      request: 'GET /repos/{owner}/{repo}/pulls',
    });
    const problems = await problemsOf(wrong, { owner: 'octocat', repo: 'Hello-World', status: 'open' });
    expect(problems).toEqual([
      expect.stringContaining('GET /repos/{owner}/{repo}/pulls (pulls/list): query parameter "status" is not declared'),
    ]);
  });

  it('catches a body field with a wrong name and a missing required field', async () => {
    const wrong = defineAction({
      name: 'GITHUB_CREATE_ISSUE',
      description: 'A deliberately wrong copy.',
      input: z.object({ owner: z.string(), repo: z.string(), titel: z.string() }),
      request: 'POST /repos/{owner}/{repo}/issues',
    });
    const problems = await problemsOf(wrong, { owner: 'octocat', repo: 'Hello-World', titel: 'Typo' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('body: field "titel" is not declared'),
        expect.stringContaining('body: required field "title" is missing'),
      ]),
    );
  });

  it('catches values of the wrong type in the path, the query and the body', () => {
    const headers = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
    };
    expect(
      spec.check({ method: 'GET', path: '/repos/o/r/pulls/first', query: new URLSearchParams(), headers, body: '' })
        .problems,
    ).toEqual([expect.stringContaining('path parameter "pull_number": "first" is not an integer')]);
    expect(
      spec.check({
        method: 'GET',
        path: '/repos/o/r/pulls',
        query: new URLSearchParams('per_page=many&state=merged'),
        headers,
        body: '',
      }).problems,
    ).toEqual([
      expect.stringContaining('query parameter "per_page": "many" is not an integer'),
      expect.stringContaining('query parameter "state": "merged" is not one of "open", "closed", "all"'),
    ]);
    expect(
      spec.check({
        method: 'POST',
        path: '/repos/o/r/pulls',
        query: new URLSearchParams(),
        headers,
        body: JSON.stringify({ head: 'a', base: 'b', draft: 'yes' }),
      }).problems,
    ).toEqual([expect.stringContaining('body.draft: expected boolean, got string "yes"')]);
  });

  it('catches a wrong method, an unknown path, a body where none is taken and missing GitHub headers', () => {
    const headers = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
    expect(
      spec.check({ method: 'POST', path: '/user/starred/o/r', query: new URLSearchParams(), headers, body: '' })
        .problems,
    ).toEqual([
      expect.stringContaining(
        'matches GET /user/starred/{owner}/{repo}, PUT /user/starred/{owner}/{repo}, DELETE /user/starred/{owner}/{repo}, but no operation takes POST',
      ),
    ]);
    expect(
      spec.check({ method: 'GET', path: '/repos/o/r/pull/1', query: new URLSearchParams(), headers, body: '' })
        .problems[0],
    ).toContain('no operation');
    expect(
      spec.check({
        method: 'PUT',
        path: '/user/starred/o/r',
        query: new URLSearchParams(),
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      }).problems,
    ).toEqual([expect.stringContaining('sends a body, but the operation takes none')]);
    expect(
      spec.check({ method: 'GET', path: '/user', query: new URLSearchParams(), headers: {}, body: '' }).problems,
    ).toEqual([
      expect.stringContaining('Accept should be application/vnd.github+json'),
      expect.stringContaining('X-GitHub-Api-Version should be 2022-11-28'),
    ]);
  });

  it('knows the singular assignee is gone in API version 2026-03-10', () => {
    const body = JSON.stringify({ title: 'x', assignee: 'octocat' });
    const request = (version: string): WireRequest => ({
      method: 'POST',
      path: '/repos/o/r/issues',
      query: new URLSearchParams(),
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': version,
        'content-type': 'application/json',
      },
      body,
    });
    expect(spec.check(request('2022-11-28')).problems).toEqual([]);
    expect(loadGitHubOpenApi('2026-03-10').check(request('2026-03-10')).problems).toEqual([
      expect.stringContaining('field "assignee" is not declared'),
    ]);
  });
});
