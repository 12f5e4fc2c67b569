// Cold start: import @octokit/rest and get one pull request from the fake upstream.
import { Octokit } from '@octokit/rest';

const octokit = new Octokit({
  auth: process.env.BENCH_GITHUB_TOKEN,
  baseUrl: process.env.BENCH_UPSTREAM_URL,
  userAgent: 'plugboard-bench',
});
const { data } = await octokit.rest.pulls.get({ owner: 'octocat', repo: 'Hello-World', pull_number: 1347 });
if (data.number !== 1347) throw new Error('unexpected pull request');
