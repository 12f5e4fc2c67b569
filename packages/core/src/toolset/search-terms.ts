// From text to index terms, the same for actions and queries (tokens, stop words, stems), and a query's
// expansion into weighted terms.

import { PHRASES, REPLACEMENTS, STOP_WORDS, SYNONYMS } from './search-vocabulary.js';

// Words a short form expands to count less than the words the user typed.
export const SYNONYM_WEIGHT = 0.5;
const PLURAL_LIST_WEIGHT = 0.15;

/** Words of names (`GET_A_PULL_REQUEST`), parameters (`pull_number`, `idList`) and prose alike. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** The query with its synonyms appended, and the weight of each (processed) term: the user's own words weigh most. */
export function expandQuery(query: string): { text: string; weights: Map<string, number> } {
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
export function normalizeTerm(term: string): string | null {
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
