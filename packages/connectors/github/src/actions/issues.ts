import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { listPage } from '../pagination.js';
import { dateTime, direction, issueNumber, owner, page, perPage, repo } from './fields.js';

const labels = z
  .array(z.string().min(1))
  .describe(
    'Label names. Labels that do not exist yet are created. Only users with push access can set labels; GitHub silently drops them otherwise.',
  );
const assignees = z
  .array(z.string().min(1))
  .describe(
    'Logins of users to assign. Only users with push access can set assignees; GitHub silently drops them otherwise.',
  );

export const createIssue = defineAction({
  name: 'GITHUB_CREATE_ISSUE',
  aliases: ['GITHUB_CREATE_AN_ISSUE'],
  description:
    'Open a new issue in a repository, optionally with labels, assignees, a milestone and an issue type. Fails with 410 when the repository has issues disabled.',
  tags: ['issues', 'write'],
  input: () =>
    z.object({
      owner,
      repo,
      title: z.string().min(1).describe('The title of the issue.'),
      body: z.string().optional().describe('The contents of the issue, in GitHub Flavored Markdown.'),
      milestone: z.number().int().positive().optional().describe('The number of the milestone to put the issue in.'),
      labels: labels.optional(),
      assignees: assignees.optional(),
      type: z
        .string()
        .min(1)
        .optional()
        .describe('The name of an issue type of the organization, like "Bug". Only users with push access can set it.'),
    }),
  request: 'POST /repos/{owner}/{repo}/issues',
  effects: { readOnly: false, destructive: false, idempotent: false },
});

export const getAnIssue = defineAction({
  name: 'GITHUB_GET_AN_ISSUE',
  description:
    'Get one issue: title, body, state, labels, assignees, milestone and comment count. Pull requests are issues too: an issue with a pull_request field is a pull request.',
  tags: ['issues', 'read'],
  input: () => z.object({ owner, repo, issue_number: issueNumber }),
  request: 'GET /repos/{owner}/{repo}/issues/{issue_number}',
  effects: { readOnly: true },
});

export const listRepositoryIssues = defineAction({
  name: 'GITHUB_LIST_REPOSITORY_ISSUES',
  description:
    'List issues of a repository, open ones by default, newest first. Pull requests are included (they have a pull_request field). Returns { items, nextPage, lastPage }: call again with page = nextPage while nextPage is not null.',
  tags: ['issues', 'read', 'list'],
  input: () =>
    z.object({
      owner,
      repo,
      milestone: z
        .string()
        .min(1)
        .optional()
        .describe('A milestone number, "*" for issues with any milestone, or "none" for issues without one.'),
      state: z
        .enum(['open', 'closed', 'all'])
        .optional()
        .describe('Which issues to list by state. GitHub defaults to "open".'),
      assignee: z
        .string()
        .min(1)
        .optional()
        .describe('A login, "none" for unassigned issues, or "*" for issues assigned to anyone.'),
      type: z
        .string()
        .min(1)
        .optional()
        .describe('An issue type name, "*" for issues with any type, or "none" for issues without one.'),
      creator: z.string().min(1).optional().describe('Only issues opened by this login.'),
      mentioned: z.string().min(1).optional().describe('Only issues that mention this login.'),
      labels: z
        .string()
        .min(1)
        .optional()
        .describe('Comma-separated label names; an issue must have all of them, like "bug,ui".'),
      sort: z
        .enum(['created', 'updated', 'comments'])
        .optional()
        .describe('What to sort by. GitHub defaults to "created".'),
      direction: direction.describe('The direction to sort by. GitHub defaults to "desc".'),
      since: dateTime('Only issues updated at or after this time.'),
      per_page: perPage,
      page,
    }),
  request: 'GET /repos/{owner}/{repo}/issues',
  effects: { readOnly: true },
  mapResponse: listPage,
});

export const updateAnIssue = defineAction({
  name: 'GITHUB_UPDATE_AN_ISSUE',
  description:
    'Change an issue (or the issue side of a pull request): title, body, open or closed state with a reason, milestone, and the whole set of labels or assignees. Give only the fields to change.',
  tags: ['issues', 'write'],
  input: () =>
    z
      .object({
        owner,
        repo,
        issue_number: issueNumber,
        title: z.string().min(1).optional().describe('The new title.'),
        body: z
          .string()
          .nullable()
          .optional()
          .describe('The new contents, in GitHub Flavored Markdown; null clears it.'),
        state: z.enum(['open', 'closed']).optional().describe('Close or reopen the issue.'),
        state_reason: z
          .enum(['completed', 'not_planned', 'duplicate', 'reopened'])
          .nullable()
          .optional()
          .describe('Why the state changes; ignored unless state changes.'),
        milestone: z
          .number()
          .int()
          .positive()
          .nullable()
          .optional()
          .describe('The number of the milestone to put the issue in; null removes it from its milestone.'),
        labels: labels
          .optional()
          .describe(
            'The labels the issue should have, replacing the current ones; [] removes all. Only users with push access can change them.',
          ),
        assignees: assignees
          .optional()
          .describe('The logins the issue should be assigned to, replacing the current ones; [] unassigns everyone.'),
        type: z
          .string()
          .min(1)
          .nullable()
          .optional()
          .describe('The name of an issue type of the organization; null removes the type.'),
      })
      .refine(
        (input) =>
          ['title', 'body', 'state', 'state_reason', 'milestone', 'labels', 'assignees', 'type'].some(
            (key) => (input as Record<string, unknown>)[key] !== undefined,
          ),
        { message: 'Give at least one field to change.' },
      ),
  request: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  effects: { readOnly: false, destructive: true, idempotent: true },
});

export const createAnIssueComment = defineAction({
  name: 'GITHUB_CREATE_AN_ISSUE_COMMENT',
  description: 'Add a comment to an issue or to the conversation of a pull request.',
  tags: ['issues', 'pulls', 'write'],
  input: () =>
    z.object({
      owner,
      repo,
      issue_number: issueNumber,
      body: z.string().min(1).describe('The text of the comment, in GitHub Flavored Markdown.'),
    }),
  request: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  effects: { readOnly: false, destructive: false, idempotent: false },
});

export const listIssueComments = defineAction({
  name: 'GITHUB_LIST_ISSUE_COMMENTS',
  description:
    'List the comments of an issue or of the conversation of a pull request, oldest first. Returns { items, nextPage, lastPage }.',
  tags: ['issues', 'pulls', 'read', 'list'],
  input: () =>
    z.object({
      owner,
      repo,
      issue_number: issueNumber,
      since: dateTime('Only comments updated at or after this time.'),
      per_page: perPage,
      page,
    }),
  request: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  effects: { readOnly: true },
  mapResponse: listPage,
});
