// Cold start: import the batteries-included octokit package (App, OAuthApp, webhooks, retry, throttling).
import { Octokit } from 'octokit';

if (typeof Octokit !== 'function') throw new Error('octokit did not load');
