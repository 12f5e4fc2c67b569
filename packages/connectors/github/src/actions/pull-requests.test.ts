import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha } from '../../test/fake-github-api.js';
import { expectRequest } from '../../test/expect-request.js';
import { connectWithToken, startHarness, type GitHubHarness } from '../../test/harness.js';

let harness: GitHubHarness;
const repository = { owner: 'octocat', repo: 'Hello-World' };

beforeEach(async () => {
  harness = await startHarness();
  await connectWithToken(harness);
});

afterEach(async () => {
  await harness.close();
});

describe('GITHUB_GET_A_PULL_REQUEST', () => {
  it('sends GET /repos/{owner}/{repo}/pulls/{pull_number} and returns the pull request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', {
      ...repository,
      pull_number: 1347,
    });
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/repos/octocat/Hello-World/pulls/1347' });
    expect(harness.sent.map(({ method, url }) => ({ method, url }))).toEqual([
      { method: 'GET', url: 'https://api.github.com/repos/octocat/Hello-World/pulls/1347' },
    ]);
    expect(result.successful).toBe(true);
    expect(result.data).toMatchObject({
      number: 1347,
      title: 'Amazing new feature',
      state: 'open',
      mergeable: true,
      head: { ref: 'new-feature', sha: sha('new-feature') },
      base: { ref: 'master' },
      changed_files: 3,
      html_url: 'https://github.com/octocat/Hello-World/pull/1347',
    });
  });

  it("returns GitHub's 404 as an UPSTREAM_ERROR with GitHub's message", async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', { ...repository, pull_number: 1 });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 404 } });
    expect(result.error?.message).toContain('GET https://api.github.com/repos/octocat/Hello-World/pulls/1 (Not Found)');
  });

  it('refuses a pull number that is not a positive integer before any request', async () => {
    for (const pull_number of ['1347', 0, 1.5]) {
      const result = await harness.toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', { ...repository, pull_number });
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.sent).toEqual([]);
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_LIST_PULL_REQUESTS', () => {
  it('sends the filters as query parameters and pages with the Link header', async () => {
    const input = { ...repository, state: 'all', sort: 'created', direction: 'asc', per_page: 1 } as const;
    const first = await harness.toolset.executeAction('GITHUB_LIST_PULL_REQUESTS', input);
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls?state=all&sort=created&direction=asc&per_page=1',
    });
    expect(first.data).toMatchObject({ items: [{ number: 1347 }], nextPage: 2, lastPage: 2 });
    expect((first.data as { items: unknown[] }).items).toHaveLength(1);

    const second = await harness.toolset.executeAction('GITHUB_LIST_PULL_REQUESTS', { ...input, page: 2 });
    expectRequest(harness.api.requests[1], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls?state=all&sort=created&direction=asc&per_page=1&page=2',
    });
    expect(second.data).toMatchObject({ items: [{ number: 1348, mergeable: false }], nextPage: null, lastPage: null });
  });

  it('gives nextPage null when everything fits on one page (no Link header)', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_PULL_REQUESTS', {
      ...repository,
      head: 'octocat:new-feature',
      base: 'master',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls?head=octocat%3Anew-feature&base=master',
    });
    expect(result.data).toEqual({ items: [expect.objectContaining({ number: 1347 })], nextPage: null, lastPage: null });
  });

  it('refuses an unknown state before any request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_PULL_REQUESTS', { ...repository, state: 'merged' });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_CREATE_A_PULL_REQUEST', () => {
  it('sends POST with the documented body fields and returns the new pull request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_A_PULL_REQUEST', {
      ...repository,
      title: 'Fix a typo',
      head: 'fix-typo',
      base: 'master',
      body: 'Found by **Plugboard**.',
      draft: true,
    });
    expectRequest(harness.api.requests[0], {
      method: 'POST',
      url: '/repos/octocat/Hello-World/pulls',
      json: { title: 'Fix a typo', head: 'fix-typo', base: 'master', body: 'Found by **Plugboard**.', draft: true },
    });
    expect(harness.api.requests[0]?.status).toBe(201);
    expect(result.data).toMatchObject({
      number: 1349,
      title: 'Fix a typo',
      draft: true,
      state: 'open',
      head: { ref: 'fix-typo' },
      base: { ref: 'master' },
    });
  });

  it('converts an issue into a pull request when given issue instead of title', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_A_PULL_REQUEST', {
      ...repository,
      issue: 2,
      head: 'octocat:docs',
      base: 'master',
      maintainer_can_modify: true,
    });
    expectRequest(harness.api.requests[0], {
      method: 'POST',
      url: '/repos/octocat/Hello-World/pulls',
      json: { head: 'octocat:docs', base: 'master', maintainer_can_modify: true, issue: 2 },
    });
    expect(result.data).toMatchObject({ number: 2, title: 'Issue 2', head: { ref: 'docs' } });
  });

  it("returns GitHub's 422 when a pull request for the branch already exists", async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_A_PULL_REQUEST', {
      ...repository,
      title: 'Again',
      head: 'new-feature',
      base: 'master',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 422 } });
    expect(result.error?.message).toContain('Validation Failed');
    expect(JSON.stringify(result.error)).toContain('A pull request already exists for octocat:new-feature.');
  });

  it('refuses a pull request with neither title nor issue, or without a base, before any request', async () => {
    for (const input of [
      { ...repository, head: 'fix-typo', base: 'master' },
      { ...repository, title: 'No base', head: 'fix-typo' },
    ]) {
      const result = await harness.toolset.executeAction('GITHUB_CREATE_A_PULL_REQUEST', input);
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_MERGE_A_PULL_REQUEST', () => {
  it('sends PUT .../merge with the merge options and returns the merge result', async () => {
    const result = await harness.toolset.executeAction('GITHUB_MERGE_A_PULL_REQUEST', {
      ...repository,
      pull_number: 1347,
      commit_title: 'Amazing new feature (#1347)',
      commit_message: 'Squashed.',
      sha: sha('new-feature'),
      merge_method: 'squash',
    });
    expectRequest(harness.api.requests[0], {
      method: 'PUT',
      url: '/repos/octocat/Hello-World/pulls/1347/merge',
      json: {
        commit_title: 'Amazing new feature (#1347)',
        commit_message: 'Squashed.',
        sha: sha('new-feature'),
        merge_method: 'squash',
      },
    });
    expect(result).toEqual({
      successful: true,
      data: { sha: sha('merge-1347-squash'), merged: true, message: 'Pull Request successfully merged' },
      error: null,
    });
  });

  it('sends no body when no merge option is given', async () => {
    const result = await harness.toolset.executeAction('GITHUB_MERGE_A_PULL_REQUEST', {
      ...repository,
      pull_number: 1347,
    });
    expectRequest(harness.api.requests[0], { method: 'PUT', url: '/repos/octocat/Hello-World/pulls/1347/merge' });
    expect(result.data).toMatchObject({ merged: true });
  });

  it('reports 405 for a pull request that is not mergeable and 409 when the head moved', async () => {
    const conflicting = await harness.toolset.executeAction('GITHUB_MERGE_A_PULL_REQUEST', {
      ...repository,
      pull_number: 1348,
    });
    expect(conflicting).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 405 } });
    expect(conflicting.error?.message).toContain('Pull Request is not mergeable');
    const moved = await harness.toolset.executeAction('GITHUB_MERGE_A_PULL_REQUEST', {
      ...repository,
      pull_number: 1347,
      sha: 'a'.repeat(40),
    });
    expect(moved).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 409 } });
    expect(moved.error?.message).toContain('Head branch was modified');
  });

  it('refuses an unknown merge method or a malformed sha before any request', async () => {
    for (const extra of [{ merge_method: 'fast-forward' }, { sha: 'HEAD' }]) {
      const result = await harness.toolset.executeAction('GITHUB_MERGE_A_PULL_REQUEST', {
        ...repository,
        pull_number: 1347,
        ...extra,
      });
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_LIST_PULL_REQUESTS_FILES', () => {
  it('sends GET .../files and returns the files with the next page', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_PULL_REQUESTS_FILES', {
      ...repository,
      pull_number: 1347,
      per_page: 2,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/pulls/1347/files?per_page=2',
    });
    expect(result.data).toMatchObject({
      items: [
        { filename: 'file1.txt', status: 'added', additions: 103, deletions: 21, changes: 124 },
        { filename: 'docs/guide/intro.md', status: 'modified' },
      ],
      nextPage: 2,
      lastPage: 2,
    });
  });
});
