import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { sendGraphql, type CostAccount, type ShopifyThrottleOptions } from '../graphql/admin-request.js';

const input = () =>
  z.strictObject({
    query: z
      .string()
      .min(1)
      .describe(
        'A GraphQL Admin API query or mutation, like "{ shop { name } }" or "query Customers($first: Int!) { customers(first: $first) { nodes { id email } } }".',
      ),
    variables: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Values for the variables the query declares, by name.'),
    operationName: z
      .string()
      .min(1)
      .optional()
      .describe('Which operation to run when the query document holds several.'),
  });

/** The raw GraphQL Admin API action, for what no other action covers. */
export function graphqlQueryAction(options: { account: CostAccount; throttle?: ShopifyThrottleOptions | undefined }) {
  return defineAction({
    name: 'SHOPIFY_GRAPHQL_QUERY',
    description:
      "Runs a query or mutation against the Shopify GraphQL Admin API (POST /graphql.json). Returns { data, cost } where cost is Shopify's extensions.cost (requested and actual query cost, throttle status). GraphQL errors in a 200 answer fail the action with the errors in details; a THROTTLED query is retried once its cost is restored. Mutations report their own userErrors inside data.",
    tags: ['graphql', 'read', 'write'],
    input,
    effects: { readOnly: false, destructive: true },
    run: async (context) => {
      const { query, variables, operationName } = context.input;
      const call = {
        query,
        ...(variables !== undefined ? { variables } : {}),
        ...(operationName !== undefined ? { operationName } : {}),
      };
      return sendGraphql(context, call, options.account, options.throttle);
    },
  });
}
