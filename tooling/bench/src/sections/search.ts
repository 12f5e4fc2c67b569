// Search over a large catalogue: the real one (every action of the GitHub, Gmail, Shopify and Trello
// connectors, generated catalogues included) or the synthetic 2,100 generated actions. What the first
// search costs (MiniSearch imported, the catalogue loaded, the index built), the index alone when it is
// rebuilt, its heap, and the latency of queries as users type them, p50 and p99. Beside it, as a
// reference, the naive alternative: scanning every action's name and description for the query's words.

import { type Connector, createToolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { trello } from '@plugboard/trello';
import { z } from 'zod';
import { check } from '../measure.js';
import { summarize, type LatencySummary } from '../stats.js';
import { heapUsedAfterGc } from './in-process.js';
import { SEARCH_QUERIES, SYNTHETIC_ACTION_COUNT, syntheticCatalogue } from './synthetic-catalogue.js';

export interface SearchResult {
  actions: number;
  queries: number;
  /** listApps() and every generated catalogue built, no index yet. */
  loadCatalogueMs: number;
  /** The first searchActions: MiniSearch imported, the index built over every action, one query. */
  firstSearchMs: number;
  /** The index built again (after a custom action was added), MiniSearch already loaded. */
  rebuildMs: number;
  heapMiB: { catalogueLoaded: number; index: number };
  /** searchActions, limit 10, every query in turn. */
  query: LatencySummary;
  /** The reference: a scan of every name and description for every query word, best 10 by hits. */
  scan: LatencySummary;
}

/** Tasks as users ask them, over the four real connectors (a few from each app). */
export const REAL_SEARCH_QUERIES = [
  're-run the failed CI job on my PR',
  'add a collaborator to the repo',
  'publish a release',
  'read Dependabot alerts',
  'merge the pull request once checks pass',
  'list open issues labelled bug',
  'protect the main branch',
  'store a secret for GitHub Actions',
  'who starred the repository',
  'download the logs of the last workflow run',
  'turn on my out-of-office reply',
  'create a Gmail filter',
  'send an email with an attachment',
  'reply to the thread',
  'move the newsletter to trash',
  'forward my mail to another address',
  'list my drafts',
  'what labels do I have',
  'list draft orders',
  'refund an order',
  'create a discount code for the summer sale',
  'how many items are left in stock',
  'update the price of a product variant',
  'cancel an order',
  'issue a gift card',
  'add a card to the board',
  'comment on a card',
  'move a card to another list',
  'which boards am I on',
  'what lists does the board have',
];

/** Which catalogue to search: the real connectors', or the synthetic one of 2,100 actions. */
export type SearchCatalogue = 'real' | 'synthetic';

export async function runSearch(
  settings: { rounds: number },
  upstreamUrl: string,
  catalogue: SearchCatalogue = 'synthetic',
): Promise<SearchResult> {
  const heapStart = heapUsedAfterGc();
  const real = catalogue === 'real';
  const connectors: Connector[] = real ? [github, gmail, shopify, trello] : syntheticCatalogue(upstreamUrl);
  const queries = real ? REAL_SEARCH_QUERIES : SEARCH_QUERIES;
  const toolset = createToolset({ connectors });
  let started = performance.now();
  const apps = toolset.listApps();
  // listApps counts the generated actions without building them (connectors that declare
  // generatedActionCount); build every catalogue here, so that the first search measures the index alone.
  for (const connector of connectors) connector.generatedActions?.();
  const loadCatalogueMs = performance.now() - started;
  const actions = apps.reduce((total, app) => total + app.actionCount, 0);
  check(
    real ? actions > 2_000 : actions === SYNTHETIC_ACTION_COUNT,
    `the ${catalogue} catalogue has ${actions} actions`,
  );
  const heapLoaded = heapUsedAfterGc();

  started = performance.now();
  const first = await toolset.searchActions(queries[0] as string);
  const firstSearchMs = performance.now() - started;
  const expected = real ? 'GITHUB_RE_RUN_FAILED_JOBS_FROM_A_WORKFLOW_RUN' : 'FORGE_LIST_WEBHOOKS_FOR_A_REPOSITORY';
  check(
    first.some((result) => result.name === expected),
    `the first search found ${first.map((result) => result.name).join(', ')}`,
  );
  const heapIndexed = heapUsedAfterGc();

  toolset.createAction({
    name: 'BENCH_NOTHING',
    description: 'Makes the index stale.',
    input: z.object({}),
    run: async () => null,
  });
  started = performance.now();
  await toolset.searchActions('rebuild');
  const rebuildMs = performance.now() - started;

  // What a search without an index does: every action, every word.
  const documents = toolset
    .listActions()
    .map((action) => ({ name: action.name, text: `${action.name} ${action.description}`.toLowerCase() }));
  const scanSearch = (query: string) => {
    const words = query
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word.length > 2);
    return documents
      .map((document) => ({ name: document.name, hits: words.filter((word) => document.text.includes(word)).length }))
      .filter((entry) => entry.hits > 0)
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 10);
  };

  const querySamples: number[] = [];
  const scanSamples: number[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const query of queries) {
      started = performance.now();
      const results = await toolset.searchActions(query, { limit: 10 });
      querySamples.push(performance.now() - started);
      check(results.length > 0, `no result for "${query}"`);
      started = performance.now();
      scanSearch(query);
      scanSamples.push(performance.now() - started);
    }
  }
  const mib = (bytes: number) => bytes / 1024 / 1024;
  return {
    actions,
    queries: querySamples.length,
    loadCatalogueMs,
    firstSearchMs,
    rebuildMs,
    heapMiB: { catalogueLoaded: mib(heapLoaded - heapStart), index: mib(heapIndexed - heapLoaded) },
    query: summarize(querySamples),
    scan: summarize(scanSamples),
  };
}
