// Cold start of the 19-action GitHub connector from before the generated catalogue (a compiled
// copy in __fixtures__/): import core and it, connect a token and run one action.
import { createToolset } from '@plugboard/core';
import { githubConnector } from './__fixtures__/github-19-actions/index.js';

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
  'GITHUB_GET_A_PULL_REQUEST',
  { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 },
  { connectedAccountId },
);
if (!result.successful || result.data.number !== 1347)
  throw new Error(`unexpected result: ${JSON.stringify(result.error)}`);
