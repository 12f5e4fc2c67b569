import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { listPage } from '../pagination.js';
import { direction, owner, page, perPage, pullNumber, repo } from './fields.js';
export const getAPullRequest = defineAction({
    name: 'GITHUB_GET_A_PULL_REQUEST',
    description: 'Get one pull request: title, body, state, author, head and base branches, merge state (mergeable, merged), and counts of commits, additions, deletions and changed files.',
    tags: ['pulls', 'read'],
    input: () => z.object({ owner, repo, pull_number: pullNumber }),
    request: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
});
export const listPullRequests = defineAction({
    name: 'GITHUB_LIST_PULL_REQUESTS',
    description: 'List pull requests of a repository, open ones by default, newest first. Returns { items, nextPage, lastPage }: call again with page = nextPage while nextPage is not null.',
    tags: ['pulls', 'read', 'list'],
    input: () => z.object({
        owner,
        repo,
        state: z
            .enum(['open', 'closed', 'all'])
            .optional()
            .describe('Which pull requests to list by state. GitHub defaults to "open".'),
        head: z
            .string()
            .min(1)
            .optional()
            .describe('Only pull requests from this head branch, as "user:ref-name" or "organization:ref-name", like "octocat:new-feature".'),
        base: z.string().min(1).optional().describe('Only pull requests into this base branch, like "main".'),
        sort: z
            .enum(['created', 'updated', 'popularity', 'long-running'])
            .optional()
            .describe('What to sort by: "popularity" is by comment count, "long-running" is by age among those updated in the past month. GitHub defaults to "created".'),
        direction: direction.describe('The direction to sort by. GitHub defaults to "desc" when sort is "created" or absent, "asc" otherwise.'),
        per_page: perPage,
        page,
    }),
    request: 'GET /repos/{owner}/{repo}/pulls',
    mapResponse: listPage,
});
export const createAPullRequest = defineAction({
    name: 'GITHUB_CREATE_A_PULL_REQUEST',
    description: 'Open a pull request that merges the head branch into the base branch. Give a title, or an issue number to turn that issue into the pull request.',
    tags: ['pulls', 'write'],
    input: () => z
        .object({
        owner,
        repo,
        title: z
            .string()
            .min(1)
            .optional()
            .describe('The title of the new pull request. Required unless issue is given.'),
        head: z
            .string()
            .min(1)
            .describe('The branch where your changes are. For a branch in a fork in the same network, prefix it with the fork owner: "octocat:new-feature".'),
        head_repo: z
            .string()
            .min(1)
            .optional()
            .describe('The repository name where the changes were made. Required for a cross-repository pull request when both repositories belong to the same organization.'),
        base: z
            .string()
            .min(1)
            .describe('The branch of this repository that the changes should be merged into, like "main".'),
        body: z.string().optional().describe('The description of the pull request, in GitHub Flavored Markdown.'),
        maintainer_can_modify: z
            .boolean()
            .optional()
            .describe('Whether maintainers of the base repository may push to the head branch.'),
        draft: z.boolean().optional().describe('Open the pull request as a draft.'),
        issue: z
            .number()
            .int()
            .positive()
            .optional()
            .describe('The number of an issue in the repository to convert into this pull request; its title, body and comments carry over. Required unless title is given.'),
    })
        .refine((input) => input.title !== undefined || input.issue !== undefined, {
        message: 'Give a title, or an issue to convert.',
        path: ['title'],
    }),
    request: 'POST /repos/{owner}/{repo}/pulls',
});
export const mergeAPullRequest = defineAction({
    name: 'GITHUB_MERGE_A_PULL_REQUEST',
    description: 'Merge a pull request into its base branch. Fails with status 405 when it is not mergeable (conflicts, failing required checks) and 409 when sha no longer matches the head.',
    tags: ['pulls', 'write'],
    input: () => z.object({
        owner,
        repo,
        pull_number: pullNumber,
        commit_title: z.string().min(1).optional().describe('The title of the merge (or squash) commit.'),
        commit_message: z.string().optional().describe('Extra detail to append to the commit message.'),
        sha: z
            .string()
            .regex(/^[0-9a-f]{40}$/i, 'A commit SHA is 40 hexadecimal characters')
            .optional()
            .describe('Merge only if the head of the pull request is still this commit SHA.'),
        merge_method: z
            .enum(['merge', 'squash', 'rebase'])
            .optional()
            .describe('How to merge. GitHub defaults to "merge"; the repository may allow only some methods.'),
    }),
    request: 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
});
export const listPullRequestsFiles = defineAction({
    name: 'GITHUB_LIST_PULL_REQUESTS_FILES',
    description: 'List the files a pull request changes, with status, additions, deletions and the diff patch of each (at most 3000 files). Returns { items, nextPage, lastPage }.',
    tags: ['pulls', 'read', 'list'],
    input: () => z.object({ owner, repo, pull_number: pullNumber, per_page: perPage, page }),
    request: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    mapResponse: listPage,
});
