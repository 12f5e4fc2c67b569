// Cold start: import @octokit/rest (core, REST endpoint methods, pagination, request log).
import { Octokit } from '@octokit/rest';

if (typeof Octokit !== 'function') throw new Error('@octokit/rest did not load');
