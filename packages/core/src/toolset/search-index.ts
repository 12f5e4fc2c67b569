// What is indexed for each action: its name without the app prefix, the first sentence of its description
// and a little of the rest, tags, aliases and parameter names; and what is stored to filter and rank.

import type { Options as MiniSearchOptions } from 'minisearch';
import type { Catalogue, RegisteredAction } from './catalogue.js';
import { normalizeTerm, tokenize } from './search-terms.js';

/** The searched fields of one action. */
export interface ActionDocument {
  id: string;
  name: string;
  app: string;
  summary: string;
  details: string;
  tags: string;
  aliases: string;
  parameters: string;
}

/** What the index keeps of each action, to filter and rank its matches. */
export interface StoredFields {
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

// Past the first few sentences, descriptions are about pagination, errors and links: indexing them costs memory and time.
const DETAILS_LENGTH = 400;

/** MiniSearch's index: the searched fields, the stored ones, and the same terms as queries get. */
export const indexOptions: MiniSearchOptions<ActionDocument> = {
  fields: ['name', 'app', 'summary', 'details', 'tags', 'aliases', 'parameters'],
  storeFields: ['app', 'description', 'tagList', 'readOnly', 'deprecated', 'curated', 'legacy', 'scope'],
  tokenize,
  processTerm: (term) => normalizeTerm(term),
};

// Tags that say how an action was made, not what it is about.
const UNSEARCHED_TAGS = new Set(['generated']);

/** One action as the index takes it. */
export function toDocument(
  { action, connector }: RegisteredAction,
  catalogue: Catalogue,
): ActionDocument & StoredFields {
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
