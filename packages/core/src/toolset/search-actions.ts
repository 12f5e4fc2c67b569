import type MiniSearch from 'minisearch';
import type { Options as MiniSearchOptions, SearchOptions } from 'minisearch';
import { PlugboardError } from '../errors.js';
import type { Catalogue, RegisteredAction } from './catalogue.js';

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

interface ActionDocument {
  id: string;
  name: string;
  app: string;
  description: string;
  tags: string;
  aliases: string;
  parameters: string;
}

interface StoredFields {
  app: string;
  description: string;
  tagList: readonly string[];
  readOnly: boolean;
  deprecated: boolean;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

// The name says what the action does; descriptions are long and dilute their words.
const BOOST = { name: 3, aliases: 2, tags: 1.5, app: 1.5, description: 1, parameters: 0.5 };

// Words every action description has; matching them says nothing about which action is meant.
const STOP_WORDS = new Set(
  'a an and are as at be by for from i in into is it its me my of on or our that the their this to with you your'.split(
    ' ',
  ),
);

// The short forms people type for what vendors spell out. Each expands to words the names use.
const SYNONYMS: Readonly<Record<string, string>> = {
  pr: 'pull request',
  prs: 'pull requests',
  repo: 'repository',
  repos: 'repositories',
  ci: 'workflow run',
  bug: 'bug issue',
  ticket: 'ticket issue',
  mail: 'email message',
  inbox: 'messages',
  ooo: 'vacation',
  delete: 'delete remove',
  remove: 'remove delete',
  find: 'search list',
  show: 'get list',
  fetch: 'get',
  make: 'create',
  add: 'add create',
  new: 'create',
  change: 'update',
  edit: 'update',
  modify: 'update',
  set: 'set update',
  assign: 'assign update',
  close: 'close update',
  rename: 'rename update',
  answer: 'reply',
  respond: 'reply',
  many: 'count',
  sell: 'product',
  selling: 'products',
  column: 'list',
  columns: 'lists',
};

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
      const matches = index.search(expandQuery(query), { ...searchOptions, filter });
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

const indexOptions: MiniSearchOptions<ActionDocument> = {
  fields: ['name', 'app', 'description', 'tags', 'aliases', 'parameters'],
  storeFields: ['app', 'description', 'tagList', 'readOnly', 'deprecated'],
  tokenize,
  processTerm: (term) => normalizeTerm(term),
};

const searchOptions: SearchOptions = {
  boost: BOOST,
  combineWith: 'OR',
  // Prefixes let "repo" reach "repository"; typos are forgiven only in longer words, where they are rare by chance.
  prefix: (term) => term.length >= 3,
  fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
  weights: { fuzzy: 0.3, prefix: 0.5 },
  processTerm: (term) => normalizeTerm(term),
};

function toDocument({ action, connector }: RegisteredAction, catalogue: Catalogue): ActionDocument & StoredFields {
  const schema = catalogue.inputJsonSchema(action);
  const properties = schema['properties'];
  const parameters = properties && typeof properties === 'object' ? Object.keys(properties) : [];
  const app = connector?.id;
  const prefix = app ? `${app.toUpperCase()}_` : '';
  return {
    id: action.name,
    // The app prefix is its own field: repeated in every name, it would otherwise weigh on every match.
    name: action.name.startsWith(prefix) ? action.name.slice(prefix.length) : action.name,
    app: app ?? '',
    description: action.description,
    tags: action.tags.join(' '),
    aliases: action.aliases.join(' '),
    parameters: parameters.join(' '),
    tagList: action.tags,
    readOnly: action.effects.readOnly === true,
    deprecated: action.deprecated,
  };
}

/** Words of names (`GET_A_PULL_REQUEST`), parameters (`pull_number`, `idList`) and prose alike. */
function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

function expandQuery(query: string): string {
  return tokenize(query)
    .map((word) => SYNONYMS[word.toLowerCase()] ?? word)
    .join(' ');
}

/** Lower case, stop words dropped, and plurals made singular so "issues" and "issue" meet. */
function normalizeTerm(term: string): string | null {
  const word = term.toLowerCase();
  if (STOP_WORDS.has(word)) return null;
  return stem(word);
}

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  return word;
}
