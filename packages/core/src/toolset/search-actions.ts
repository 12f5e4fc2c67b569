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
  summary: string;
  details: string;
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
  /** Hand-written by the connector's authors rather than generated from the vendor's description. */
  curated: boolean;
  /** A vendor's legacy twin of another operation (GitHub's `..._LEGACY` team endpoints). */
  legacy: boolean;
  /** The wider scope the name says the operation works at (`organization`, `enterprise`), if any. */
  scope: string;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

// The name says what the action does; the first sentence of the description says it again in other words,
// and the rest (pagination, errors, links) dilutes them, so it weighs least.
const BOOST = { name: 3, aliases: 1, summary: 1.5, tags: 1, app: 1.5, details: 0.3, parameters: 0.3 };

// Curated actions exist where judgement helps (friendlier inputs, parsed answers): on a tie they should win.
const CURATED_BOOST = 1.6;
const LEGACY_BOOST = 0.5;
const SCOPE_BOOST = 0.75;
// What the action does: hundreds of names share each of these verbs, so BM25 alone gives them little weight,
// but a user who says "update" does not want "create".
const VERB_BOOST = 1.5;
const VERBS = new Set(['creat', 'get', 'list', 'updat', 'delet', 'remov', 'add', 'set', 'search', 'send', 'cancel']);
// Words a short form expands to count less than the words the user typed.
const SYNONYM_WEIGHT = 0.5;
const PLURAL_LIST_WEIGHT = 0.15;
// Past the first few sentences, descriptions are about pagination, errors and links: indexing them costs memory and time.
const DETAILS_LENGTH = 400;

// Words every action description has, or that users put around what they ask;
// matching them says nothing about which action is meant.
const STOP_WORDS = new Set(
  [
    'a an and are as at be by for from i in into is it its me my of on or our that the their this to with you your',
    'what which who how do does did have has was were can could please yet once there here any some',
  ]
    .join(' ')
    .split(' '),
);

// Phrases whose words mean something else apart ("pull up" is not about pull requests).
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bset up\b/g, 'create'],
  [/\bsign up\b/g, 'create'],
  [/\bpull up\b/g, 'list'],
  [/\bget rid of\b/g, 'delete trash'],
  [/\bturn on\b/g, 'enable update'],
  [/\bturn off\b/g, 'disable update'],
  [/\bout[- ]of[- ](the[- ])?office\b/g, 'vacation'],
  [/\bhow many\b/g, 'count'],
  [/\bnumber of\b/g, 'count'],
  [/\blook up\b/g, 'search'],
  [/\bre-run\b/g, 're run'],
  // A file named by its path or extension: the file's contents, whatever its words.
  [/(?:^|\s)\S*[\w-]+(?:\/[\w.-]+)*\.[a-z]{1,5}(?=\s|$)/gi, ' file content '],
];

// Short forms and users' words that mean exactly what the vendors spell out: the word is replaced, at full weight.
const REPLACEMENTS: Readonly<Record<string, string>> = {
  pr: 'pull request',
  prs: 'pull requests',
  repo: 'repository',
  repos: 'repositories',
  monorepo: 'repository',
  ci: 'workflow run check',
  ooo: 'vacation',
  ask: 'request',
  mail: 'email',
  // a product's price is its variants' (Shopify keeps prices there)
  price: 'price variant',
  prices: 'prices variants',
  kanban: 'trello board',
  last: 'list latest',
  recent: 'list latest',
  selling: 'products',
  sell: 'product',
  shoppers: 'customers',
  shopper: 'customer',
  buyer: 'customer',
  column: 'list',
  columns: 'lists',
};

