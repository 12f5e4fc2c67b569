import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('GITHUB_CREATE_ISSUE', () => {
  it('sends POST /repos/{owner}/{repo}/issues with the issue fields and returns the new issue', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_ISSUE', {
      ...repository,
      title: 'Found a bug',
      body: "I'm having a problem with this.",
      labels: ['bug'],
      assignees: ['octocat'],
      milestone: 1,
      type: 'Bug',
    });
    expectRequest(harness.api.requests[0], {
      method: 'POST',
      url: '/repos/octocat/Hello-World/issues',
      json: {
        title: 'Found a bug',
        body: "I'm having a problem with this.",
        milestone: 1,
        labels: ['bug'],
        assignees: ['octocat'],
        type: 'Bug',
      },
    });
    expect(harness.api.requests[0]?.status).toBe(201);
    expect(result.data).toMatchObject({
      number: 1349,
      title: 'Found a bug',
      state: 'open',
      labels: [{ name: 'bug' }],
      assignees: [{ login: 'octocat' }],
      milestone: { number: 1 },
      type: { name: 'Bug' },
      html_url: 'https://github.com/octocat/Hello-World/issues/1349',
    });
  });

  it('answers to GITHUB_CREATE_AN_ISSUE as well, with the same request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_AN_ISSUE', {
      ...repository,
      title: 'Via the alias',
    });
    expectRequest(harness.api.requests[0], {
      method: 'POST',
      url: '/repos/octocat/Hello-World/issues',
      json: { title: 'Via the alias' },
    });
    expect(result.data).toMatchObject({ title: 'Via the alias', user: { login: 'octocat' } });
    expect(harness.toolset.getAction('GITHUB_CREATE_AN_ISSUE').name).toBe('GITHUB_CREATE_ISSUE');
  });

  it('reports 410 when the repository has issues turned off', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_ISSUE', {
      owner: 'octo-org',
      repo: 'no-issues',
      title: 'Hello',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 410 } });
    expect(result.error?.message).toContain('Issues are disabled for this repo');
  });

  it('refuses an issue without a title, or with a label that is not a string, before any request', async () => {
    for (const input of [
      { ...repository },
      { ...repository, title: '' },
      { ...repository, title: 'x', labels: 'bug' },
    ]) {
      const result = await harness.toolset.executeAction('GITHUB_CREATE_ISSUE', input);
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_GET_AN_ISSUE', () => {
  it('sends GET /repos/{owner}/{repo}/issues/{issue_number} and returns the issue', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_AN_ISSUE', { ...repository, issue_number: 1 });
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/repos/octocat/Hello-World/issues/1' });
    expect(result.data).toMatchObject({
      number: 1,
      title: 'Issue 1',
      state: 'open',
      assignees: [{ login: 'octocat' }],
      labels: [{ name: 'bug' }],
    });
    expect(result.data).not.toHaveProperty('pull_request');
  });

  it('shows a pull request as an issue with a pull_request field', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_AN_ISSUE', { ...repository, issue_number: 1347 });
    expect(result.data).toMatchObject({
      number: 1347,
      comments: 2,
      pull_request: { url: 'https://api.github.com/repos/octocat/Hello-World/pulls/1347' },
    });
  });
});

