import { defineAction, PlugboardError, type Action } from '@plugboard/core';
import type { z } from 'zod';
import { checkUserErrors, sendGraphql, type CostAccount, type ShopifyThrottleOptions } from './admin-request.js';
import type { GraphqlCall } from './document.js';

/** A hand-written action on one GraphQL document: its input, the call it makes and how the answer reads. */
export interface CuratedSpec<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  tags: readonly string[];
  /** The generated names this action covers (`SHOPIFY_CUSTOMERS`): curated win, the name stays reachable. */
  aliases?: readonly string[];
  scopes: readonly string[];
  effects: Action['effects'];
  input: () => Schema;
  call(input: z.output<Schema>): GraphqlCall;
  /** The mutation whose payload's `userErrors` fail the action. */
  mutation?: string;
  /** The action's data, from the GraphQL `data`. */
  result(data: Record<string, unknown>): object;
}

/** Where curated actions account their cost. */
export interface CuratedOptions {
  account: CostAccount;
  throttle?: ShopifyThrottleOptions | undefined;
}

export function curatedAction<Schema extends z.ZodType>(spec: CuratedSpec<Schema>, options: CuratedOptions): Action {
  return defineAction({
    name: spec.name,
    description: spec.description,
    tags: spec.tags,
    aliases: spec.aliases ?? [],
    scopes: spec.scopes,
    effects: spec.effects,
    input: spec.input,
    run: async (context) => {
      const { data, cost } = await sendGraphql(context, spec.call(context.input), options.account, options.throttle);
      if (spec.mutation) checkUserErrors(spec.mutation, data[spec.mutation], cost);
      return { ...spec.result(data), cost };
    },
  });
}

/** Fails a lookup Shopify answered with `null`: the id names nothing this app may see. */
export function found(value: unknown, what: string, id: unknown): unknown {
  if (value === null || value === undefined) {
    throw new PlugboardError('UPSTREAM_ERROR', `Shopify has no ${what} ${String(id)} (or this app may not read it).`, {
      status: 404,
      retryable: false,
      details: { id },
    });
  }
  return value;
}