// Words that suggest others the names use; those count less than the words the user typed.
// General English for the verbs and nouns of API operations, not phrases of any one task.
const SYNONYMS: Readonly<Record<string, string>> = {
  // the verbs of names
  add: 'create',
  new: 'create',
  make: 'create',
  start: 'create',
  write: 'create',
  compose: 'create draft',
  post: 'create article',
  publish: 'create',
  submit: 'create',
  file: 'create content',
  report: 'create',
  register: 'create',
  generate: 'create',
  share: 'create',
  let: 'create add',
  allow: 'create add',
  grant: 'create add',
  leave: 'create',
  setup: 'create',
  show: 'get list',
  see: 'get list',
  view: 'get',
  read: 'get',
  look: 'get search',
  check: 'get',
  display: 'get',
  tell: 'get',
  details: 'get',
  info: 'get',
  fetch: 'get',
  browse: 'list',
  unread: 'list messages',
  every: 'list batch bulk',
  all: 'list batch bulk',
  change: 'update',
  edit: 'update',
  modify: 'update',
  set: 'update',
  mark: 'update modify',
  move: 'update',
  rename: 'update',
  assign: 'update',
  close: 'update',
  reopen: 'update',
  toggle: 'update',
  adjust: 'update',
  switch: 'update',
  archive: 'update modify',
  delete: 'remove trash',
  remove: 'delete',
  erase: 'delete',
  drop: 'delete remove',
  destroy: 'delete',
  discard: 'delete',
  clear: 'delete remove',
  purge: 'delete',
  trash: 'delete',
  find: 'search list',
  lookup: 'search',
  query: 'search',
  many: 'count',
  total: 'count',
  stop: 'cancel disable',
  abort: 'cancel',
  kill: 'cancel',
  retry: 're run',
  restart: 're run',
  rerun: 're run',
  save: 'download create',
  export: 'download',
  attach: 'upload',
  answer: 'reply',
  respond: 'reply',
  reply: 'comment',
  approve: 'review',
  assistant: 'delegate',
  note: 'comment',
  // the nouns of names
  bug: 'issue',
  ticket: 'issue',
  pipeline: 'workflow',
  build: 'workflow run',
  job: 'workflow run',
  deploy: 'deployment',
  version: 'release tag',
  person: 'user',
  people: 'user',
  member: 'user',
  company: 'organization',
  org: 'organization',
  orgs: 'organization',
  access: 'collaborators permission',
  coupon: 'discount code',
  promo: 'discount code',
  stock: 'inventory',
  photo: 'media image',
  image: 'media',
  picture: 'media image',
  shipment: 'fulfillment',
  // shipping an order is creating its fulfillment
  ship: 'fulfillment',
  shipped: 'fulfillment create',
  fulfill: 'fulfillment create',
  tracking: 'fulfillment',
  delivery: 'fulfillment',
  item: 'product',
  sale: 'product',
  credential: 'secret',
  password: 'secret',
  emoji: 'reaction',
  thumbs: 'reaction',
  vulnerability: 'alert',
  conversation: 'thread',
  readme: 'content',
  signature: 'send alias',
  sync: 'history',
  // the words of each app, which its app field answers
  email: 'gmail message',
  inbox: 'messages gmail',
  mailbox: 'gmail',
  store: 'shopify shop',
  shop: 'shopify',
  card: 'trello',
  board: 'trello',
  task: 'card',
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
      const expanded = expandQuery(query);
      const matches = index.search(expanded.text, {
        ...searchOptions,
        filter,
        boostTerm: (term) => (expanded.weights.get(term) ?? SYNONYM_WEIGHT) * (VERBS.has(term) ? VERB_BOOST : 1),
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

const indexOptions: MiniSearchOptions<ActionDocument> = {
  fields: ['name', 'app', 'summary', 'details', 'tags', 'aliases', 'parameters'],
  storeFields: ['app', 'description', 'tagList', 'readOnly', 'deprecated', 'curated', 'legacy', 'scope'],
  tokenize,
  processTerm: (term) => normalizeTerm(term),
};

const searchOptions: SearchOptions = {
  boost: BOOST,
  combineWith: 'OR',
  // Prefixes let "vacat" reach "vacation"; typos are forgiven only in long words, where they are rare by chance
  // (and each fuzzy term walks much of the index: about a third of the query time when shorter words had it).
  prefix: (term) => term.length >= 4,
  fuzzy: (term) => (term.length >= 8 ? 0.2 : false),
  weights: { fuzzy: 0.3, prefix: 0.5 },
  processTerm: (term) => normalizeTerm(term),
};

/**
 * Curated actions first on a tie, legacy twins last, and the organization- or enterprise-wide variant of an
 * operation (GitHub has many) after the repository's own unless the query names that scope.
 */
function documentBoost(queryTerms: ReadonlyMap<string, number>): NonNullable<SearchOptions['boostDocument']> {
  return (_id, _term, stored) => {
    const fields = stored as unknown as StoredFields | undefined;
    if (!fields) return 1;
    const scope = fields.scope && !queryTerms.has(fields.scope) ? SCOPE_BOOST : 1;
    return (fields.curated ? CURATED_BOOST : 1) * (fields.legacy ? LEGACY_BOOST : 1) * scope;
  };
}

// Tags that say how an action was made, not what it is about.
const UNSEARCHED_TAGS = new Set(['generated']);

function toDocument({ action, connector }: RegisteredAction, catalogue: Catalogue): ActionDocument & StoredFields {
  const parameters = parameterNames(catalogue.inputJsonSchema(action), 2);
  const app = connector?.id;
  const prefix = app ? `${app.toUpperCase()}_` : '';
  // The app prefix is its own field: repeated in every name, it would otherwise weigh on every match.
  const withoutPrefix = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const [summary, details] = splitFirstSentence(action.description);
  return {
    id: action.name,
    name: withoutPrefix(action.name),
    app: app ?? '',
    summary,
    details: details.slice(0, DETAILS_LENGTH),
    tags: action.tags.filter((tag) => !UNSEARCHED_TAGS.has(tag)).join(' '),
    aliases: action.aliases.map(withoutPrefix).join(' '),
    parameters: parameters.join(' '),
    description: action.description,
    tagList: action.tags,
    readOnly: action.effects.readOnly === true,
    deprecated: action.deprecated,
    curated: connector === undefined || connector.actions.includes(action),
    legacy: /_LEGACY$/.test(action.name),
    scope: /ENTERPRISE/.test(action.name) ? 'enterprise' : /ORGANIZATION|_ORG_/.test(action.name) ? 'organization' : '',
  };
}

/**
 * The input's property names, and those of object properties down to `depth` levels (following
 * `$ref`s into `$defs`): a GraphQL mutation's one `input` argument holds the fields users name
 * ("the customer's phone").
 */
function parameterNames(root: Record<string, unknown>, depth: number, schema: unknown = root): string[] {
  const resolved = resolveReference(root, schema);
  if (depth === 0 || !resolved) return [];
  const properties = resolved['properties'];
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties).flatMap(([name, property]) => [name, ...parameterNames(root, depth - 1, property)]);
}

function resolveReference(root: Record<string, unknown>, schema: unknown): Record<string, unknown> | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  const allOf = node['allOf'];
  const reference =
    Array.isArray(allOf) && allOf.length === 1 ? (allOf[0] as Record<string, unknown>)['$ref'] : node['$ref'];
  if (typeof reference !== 'string' || !reference.startsWith('#/$defs/')) return node;
  const definitions = root['$defs'] as Record<string, unknown> | undefined;
  const target = definitions?.[reference.slice('#/$defs/'.length)];
  return target && typeof target === 'object' ? (target as Record<string, unknown>) : undefined;
}

/** The first sentence, and what follows it. */
function splitFirstSentence(text: string): [string, string] {
  const end = text.search(/[.!?](\s|$)/);
  return end === -1 ? [text, ''] : [text.slice(0, end + 1), text.slice(end + 1).trim()];
}

/** Words of names (`GET_A_PULL_REQUEST`), parameters (`pull_number`, `idList`) and prose alike. */
function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** The query with its synonyms appended, and the weight of each (processed) term: the user's own words weigh most. */
function expandQuery(query: string): { text: string; weights: Map<string, number> } {
  let text = query.toLowerCase();
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, ` ${replacement} `);
  const words = tokenize(text).flatMap((word) => tokenize(REPLACEMENTS[word.toLowerCase()] ?? word));
  const weights = new Map<string, number>();
  const added: string[] = [];
  for (const word of words) {
    const term = normalizeTerm(word);
    if (term !== null) weights.set(term, 1);
  }
  for (const word of words) {
    for (const synonym of tokenize(SYNONYMS[word.toLowerCase()] ?? '')) {
      const term = normalizeTerm(synonym);
      if (term === null || weights.has(term)) continue;
      weights.set(term, SYNONYM_WEIGHT);
      added.push(synonym);
    }
  }
  // Asking about things in the plural ("alerts", "open PRs") hints at a list of them: a tie-breaker, no more.
  if (!weights.has('list') && words.some((word) => isPlural(word.toLowerCase()))) {
    weights.set('list', PLURAL_LIST_WEIGHT);
    added.push('list');
  }
  return { text: [...words, ...added].join(' '), weights };
}

