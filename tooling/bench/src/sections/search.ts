// Search over a large catalogue: the synthetic 2,100 generated actions. What the first search costs
// (MiniSearch imported, the catalogue loaded, the index built), the index alone when it is rebuilt,
// its heap, and the latency of queries as users type them, p50 and p99. Beside it, as a reference,
// the naive alternative: scanning every action's name and description for the query's words.

import { createToolset } from '@plugboard/core';
import { z } from 'zod';
import { check } from '../measure.js';
import { summarize, type LatencySummary } from '../stats.js';
import { heapUsedAfterGc } from './in-process.js';
import { SEARCH_QUERIES, SYNTHETIC_ACTION_COUNT, syntheticCatalogue } from './synthetic-catalogue.js';

export interface SearchResult {
  actions: number;
  queries: number;
  /** listApps(): every generated catalogue loaded, no index yet. */
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

export async function runSearch(settings: { rounds: number }, upstreamUrl: string): Promise<SearchResult> {
  const heapStart = heapUsedAfterGc();
  const toolset = createToolset({ connectors: syntheticCatalogue(upstreamUrl) });
  let started = performance.now();
  const apps = toolset.listApps();
  const loadCatalogueMs = performance.now() - started;
  const actions = apps.reduce((total, app) => total + app.actionCount, 0);
  check(actions === SYNTHETIC_ACTION_COUNT, `the synthetic catalogue has ${actions} actions`);
  const heapLoaded = heapUsedAfterGc();

  started = performance.now();
  const first = await toolset.searchActions(SEARCH_QUERIES[0] as string);
  const firstSearchMs = performance.now() - started;
  check(first[0]?.name === 'FORGE_LIST_WEBHOOKS_FOR_A_REPOSITORY', `the first search found ${first[0]?.name}`);
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
    for (const query of SEARCH_QUERIES) {
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
