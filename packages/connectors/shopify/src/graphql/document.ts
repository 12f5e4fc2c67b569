import { PlugboardError } from '@plugboard/core';
import type { ArgumentEntry } from './catalogue.js';

/** What a GraphQL Admin API call sends: `{ query, variables }`. */
export interface GraphqlCall {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * A selection set as given by a caller: `id title` or `{ id title }`, always returned braced. Only
 * balanced braces and parentheses are checked here; Shopify validates the fields and answers with
 * the errors, which the action returns.
 */
export function normalizeSelection(selection: string): string {
  const trimmed = selection.trim();
  let depth = 0;
  for (const character of trimmed) {
    if (character === '{' || character === '(') depth++;
    else if (character === '}' || character === ')') depth--;
    if (depth < 0) break;
  }
  if (depth !== 0 || trimmed === '') {
    throw new PlugboardError('INVALID_PARAMS', 'The selection has unbalanced braces or parentheses.', {
      details: { issues: [{ path: ['selection'], message: 'unbalanced braces or parentheses' }] },
    });
  }
  return trimmed.startsWith('{') ? trimmed : `{ ${trimmed} }`;
}

/**
 * The document of one root field called with the arguments the input gives, each as a variable of
 * the argument's own type: `mutation productCreate($product: ProductCreateInput) { productCreate(product: $product) { ... } }`.
 * Arguments left out are not declared, so Shopify applies their defaults.
 */
export function operationCall(
  kind: 'query' | 'mutation',
  field: string,
  args: readonly ArgumentEntry[],
  input: Readonly<Record<string, unknown>>,
  selection: string,
): GraphqlCall {
  if (!NAME.test(field)) throw new PlugboardError('INVALID_DEFINITION', `Invalid GraphQL field name ${field}.`);
  const given = args.filter(([name]) => input[name] !== undefined);
  const declarations = given.map(([name, type]) => `$${name}: ${type}`).join(', ');
  const passed = given.map(([name]) => `${name}: $${name}`).join(', ');
  const query = `${kind} ${field}${declarations ? `(${declarations})` : ''} { ${field}${passed ? `(${passed})` : ''}${selection ? ` ${selection}` : ''} }`;
  return { query, variables: Object.fromEntries(given.map(([name]) => [name, input[name]])) };
}