/** Lower case, stop words dropped, and plurals made singular so "issues" and "issue" meet. */
function normalizeTerm(term: string): string | null {
  const word = term.toLowerCase();
  // Single letters are what contractions leave ("what's", "I'll"), not words.
  if (STOP_WORDS.has(word) || /^\p{L}$/u.test(word)) return null;
  return stem(word);
}

function isPlural(word: string): boolean {
  return (
    word.length > 3 && !STOP_WORDS.has(word) && stem(word) !== word && /[^s]s$/.test(word) && !/(us|is)$/.test(word)
  );
}

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return stemVerb(word.slice(0, -1));
  return stemVerb(word);
}

/**
 * "requested", "merging", "running" meet "request", "merge", "run" (index and query both go through it):
 * the -ing and -ed endings go, a doubled final consonant is undoubled, and a final e goes ("merge", "merg").
 */
function stemVerb(word: string): string {
  const base = word.endsWith('ing') ? word.slice(0, -3) : word.endsWith('ed') ? word.slice(0, -2) : word;
  if (base.length < 3) return word;
  if (base !== word && /([b-df-hj-np-tv-z])\1$/.test(base) && !/(ss|ll)$/.test(base)) return base.slice(0, -1);
  return base.length > 4 && base.endsWith('e') ? base.slice(0, -1) : base;
}
