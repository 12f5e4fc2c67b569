import { z } from 'zod';
// GitHub logins are letters, digits and hyphens; repository names add "." and "_". Enterprise
// managed users carry an "_shortcode" suffix, so "_" is allowed in owners too. A "/" or a space is
// refused here rather than percent-encoded into a path GitHub would answer with 404.
const NAME = /^[A-Za-z0-9_.-]+$/;
export const owner = z
    .string()
    .regex(NAME, 'An owner is a GitHub login: letters, digits, "-", "_" or "."')
    .max(100)
    .describe('The account owner of the repository: a user or organization login, like "octocat". Not case sensitive.');
export const repo = z
    .string()
    .regex(NAME, 'A repository name is letters, digits, "-", "_" or "."')
    .max(100)
    .refine((value) => value !== '.' && value !== '..', 'A repository name cannot be "." or ".."')
    .describe('The name of the repository without the .git extension, like "Hello-World". Not case sensitive.');
export const pullNumber = z
    .number()
    .int()
    .positive()
    .describe('The number that identifies the pull request in its repository (the number in its URL).');
export const issueNumber = z
    .number()
    .int()
    .positive()
    .describe('The number that identifies the issue (or pull request) in its repository.');
export const perPage = z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('The number of results per page, at most 100. GitHub defaults to 30.');
export const page = z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The page of results to fetch, starting at 1. Pass the nextPage of the previous result to continue.');
export const direction = z.enum(['asc', 'desc']).optional().describe('The direction to sort the results by.');
export const dateTime = (what) => z.iso.datetime({ offset: true }).optional().describe(`${what} An ISO 8601 timestamp: YYYY-MM-DDTHH:MM:SSZ.`);
