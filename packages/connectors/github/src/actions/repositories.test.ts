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

describe('GITHUB_GET_A_REPOSITORY', () => {
  it('sends GET /repos/{owner}/{repo} and returns the repository', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_A_REPOSITORY', repository);
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/repos/octocat/Hello-World' });
    expect(result.data).toMatchObject({
      id: 1296269,
      full_name: 'octocat/Hello-World',
      default_branch: 'master',
      private: false,
      permissions: { admin: true, push: true, pull: true },
    });
  });

  it('returns 404 for a private repository the user cannot see, as GitHub does', async () => {
    harness.api.addToken('ghp_hubot', { login: 'monalisa', scopes: [], kind: 'pat' });
    const result = await harness.toolset.executeAction(
      'GITHUB_GET_A_REPOSITORY',
      { owner: 'octocat', repo: 'secret' },
      { auth: { parameters: [{ in: 'header', name: 'Authorization', value: 'Bearer ghp_hubot' }] } },
    );
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 404 } });
  });

  it('refuses an owner or repository name with a slash or a space before any request', async () => {
    for (const input of [
      { owner: 'octocat/Hello-World', repo: 'x' },
      { owner: 'octocat', repo: 'Hello World' },
      { owner: 'octocat', repo: '..' },
    ]) {
      const result = await harness.toolset.executeAction('GITHUB_GET_A_REPOSITORY', input);
      expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER', () => {
  it('sends GET /user/repos with the filters and pages through the results', async () => {
    const first = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER', {
      visibility: 'all',
      affiliation: 'owner,collaborator',
      sort: 'full_name',
      direction: 'asc',
      per_page: 2,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/user/repos?visibility=all&affiliation=owner%2Ccollaborator&sort=full_name&direction=asc&per_page=2',
    });
    expect(first.data).toMatchObject({
      items: [{ full_name: 'octo-org/no-issues' }, { full_name: 'octocat/Hello-World' }],
      nextPage: 2,
      lastPage: 2,
    });
    const second = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER', {
      visibility: 'all',
      per_page: 2,
      page: 2,
    });
    expectRequest(harness.api.requests[1], { method: 'GET', url: '/user/repos?visibility=all&per_page=2&page=2' });
    expect(second.data).toMatchObject({
      items: [{ full_name: 'octocat/secret', private: true }],
      nextPage: null,
      lastPage: null,
    });
  });

  it('sends the older type filter and the since/before timestamps', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER', {
      type: 'owner',
      since: '2020-01-01T00:00:00Z',
      before: '2030-01-01T00:00:00Z',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/user/repos?type=owner&since=2020-01-01T00%3A00%3A00Z&before=2030-01-01T00%3A00%3A00Z',
    });
    expect(result.successful).toBe(true);
  });

  it('refuses type together with visibility, which GitHub answers with 422, before any request', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER', {
      type: 'owner',
      visibility: 'private',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    expect(result.error?.message).toContain('type cannot be combined with visibility or affiliation');
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_GET_REPOSITORY_CONTENT', () => {
  it('keeps the slashes of a nested path and decodes a UTF-8 file', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', {
      ...repository,
      path: 'docs/guide/intro.md',
      ref: 'master',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/contents/docs/guide/intro.md?ref=master',
    });
    expect(harness.sent[0]?.url).toBe(
      'https://api.github.com/repos/octocat/Hello-World/contents/docs/guide/intro.md?ref=master',
    );
    const data = result.data as Record<string, unknown>;
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: 'docs/guide/intro.md', name: 'intro.md' });
    // GitHub wraps base64 at 60 characters; the decoded text is whole.
    expect(String(data['content'])).toContain('\n');
    expect(data['decoded_content']).toBe(
      '# Intro\n\nCafé au lait ☕, and a long line to make the base64 wrap like GitHub does.\n',
    );
  });

  it('percent-encodes each segment of a path with spaces and "#", keeping the slashes', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', {
      ...repository,
      path: 'docs/a b/notes #1.txt',
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/contents/docs/a%20b/notes%20%231.txt',
    });
    expect(result.data).toMatchObject({ path: 'docs/a b/notes #1.txt', decoded_content: 'spaces and a hash\n' });
  });

  it('leaves a binary file base64-encoded, without decoded_content', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', {
      ...repository,
      path: 'docs/guide/logo.png',
    });
    expect(result.data).toMatchObject({ type: 'file', encoding: 'base64' });
    expect(result.data).not.toHaveProperty('decoded_content');
  });

  it('returns the entries of a directory as an array', async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', {
      ...repository,
      path: 'docs',
    });
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/repos/octocat/Hello-World/contents/docs' });
    expect(result.data).toEqual([
      expect.objectContaining({ type: 'dir', name: 'a b' }),
      expect.objectContaining({ type: 'dir', name: 'guide', path: 'docs/guide' }),
    ]);
  });

  it("returns GitHub's 404 for a missing file", async () => {
    const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', {
      ...repository,
      path: 'nope.md',
    });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 404 } });
  });

  it('refuses an empty path or one with "..", "." or empty segments before any request', async () => {
    for (const path of ['', '../secret', 'docs/./guide', 'docs//guide', '/README']) {
      const result = await harness.toolset.executeAction('GITHUB_GET_REPOSITORY_CONTENT', { ...repository, path });
      expect(result, path).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(harness.api.requests).toEqual([]);
  });
});

describe('GITHUB_LIST_COMMITS', () => {
  it('sends the filters as query parameters, path among them, and pages', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_COMMITS', {
      ...repository,
      sha: 'master',
      path: 'docs/guide/intro.md',
      author: 'hubot',
      since: '2011-01-01T00:00:00Z',
      until: '2012-01-01T00:00:00Z',
      per_page: 1,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/commits?sha=master&path=docs%2Fguide%2Fintro.md&author=hubot&since=2011-01-01T00%3A00%3A00Z&until=2012-01-01T00%3A00%3A00Z&per_page=1',
    });
    expect(result.data).toMatchObject({
      items: [{ sha: sha('commit-1'), commit: { message: 'Change 1' }, author: { login: 'hubot' } }],
      nextPage: 2,
      lastPage: 2,
    });
  });

  it('sends the committer filter by its GitHub name', async () => {
    await harness.toolset.executeAction('GITHUB_LIST_COMMITS', {
      ...repository,
      committer: 'octocat@github.com',
      page: 3,
      per_page: 3,
    });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/commits?committer=octocat%40github.com&per_page=3&page=3',
    });
  });
});

describe('GITHUB_LIST_BRANCHES', () => {
  it('sends protected=false and returns the unprotected branches', async () => {
    const result = await harness.toolset.executeAction('GITHUB_LIST_BRANCHES', { ...repository, protected: false });
    expectRequest(harness.api.requests[0], {
      method: 'GET',
      url: '/repos/octocat/Hello-World/branches?protected=false',
    });
    const items = (result.data as { items: Array<{ name: string; protected: boolean }> }).items;
    expect(items.map((branch) => branch.name)).toEqual(['new-feature', 'conflicting', 'docs', 'fix-typo']);
    expect(items.every((branch) => !branch.protected)).toBe(true);
    expect(result.data).toMatchObject({ nextPage: null, lastPage: null });
  });
});
