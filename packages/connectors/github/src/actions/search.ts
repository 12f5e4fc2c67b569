import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { searchPage } from '../pagination.js';
import { page, perPage } from './fields.js';

export const searchIssuesAndPullRequests = defineAction({
  name: 'GITHUB_SEARCH_ISSUES_AND_PULL_REQUESTS',
  description:
    'Search issues and pull requests across GitHub with GitHub search syntax, like "repo:octocat/Hello-World is:issue is:open label:bug crash". At most 1000 results in all. Returns { total_count, incomplete_results, items, nextPage, lastPage }.',
  tags: ['search', 'issues', 'pulls', 'read', 'list'],
  input: () =>
    z.object({
      q: z
        .string()
        .min(1)
        .describe(
          'Keywords and qualifiers such as repo:OWNER/NAME, is:issue or is:pr, is:open, author:LOGIN, label:NAME. At most 256 characters besides qualifiers. Tokens of GitHub Apps must include is:issue or is:pr.',
        ),
      sort: z
        .enum([
          'comments',
          'reactions',
          'reactions-+1',
          'reactions--1',
          'reactions-smile',
          'reactions-thinking_face',
          'reactions-heart',
          'reactions-tada',
          'interactions',
          'created',
          'updated',
        ])
        .optional()
        .describe('What to sort by. GitHub defaults to best match.'),
      order: z
        .enum(['desc', 'asc'])
        .optional()
        .describe('The sort order when sort is given. GitHub defaults to "desc".'),
      advanced_search: z
        .boolean()
        .optional()
        .describe('Use advanced issue search, which understands AND, OR and parentheses in q.'),
      search_type: z
        .enum(['semantic', 'hybrid'])
        .optional()
        .describe(
          'Search by meaning ("semantic") or by meaning and keywords ("hybrid") instead of keywords only. Limited to 10 requests a minute.',
        ),
      per_page: perPage,
      page,
    }),
  request: 'GET /search/issues',
  effects: { readOnly: true },
  mapResponse: searchPage,
});
