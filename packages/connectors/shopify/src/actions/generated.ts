import { defineAction, type Action } from '@plugboard/core';
import {
  checkUserErrors,
  sendGraphql,
  type CostAccount,
  type ShopifyThrottleOptions,
} from '../graphql/admin-request.js';
import { adminCatalogue, type OperationEntry } from '../graphql/catalogue.js';
import { normalizeSelection, operationCall } from '../graphql/document.js';
import { argumentsJsonSchema, argumentsZodSchema } from '../graphql/input-schemas.js';

/** `productCreate` -> `PRODUCT_CREATE`, as scripts/generate.mjs names them. */
export function screamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** The action name of a root field: `SHOPIFY_` + the field in SCREAMING_SNAKE. */
export function generatedActionName(field: string): string {
  return `SHOPIFY_${screamingSnake(field)}`;
}

export interface GeneratedActionsOptions {
  apiVersion: string;
  account: CostAccount;
  throttle?: ShopifyThrottleOptions | undefined;
}

function generatedAction(operation: OperationEntry, options: GeneratedActionsOptions): Action {
  const [field, kindFlag, description, args, selection, scopes, deprecated] = operation;
  const kind = kindFlag === 0 ? 'query' : 'mutation';
  const catalogue = () => adminCatalogue(options.apiVersion);
  const endsWith = kind === 'mutation' ? ' Fails with the userErrors (field path, message, code) Shopify reports.' : '';
  return defineAction({
    name: generatedActionName(field),
    description: `${description || `The ${field} ${kind}.`} (GraphQL Admin API ${kind} ${field}.)${endsWith}${
      deprecated !== 0 ? ` Deprecated: ${deprecated}` : ''
    }`,
    tags: ['graphql', kind === 'query' ? 'read' : 'write'],
    input: () => argumentsZodSchema(catalogue(), args),
    inputJsonSchema: () => argumentsJsonSchema(catalogue(), args),
    effects: kind === 'query' ? { readOnly: true, idempotent: true } : { readOnly: false },
    scopes,
    deprecated: deprecated !== 0,
    run: async (context) => {
      const input = context.input as Record<string, unknown>;
      const chosen = typeof input['selection'] === 'string' ? normalizeSelection(input['selection']) : selection;
      const call = operationCall(kind, field, args, input, chosen);
      const { data, cost } = await sendGraphql(context, call, options.account, options.throttle);
      const result = data[field] ?? null;
      if (kind === 'mutation') checkUserErrors(field, result, cost);
      return { data: result, cost };
    },
  });
}

/** One action per query and mutation of the API version's generated catalogue, built when first asked for. */
export function buildGeneratedActions(options: GeneratedActionsOptions): Action[] {
  return adminCatalogue(options.apiVersion).operations.map((operation) => generatedAction(operation, options));
}
