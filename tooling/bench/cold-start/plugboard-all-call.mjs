// Cold start with every catalogue: import @plugboard/core and the GitHub, Gmail, Shopify and Trello
// connectors, count all their actions (listApps: the generated catalogues are counted from their
// generated counts, not built), connect a token and run one action against the fake upstream.
// With the argument `build-catalogues`, a generated action of each app is looked up as well, which
// builds every generated catalogue (2,100+ action objects) before the action runs.
import { createToolset } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { trello } from '@plugboard/trello';

const url = process.env.BENCH_UPSTREAM_URL;
const toolset = createToolset({
  connectors: [githubConnector({ baseUrl: url, webUrl: url, userAgent: 'plugboard-bench' }), gmail, shopify, trello],
});
const actions = toolset.listApps().reduce((total, app) => total + app.actionCount, 0);
if (actions < 2_000) throw new Error(`only ${actions} actions counted`);
if (process.argv[2] === 'build-catalogues') {
  for (const name of ['GITHUB_LIST_RELEASES', 'GMAIL_LIST_FILTERS', 'SHOPIFY_ORDER_UPDATE']) toolset.getAction(name);
}
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