describe('GITHUB_LIST_REPOSITORY_ISSUES', () => {
  it('sends the filters as query parameters and returns items with the next page', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORY_ISSUES', {
      ...repository,
      state: 'all',
      labels: 'bug',
      sort: 'created',
      direction: 'asc',
      since: '2011-01-01T00:00:00Z',
      per_page: 2,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/issues?state=all&labels=bug&sort=created&direction=asc&since=2011-01-01T00%3A00%3A00Z&per_page=2',
    });
    expect(result.data).toMatchObject({ items: [{ number: 1 }, { number: 3 }], nextPage: 2, lastPage: 2 });
    const next = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORY_ISSUES', {
      ...repository,
      state: 'all',
      labels: 'bug',
      direction: 'asc',
      per_page: 2,
      page: 2,
    });
    expect(next.data).toMatchObject({ items: [{ number: 5 }], nextPage: null, lastPage: null });
  });

  it('sends assignee, creator, mentioned, milestone and type filters by their GitHub names', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORY_ISSUES', {
      ...repository,
      milestone: 'none',
      assignee: 'none',
      creator: 'hubot',
      mentioned: 'octocat',
      type: 'none',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/issues?milestone=none&assignee=none&type=none&creator=hubot&mentioned=octocat',
    });
    expect(result.data).toMatchObject({ items: [{ number: 3, user: { login: 'hubot' } }], nextPage: null });
  });

  it('refuses a since that is not an ISO 8601 timestamp before any request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORY_ISSUES', {
      ...repository,
      since: 'yesterday',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_UPDATE_AN_ISSUE', () => {
  it('sends PATCH with only the fields to change and returns the updated issue', async () => {
    const result = await harness.toolset.executeAction('GITHUB_UPDATE_AN_ISSUE', {
      ...repository,
      issue_number: 2,
      state: 'closed',
      state_reason: 'not_planned',
      labels: [],
      assignees: ['hubot'],
      milestone: null,
    });
    expectRequest(harness.api.requests[0], {
      method: 'PATCH',
      url: '/repos/octocat/Hello-World/issues/2',
      json: { state: 'closed', state_reason: 'not_planned', milestone: null, labels: [], assignees: ['hubot'] },
    });
    expect(result.data).toMatchObject({
      number: 2,
      state: 'closed',
      state_reason: 'not_planned',
      labels: [],
      assignees: [{ login: 'hubot' }],
      milestone: null,
    });
  });

  it('sends a null body to clear it, and changes the title', async () => {
    const result = await harness.toolset.executeAction('GITHUB_UPDATE_AN_ISSUE', {
      ...repository,
      issue_number: 3,
      title: 'Renamed',
      body: null,
    });
    expectRequest(harness.api.requests[0], {
      method: 'PATCH',
      url: '/repos/octocat/Hello-World/issues/3',
      json: { title: 'Renamed', body: null },
    });
    expect(result.data).toMatchObject({ title: 'Renamed', body: null });
  });

  it("returns GitHub's 422 for an assignee who cannot be assigned", async () => {
    const result = await harness.toolset.executeAction('GITHUB_UPDATE_AN_ISSUE', {
      ...repository,
      issue_number: 2,
      assignees: ['monalisa'],
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 422 } });
    expect(JSON.stringify(result.error)).toContain("Could not resolve to a User with the login of 'monalisa'.");
  });

  it('refuses an update with nothing to change, or an unknown state, before any request', async () => {
    for (const input of [
      { ...repository, issue_number: 2 },
      { ...repository, issue_number: 2, state: 'done' },
    ]) {
      const result = await harness.toolset.executeAction('GITHUB_UPDATE_AN_ISSUE', input);
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_CREATE_AN_ISSUE_COMMENT', () => {
  it('sends POST .../issues/{issue_number}/comments with the body and returns the comment', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_AN_ISSUE_COMMENT', {
      ...repository,
      issue_number: 1347,
      body: 'Me too',
    });
    expectRequest(harness.api.requests[0], {
      method: 'POST',
      url: '/repos/octocat/Hello-World/issues/1347/comments',
      json: { body: 'Me too' },
    });
    expect(harness.api.requests[0]?.status).toBe(201);
    expect(result.data).toMatchObject({
      id: 100,
      body: 'Me too',
      user: { login: 'octocat' },
      issue_url: 'https://api.github.com/repos/octocat/Hello-World/issues/1347',
    });
  });

  it('refuses an empty comment before any request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_CREATE_AN_ISSUE_COMMENT', {
      ...repository,
      issue_number: 1347,
      body: '',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_LIST_ISSUE_COMMENTS', () => {
  it('sends GET .../comments and returns the comments with the next page', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_ISSUE_COMMENTS', {
      ...repository,
      issue_number: 1347,
      since: '2011-01-01T00:00:00+00:00',
      per_page: 1,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/issues/1347/comments?since=2011-01-01T00%3A00%3A00%2B00%3A00&per_page=1',
    });
    expect(result.data).toMatchObject({
      items: [{ id: 1, body: 'Me too', user: { login: 'hubot' } }],
      nextPage: 2,
      lastPage: 2,
    });
  });
});
