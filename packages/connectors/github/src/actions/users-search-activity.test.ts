import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRequest, githubHeaders } from '../../test/expect-request.js';
import { connectWithToken, startHarness, type GitHubHarness } from '../../test/harness.js';

let harness: GitHubHarness;

beforeEach(async () => {
  harness = await startHarness();
  await connectWithToken(harness);
});

afterEach(async () => {
  await harness.close();
});

describe('GITHUB_GET_THE_AUTHENTICATED_USER', () => {
  it('sends GET /user and returns the profile', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/user' });
    expect(result.data).toMatchObject({
      login: 'octocat',
      id: 583231,
      name: 'The Octocat',
      email: 'octocat@github.com',
      public_repos: 8,
    });
  });

  it('reports a revoked token as GitHub does: 401 Bad credentials', async () => {
    harness.api.revokeToken('ghp_16C7e42F292c6912E7710c838347Ae178B4a');
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(result.error?.message).toContain('Bad credentials');
    expect(JSON.stringify(result)).not.toContain('ghp_16C7e42F292c6912E7710c838347Ae178B4a');
  });

  it("reports GitHub's primary rate limit (403 with x-ratelimit-remaining 0) with GitHub's message and request id", async () => {
    harness.api.exhaustRateLimit();
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result).toMatchObject({
      successful: false,
      // RATE_LIMITED since GitHub's rate-limit answers are read (the reset is further than maxRetryAfterMs).
      error: { code: 'RATE_LIMITED', status: 403, retryable: true },
    });
    expect(result.error?.message).toContain('API rate limit exceeded for user ID 583231.');
    expect(result.error?.details).toMatchObject({
      requestId: expect.stringMatching(/^[0-9A-F]{4}:[0-9A-F]{6}$/),
      retryAfterMs: expect.any(Number),
      kind: 'primary',
    });
    expect(harness.api.requests).toHaveLength(1);
  });
});

describe('GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS', () => {
  it('sends q and the options, keeps total_count and incomplete_results, and pages', async () => {
    const input = {
      q: 'repo:octocat/Hello-World is:issue is:open',
      sort: 'created',
      order: 'asc',
      per_page: 2,
    } as const;
    const result = await harness.toolset.executeAction('GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS', input);
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/search/issues?q=repo%3Aoctocat%2FHello-World+is%3Aissue+is%3Aopen&sort=created&order=asc&per_page=2',
    });
    expect(result.data).toMatchObject({
      total_count: 4,
      incomplete_results: false,
      items: [{ number: 1 }, { number: 2 }],
      nextPage: 2,
      lastPage: 2,
    });
    const next = await harness.toolset.executeAction('GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS', { ...input, page: 2 });
    expect(next.data).toMatchObject({ total_count: 4, items: [{ number: 3 }, { number: 5 }], nextPage: null });
  });

  it('sends advanced_search and search_type by their GitHub names', async () => {
    const result = await harness.toolset.executeAction('GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS', {
      q: 'is:pr Amazing',
      advanced_search: true,
      search_type: 'hybrid',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/search/issues?q=is%3Apr+Amazing&advanced_search=true&search_type=hybrid',
    });
    expect(result.data).toMatchObject({
      total_count: 1,
      items: [{ number: 1347, pull_request: {} }],
      nextPage: null,
      lastPage: null,
    });
  });

  it('refuses a search without q before any request', async () => {
    for (const input of [{}, { q: '' }]) {
      const result = await harness.toolset.executeAction('GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS', input);
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER', () => {
  it('sends PUT /user/starred/{owner}/{repo} with Content-Length 0 and no body, and reports the 204 as starred', async () => {
    const result = await harness.toolset.executeAction('GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER', {
      owner: 'octocat',
      repo: 'Hello-World',
    });
    expectRequest(harness.api.requests[0], {
      method: 'PUT',
      url: '/user/starred/octocat/Hello-World',
      headers: githubHeaders(),
    });
    // GitHub asks for Content-Length: 0 on this PUT; fetch sends it for a PUT without a body.
    expect(harness.api.requests[0]?.headers['content-length']).toBe('0');
    expect(harness.api.requests[0]?.status).toBe(204);
    expect(result).toEqual({ successful: true, data: { starred: true }, error: null });
    expect(harness.api.repository('octocat/Hello-World').stargazers.has('octocat')).toBe(true);
  });

  it('refuses a repository name of "." before any request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER', {
      owner: 'octocat',
      repo: '.',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(harness.api.requests).toEqual([]);
  });
});
