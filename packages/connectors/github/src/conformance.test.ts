import { runConnectorConformance } from '@plugboard/testkit';
import { github } from './index.js';

// The shared conformance suite of @plugboard/testkit, as third-party connectors run it.
const repo = { owner: 'octocat', repo: 'Hello-World' };
const at = (suffix: string) => `/repos/octocat/Hello-World${suffix}`;

runConnectorConformance(github, {
  actions: {
    GITHUB_GET_A_PULL_REQUEST: {
      input: { ...repo, pull_number: 1347 },
      request: { method: 'GET', path: at('/pulls/1347') },
      response: { json: { number: 1347 } },
      invalidInputs: [
        { ...repo, pull_number: 0 },
        { ...repo, pull_number: 1.5 },
        { owner: 'octo/cat', repo: 'Hello-World', pull_number: 1 },
      ],
    },
    GITHUB_LIST_PULL_REQUESTS: {
      input: { ...repo, state: 'all', per_page: 10 },
      request: { method: 'GET', path: at('/pulls'), query: { state: 'all', per_page: '10' } },
      response: { json: [] },
      invalidInputs: [
        { ...repo, state: 'merged' },
        { ...repo, per_page: 101 },
      ],
    },
    GITHUB_CREATE_A_PULL_REQUEST: {
      input: { ...repo, title: 'Fix a typo', head: 'fix-typo', base: 'main', draft: true },
      request: {
        method: 'POST',
        path: at('/pulls'),
        body: { title: 'Fix a typo', head: 'fix-typo', base: 'main', draft: true },
      },
      response: { status: 201, json: { number: 1348 } },
    },
    GITHUB_MERGE_A_PULL_REQUEST: {
      input: { ...repo, pull_number: 1347, merge_method: 'squash' },
      request: { method: 'PUT', path: at('/pulls/1347/merge'), body: { merge_method: 'squash' } },
      response: { json: { merged: true } },
      invalidInputs: [{ ...repo, pull_number: 1347, merge_method: 'octopus' }],
    },
    GITHUB_LIST_PULL_REQUESTS_FILES: {
      input: { ...repo, pull_number: 1347, page: 2 },
      request: { method: 'GET', path: at('/pulls/1347/files'), query: { page: '2' } },
      response: { json: [] },
    },
    GITHUB_CREATE_ISSUE: {
      input: { ...repo, title: 'Found a bug', labels: ['bug'] },
      request: { method: 'POST', path: at('/issues'), body: { title: 'Found a bug', labels: ['bug'] } },
      response: { status: 201, json: { number: 1 } },
    },
    GITHUB_GET_AN_ISSUE: {
      input: { ...repo, issue_number: 1 },
      request: { method: 'GET', path: at('/issues/1') },
      response: { json: { number: 1 } },
    },
    GITHUB_LIST_REPOSITORY_ISSUES: {
      input: { ...repo, state: 'open', labels: 'bug,ui' },
      request: { method: 'GET', path: at('/issues'), query: { state: 'open', labels: 'bug,ui' } },
      response: { json: [] },
    },
    GITHUB_UPDATE_AN_ISSUE: {
      input: { ...repo, issue_number: 1, state: 'closed', state_reason: 'completed' },
      request: { method: 'PATCH', path: at('/issues/1'), body: { state: 'closed', state_reason: 'completed' } },
      response: { json: { number: 1, state: 'closed' } },
    },
    GITHUB_CREATE_AN_ISSUE_COMMENT: {
      input: { ...repo, issue_number: 1, body: 'Me too' },
      request: { method: 'POST', path: at('/issues/1/comments'), body: { body: 'Me too' } },
      response: { status: 201, json: { id: 1 } },
    },
    GITHUB_LIST_ISSUE_COMMENTS: {
      input: { ...repo, issue_number: 1, per_page: 5 },
      request: { method: 'GET', path: at('/issues/1/comments'), query: { per_page: '5' } },
      response: { json: [] },
    },
    GITHUB_GET_A_REPOSITORY: {
      input: repo,
      request: { method: 'GET', path: at('') },
      response: { json: { full_name: 'octocat/Hello-World' } },
    },
    GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER: {
      input: { visibility: 'private', sort: 'updated' },
      request: { method: 'GET', path: '/user/repos', query: { visibility: 'private', sort: 'updated' } },
      response: { json: [] },
    },
    GITHUB_GET_REPOSITORY_CONTENT: {
      input: { ...repo, path: 'docs/read me.md', ref: 'main' },
      request: { method: 'GET', path: at('/contents/docs/read%20me.md'), query: { ref: 'main' } },
      response: { json: { type: 'file', encoding: 'base64', content: 'aGk=' } },
      invalidInputs: [{ ...repo, path: '../secrets' }],
    },
    GITHUB_LIST_COMMITS: {
      input: { ...repo, sha: 'main', per_page: 1 },
      request: { method: 'GET', path: at('/commits'), query: { sha: 'main', per_page: '1' } },
      response: { json: [] },
    },
    GITHUB_LIST_BRANCHES: {
      input: { ...repo, protected: true },
      request: { method: 'GET', path: at('/branches'), query: { protected: 'true' } },
      response: { json: [] },
    },
    GITHUB_GET_THE_AUTHENTICATED_USER: {
      input: {},
      request: { method: 'GET', path: '/user' },
      response: { json: { login: 'octocat' } },
    },
    GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS: {
      input: { q: 'repo:octocat/Hello-World is:open', per_page: 10 },
      request: {
        method: 'GET',
        path: '/search/issues',
        query: { q: 'repo:octocat/Hello-World is:open', per_page: '10' },
      },
      response: { json: { total_count: 0, incomplete_results: false, items: [] } },
    },
    GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER: {
      input: repo,
      request: { method: 'PUT', path: '/user/starred/octocat/Hello-World' },
      response: { status: 204 },
    },
  },
  // GitHub App ids are digits (or an Iv23... client ID) and installation ids digits.
  fieldValues: { app_id: '1234567', installation_id: '42' },
});
