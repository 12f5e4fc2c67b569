import { defineAction, PlugboardError, type ActionContext } from '@plugboard/core';
import { z } from 'zod';

/** The `extensions.cost` Shopify adds to every GraphQL Admin API response. */
export interface GraphqlCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}

interface GraphqlBody {
  data?: unknown;
  errors?: GraphqlError[];
  extensions?: { cost?: GraphqlCost };
}

/** How long a THROTTLED query may wait for its cost to be restored, and how often it is tried again. */
export interface GraphqlThrottleOptions {
  /** @default 2 */
  retries?: number;
  /** A wait longer than this is not taken: the error is returned with `details.retryAfterMs`. @default 10_000 */
  maxWaitMs?: number;
}

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

/**
 * How long until the bucket holds the requested cost again, from Shopify's throttle status.
 * @see https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits
 */
export function throttleWaitMs(cost: GraphqlCost | undefined): number {
  const status = cost?.throttleStatus;
  const requested = cost?.requestedQueryCost;
  if (!status || typeof requested !== 'number' || !(status.restoreRate > 0)) return 1_000;
  const missing = Math.max(0, requested - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1_000);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted)
      return reject(
        new PlugboardError('ABORTED', "The GraphQL query was aborted while waiting out Shopify's throttle."),
      );
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new PlugboardError('ABORTED', "The GraphQL query was aborted while waiting out Shopify's throttle."));
      },
      { once: true },
    );
  });

/** The GraphQL Admin API action; `throttle` tunes how a THROTTLED answer is waited out. */
export function graphqlQueryAction(throttle: GraphqlThrottleOptions = {}) {
  const retries = throttle.retries ?? 2;
  const maxWaitMs = throttle.maxWaitMs ?? 10_000;
  return defineAction({
    name: 'SHOPIFY_GRAPHQL_QUERY',
    description:
      "Runs a query or mutation against the Shopify GraphQL Admin API (POST /graphql.json). Returns { data, cost } where cost is Shopify's extensions.cost (requested and actual query cost, throttle status). GraphQL errors in a 200 answer fail the action with the errors in details; a THROTTLED query is retried once its cost is restored. Mutations report their own userErrors inside data.",
    tags: ['graphql', 'read', 'write'],
    input,
    run: async (context: ActionContext<z.output<ReturnType<typeof input>>>) => {
      const body: Record<string, unknown> = { query: context.input.query };
      if (context.input.variables !== undefined) body['variables'] = context.input.variables;
      if (context.input.operationName !== undefined) body['operationName'] = context.input.operationName;
      for (let attempt = 0; ; attempt++) {
        const response = await context.request<GraphqlBody>({ method: 'POST', path: '/graphql.json', body });
        const result = response.data ?? {};
        const cost = result.extensions?.cost ?? null;
        const errors = Array.isArray(result.errors) ? result.errors : [];
        if (errors.length === 0) return { data: result.data ?? null, cost };
        const throttled = errors.some((error) => error.extensions?.code === 'THROTTLED');
        const waitMs = throttled ? throttleWaitMs(cost ?? undefined) : 0;
        if (throttled && attempt < retries && waitMs <= maxWaitMs) {
          await sleep(waitMs, context.signal);
          continue;
        }
        const messages = errors.map((error) => error.message ?? 'unknown error').join('; ');
        throw new PlugboardError(
          'UPSTREAM_ERROR',
          `The Shopify GraphQL Admin API answered with ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${messages.slice(0, 300)}`,
          {
            status: response.status,
            retryable: throttled,
            details: { errors, data: result.data ?? null, cost, ...(throttled ? { retryAfterMs: waitMs } : {}) },
          },
        );
      }
    },
  });
}
