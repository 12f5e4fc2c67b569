import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { listPage } from '../pagination.js';
import { dateTime, direction, owner, page, perPage, repo } from './fields.js';
export const getARepository = defineAction({
    name: 'GITHUB_GET_A_REPOSITORY',
    description: 'Get a repository: description, visibility, default branch, owner, topics, license, counts of stars, forks and open issues, and your permissions on it.',
    tags: ['repos', 'read'],
    input: () => z.object({ owner, repo }),
    request: 'GET /repos/{owner}/{repo}',
});
export const listRepositoriesForTheAuthenticatedUser = defineAction({
    name: 'GITHUB_LIST_REPOSITORIES_FOR_THE_AUTHENTICATED_USER',
    description: 'List repositories the connected user can access: their own, those they collaborate on, and those of their organizations. Returns { items, nextPage, lastPage }: call again with page = nextPage while nextPage is not null.',
    tags: ['repos', 'read', 'list'],
    input: () => z
        .object({
        visibility: z
            .enum(['all', 'public', 'private'])
            .optional()
            .describe('Only repositories with this visibility. GitHub defaults to "all".'),
        affiliation: z
            .string()
            .regex(/^(owner|collaborator|organization_member)(,(owner|collaborator|organization_member))*$/, 'A comma-separated list of owner, collaborator, organization_member')
            .optional()
            .describe('Comma-separated relations to include: "owner", "collaborator", "organization_member". GitHub defaults to all three.'),
        type: z
            .enum(['all', 'owner', 'public', 'private', 'member'])
            .optional()
            .describe('An older filter, instead of visibility and affiliation (GitHub refuses both together). GitHub defaults to "all".'),
        sort: z
            .enum(['created', 'updated', 'pushed', 'full_name'])
            .optional()
            .describe('What to sort by. GitHub defaults to "full_name".'),
        direction: direction.describe('The direction to sort by. GitHub defaults to "asc" for full_name, "desc" otherwise.'),
        since: dateTime('Only repositories updated after this time.'),
        before: dateTime('Only repositories updated before this time.'),
        per_page: perPage,
        page,
    })
        .refine((input) => input.type === undefined || (input.visibility === undefined && input.affiliation === undefined), {
        message: 'type cannot be combined with visibility or affiliation.',
        path: ['type'],
    }),
    request: 'GET /user/repos',
    mapResponse: listPage,
});
/** UTF-8 text of a base64 file body, or undefined for binary content. */
function decodeBase64Text(content) {
    let binary;
    try {
        binary = atob(content.replace(/\s+/g, ''));
    }
    catch {
        return undefined;
    }
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        return undefined;
    }
}
function withDecodedContent(response) {
    const data = response.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data))
        return data;
    const file = data;
    if (file['type'] !== 'file' || file['encoding'] !== 'base64' || typeof file['content'] !== 'string')
        return data;
    const text = decodeBase64Text(file['content']);
    return text === undefined ? data : { ...file, decoded_content: text };
}
export const getRepositoryContent = defineAction({
    name: 'GITHUB_GET_REPOSITORY_CONTENT',
    description: 'Get a file or a directory of a repository at a branch, tag or commit. A directory gives an array of its entries; a file gives its metadata and base64 content, plus decoded_content when the file is UTF-8 text. Files over 1 MB come without content.',
    tags: ['repos', 'contents', 'read'],
    input: () => z.object({
        owner,
        repo,
        path: z
            .string()
            .min(1)
            .refine((value) => value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), 'A path is relative segments separated by single "/", without "." or ".."')
            .describe('The path of the file or directory from the repository root, like "README.md" or "src/lib/index.ts".'),
        ref: z
            .string()
            .min(1)
            .optional()
            .describe("A branch, tag or commit SHA. GitHub defaults to the repository's default branch."),
    }),
    request: 'GET /repos/{owner}/{repo}/contents/{+path}',
    mapResponse: withDecodedContent,
});
export const listCommits = defineAction({
    name: 'GITHUB_LIST_COMMITS',
    description: 'List commits of a repository, newest first, from the default branch or from sha; filter by path, author, committer and dates. Returns { items, nextPage, lastPage }: call again with page = nextPage while nextPage is not null.',
    tags: ['repos', 'commits', 'read', 'list'],
    input: () => z.object({
        owner,
        repo,
        sha: z
            .string()
            .min(1)
            .optional()
            .describe('The branch name or commit SHA to start listing from. GitHub defaults to the default branch.'),
        path: z.string().min(1).optional().describe('Only commits that touch this file path.'),
        author: z.string().min(1).optional().describe('Only commits by this GitHub login or email address.'),
        committer: z.string().min(1).optional().describe('Only commits committed by this GitHub login or email address.'),
        since: dateTime('Only commits at or after this time.'),
        until: dateTime('Only commits before this time.'),
        per_page: perPage,
        page,
    }),
    request: 'GET /repos/{owner}/{repo}/commits',
    mapResponse: listPage,
});
export const listBranches = defineAction({
    name: 'GITHUB_LIST_BRANCHES',
    description: 'List the branches of a repository with the commit each points to and whether it is protected. Returns { items, nextPage, lastPage }.',
    tags: ['repos', 'read', 'list'],
    input: () => z.object({
        owner,
        repo,
        protected: z
            .boolean()
            .optional()
            .describe('true for protected branches only, false for unprotected branches only; omit for all.'),
        per_page: perPage,
        page,
    }),
    request: 'GET /repos/{owner}/{repo}/branches',
    mapResponse: listPage,
});
