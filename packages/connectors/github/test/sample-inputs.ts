import { sha } from './fake-github-api.js';

/**
 * For every action, inputs that fill every field it has, valid against the fake's data, so the
 * OpenAPI conformance test sees every parameter each action can send. Some actions need two
 * inputs because GitHub refuses some fields together. Run in this order against one fake.
 */
export const SAMPLE_INPUTS: Record<string, Array<Record<string, unknown>>> = {
  GITHUB_GET_A_PULL_REQUEST: [{ owner: 'octocat', repo: 'Hello-World', pull_number: 1347 }],
  GITHUB_LIST_PULL_REQUESTS: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      state: 'all',
      head: 'octocat:new-feature',
      base: 'master',
      sort: 'long-running',
      direction: 'desc',
      per_page: 10,
      page: 1,
    },
  ],
  GITHUB_CREATE_A_PULL_REQUEST: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      title: 'Fix a typo',
      head: 'octocat:fix-typo',
      head_repo: 'Hello-World',
      base: 'master',
      body: 'Found it.',
      maintainer_can_modify: true,
      draft: true,
    },
    { owner: 'octocat', repo: 'Hello-World', issue: 2, head: 'docs', base: 'master' },
  ],
  GITHUB_MERGE_A_PULL_REQUEST: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      pull_number: 1347,
      commit_title: 'Merge #1347',
      commit_message: 'Details.',
      sha: sha('new-feature'),
      merge_method: 'rebase',
    },
  ],
  GITHUB_LIST_PULL_REQUESTS_FILES: [{ owner: 'octocat', repo: 'Hello-World', pull_number: 1347, per_page: 2, page: 2 }],
  GITHUB_CREATE_ISSUE: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      title: 'Found a bug',
      body: 'Details.',
      milestone: 2,
      labels: ['bug', 'ui'],
      assignees: ['octocat', 'hubot'],
      type: 'Bug',
    },
  ],
  GITHUB_GET_AN_ISSUE: [{ owner: 'octocat', repo: 'Hello-World', issue_number: 1 }],
  GITHUB_LIST_REPOSITORY_ISSUES: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      milestone: '2',
      state: 'open',
      assignee: 'octocat',
      type: 'Bug',
      creator: 'octocat',
      mentioned: 'hubot',
      labels: 'bug,ui',
      sort: 'comments',
      direction: 'asc',
      since: '2011-04-10T20:09:31Z',
      per_page: 5,
      page: 1,
    },
  ],
  GITHUB_UPDATE_AN_ISSUE: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      issue_number: 1,
      title: 'Renamed',
      body: null,
      state: 'closed',
      state_reason: 'not_planned',
      milestone: null,
      labels: [],
      assignees: ['hubot'],
      type: null,
    },
  ],
  GITHUB_CREATE_AN_ISSUE_COMMENT: [{ owner: 'octocat', repo: 'Hello-World', issue_number: 1347, body: 'Me too' }],
  GITHUB_LIST_ISSUE_COMMENTS: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      issue_number: 1347,
      since: '2011-04-10T20:09:31+02:00',
      per_page: 1,
      page: 2,
    },
  ],
  GITHUB_GET_A_REPOSITORY: [{ owner: 'octocat', repo: 'Hello-World' }],
  GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER: [
    {
      visibility: 'private',
      affiliation: 'owner,collaborator,organization_member',
      sort: 'pushed',
      direction: 'desc',
      since: '2011-04-10T20:09:31Z',
      before: '2030-01-01T00:00:00Z',
      per_page: 100,
      page: 1,
    },
    { type: 'member', sort: 'created' },
  ],
  GITHUB_GET_REPOSITORY_CONTENT: [
    { owner: 'octocat', repo: 'Hello-World', path: 'docs/a b/notes #1.txt', ref: 'docs' },
  ],
  GITHUB_LIST_COMMITS: [
    {
      owner: 'octocat',
      repo: 'Hello-World',
      sha: 'master',
      path: 'README',
      author: 'octocat',
      committer: 'octocat',
      since: '2011-01-01T00:00:00Z',
      until: '2020-01-01T00:00:00Z',
      per_page: 3,
      page: 1,
    },
  ],
  GITHUB_LIST_BRANCHES: [{ owner: 'octocat', repo: 'Hello-World', protected: true, per_page: 30, page: 1 }],
  GITHUB_GET_THE_AUTHENTICATED_USER: [{}],
  GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS: [
    {
      q: 'repo:octocat/Hello-World is:issue bug',
      sort: 'reactions-+1',
      order: 'asc',
      advanced_search: true,
      search_type: 'semantic',
      per_page: 50,
      page: 1,
    },
  ],
  GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER: [{ owner: 'octocat', repo: 'Hello-World' }],
};
