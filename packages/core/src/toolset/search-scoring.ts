// How matches are ranked: field weights, verb and synonym weights, and the document boosts that break ties.

import type { SearchOptions } from 'minisearch';
import type { StoredFields } from './search-index.js';
import { normalizeTerm, SYNONYM_WEIGHT } from './search-terms.js';

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

export const searchOptions: SearchOptions = {
  boost: BOOST,
  combineWith: 'OR',
  // Prefixes let "vacat" reach "vacation"; typos are forgiven only in long words, where they are rare by chance
  // (and each fuzzy term walks much of the index: about a third of the query time when shorter words had it).
  prefix: (term) => term.length >= 4,
  fuzzy: (term) => (term.length >= 8 ? 0.2 : false),
  weights: { fuzzy: 0.3, prefix: 0.5 },
  processTerm: (term) => normalizeTerm(term),
};

/** The weight of a query term: the user's own words weigh most, and verbs more than BM25 alone gives them. */
export function termBoost(weights: ReadonlyMap<string, number>): (term: string) => number {
  return (term) => (weights.get(term) ?? SYNONYM_WEIGHT) * (VERBS.has(term) ? VERB_BOOST : 1);
}

/**
 * Curated actions first on a tie, legacy twins last, and the organization- or enterprise-wide variant of an
 * operation (GitHub has many) after the repository's own unless the query names that scope.
 */
export function documentBoost(queryTerms: ReadonlyMap<string, number>): NonNullable<SearchOptions['boostDocument']> {
  return (_id, _term, stored) => {
    const fields = stored as unknown as StoredFields | undefined;
    if (!fields) return 1;
    const scope = fields.scope && !queryTerms.has(fields.scope) ? SCOPE_BOOST : 1;
    return (fields.curated ? CURATED_BOOST : 1) * (fields.legacy ? LEGACY_BOOST : 1) * scope;
  };
}
