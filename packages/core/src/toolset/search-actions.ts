import type MiniSearch from 'minisearch';
import { PlugboardError } from '../errors.js';
import type { Catalogue } from './catalogue.js';
import { indexOptions, toDocument, type ActionDocument, type StoredFields } from './search-index.js';
import { documentBoost, searchOptions, termBoost } from './search-scoring.js';
import { expandQuery } from './search-terms.js';

/** What `searchActions` takes besides the query. */
export interface SearchActionsOptions {
  /** Only actions of these apps. */
  apps?: readonly string[] | undefined;
  /** Only actions carrying at least one of these tags. */
  tags?: readonly string[] | undefined;
  /**
   * How many results at most.
   * @default 10
   */
  limit?: number | undefined;
  /** Only actions that declare or derive `effects.readOnly`. @default false */
  readOnly?: boolean | undefined;
  /**
   * Include actions the vendor deprecated, ranked after every other match.
   * @default false (deprecated actions are left out)
   */
  includeDeprecated?: boolean | undefined;
}

/** One match, best first. */
export interface ActionSearchResult {
  name: string;
  /** The app id, or `undefined` for a custom action bound to no app. */
  app: string | undefined;
  description: string;
  /** Relevance (BM25 over the weighted fields); only comparable within one search. */
  score: number;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * A full-text index over every registered action: names, descriptions, tags, aliases and the
 * input's parameter names, ranked with BM25 by MiniSearch. The index is built on the first search
 * (loading every generated catalogue) and rebuilt when actions are added; MiniSearch itself is
 * imported then too, so a process that never searches never loads it.
 */
export function createActionSearch(catalogue: Catalogue) {
  let loading: Promise<typeof MiniSearch> | undefined;
  let built: { index: MiniSearch<ActionDocument>; revision: number } | undefined;

  const indexFor = async (): Promise<MiniSearch<ActionDocument>> => {
    loading ??= import('minisearch').then((module) => module.default);
    const MiniSearchClass = await loading;
    // Loading the generated catalogues bumps the revision, so read it after.
    catalogue.loadGenerated();
    const revision = catalogue.revision();
    if (built?.revision === revision) return built.index;
    const index = new MiniSearchClass<ActionDocument>(indexOptions);
    index.addAll(catalogue.allActions().map((entry) => toDocument(entry, catalogue)));
    built = { index, revision };
    return index;
  };

  return {
    /**
     * Ranked full-text search over the catalogue. Deprecated actions are left out unless
     * `includeDeprecated`, and then ranked after every other match.
     */
    async searchActions(query: string, options: SearchActionsOptions = {}): Promise<ActionSearchResult[]> {
      if (typeof query !== 'string' || query.trim() === '')
        throw new PlugboardError('INVALID_PARAMS', 'The search query must be a non-empty string.');
      const limit = options.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new PlugboardError('INVALID_PARAMS', `The search limit must be an integer from 1 to ${MAX_LIMIT}.`);
      for (const app of options.apps ?? []) catalogue.getApp(app);
      const index = await indexFor();
      const apps = options.apps ? new Set(options.apps) : undefined;
      const tags = options.tags;
      const filter = (result: Record<string, unknown>): boolean => {
        const stored = result as unknown as StoredFields;
        if (apps && !apps.has(stored.app)) return false;
        if (tags && !tags.some((tag) => stored.tagList.includes(tag))) return false;
        if (options.readOnly && !stored.readOnly) return false;
        return options.includeDeprecated === true || !stored.deprecated;
      };
      const expanded = expandQuery(query);
      const matches = index.search(expanded.text, {
        ...searchOptions,
        filter,
        boostTerm: termBoost(expanded.weights),
        boostDocument: documentBoost(expanded.weights),
      });
      // A stable sort keeps the relevance order within each group.
      matches.sort((a, b) => Number(a['deprecated']) - Number(b['deprecated']));
      return matches.slice(0, limit).map((match) => ({
        name: match.id as string,
        app: (match['app'] as string) || undefined,
        description: match['description'] as string,
        score: match.score,
      }));
    },
  };
}
