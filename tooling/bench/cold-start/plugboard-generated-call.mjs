// Cold start of one generated GitHub action: import, connect a token, and run
// GITHUB_LIST_RELEASES, which reads the generated operations and the repos schema file.
import { createToolset } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';

const url = process.env.BENCH_UPSTREAM_URL;
const toolset = createToolset({
  connectors: [githubConnector({ baseUrl: url, webUrl: url, userAgent: 'plugboard-bench' })],
});
const { connectedAccountId } = await toolset.initiateConnection({
  app: 'github',
  authMode: 'BEARER_TOKEN',
  connectedAccountParams: { token: process.env.BENCH_GITHUB_TOKEN },
});
const result = await toolset.executeAction(
  'GITHUB_LIST_RELEASES',
  { owner: 'octocat', repo: 'Hello-World', per_page: 1 },
  { connectedAccountId },
);
// The fake upstream may not know the route; the point is the work up to and including the request.
if (!result.successful && result.error.code !== 'UPSTREAM_ERROR')
  throw new Error(`unexpected result: ${JSON.stringify(result.error)}`);
