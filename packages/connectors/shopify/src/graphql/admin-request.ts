import { abortableDelay, PlugboardError, type ActionContext } from '@plugboard/core';
import type { GraphqlCall } from './document.js';

/** The `extensions.cost` Shopify adds to every GraphQL Admin API response. */
export interface GraphqlCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

interface GraphqlError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string };
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
  extensions?: { cost?: GraphqlCost };
}

/** How calls wait for Shopify's cost budget. */
export interface ShopifyThrottleOptions {
  /** How many times a THROTTLED answer is tried again. @default 2 */
  retries?: number;
  /**
   * The longest wait taken, before a call or after a THROTTLED answer; a longer one fails the call
   * as `RATE_LIMITED` with `details.retryAfterMs`. @default 10_000
   */
  maxRetryAfterMs?: number;
}

/** What a GraphQL call returns: the data and Shopify's cost report. */
export interface GraphqlResult {
  data: Record<string, unknown>;
  cost: GraphqlCost | null;
}

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

/**
 * Shopify's leaky bucket of one shop as this process last saw it, so that concurrent calls share
 * it: each call takes its expected cost out before it is sent, and waits when the bucket, refilled
 * at the restore rate since, does not hold it.
 */
interface CostBucket {
  maximum: number;
  available: number;
  restoreRate: number;
  /** When `available` was true. */
  at: number;
  /** Cost taken by calls sent and not yet answered. */
  reserved: number;
}

/** The cost buckets of this process, one per shop (Shopify's numeric shop id, `X-ShopId`). */
export interface CostBuckets {
  /** The shop the answers of this key came from; `null` once two shops answered it. */
  shopOf: Map<string, string | null>;
  buckets: Map<string, CostBucket>;
  /** The cost a document was last charged, as the estimate of its next call. */
  expected: Map<string, number>;
}

export function createCostBuckets(): CostBuckets {
  return { shopOf: new Map(), buckets: new Map(), expected: new Map() };
}

// A first call's estimate: Shopify charges 1 per object and 2 + first/10 for a connection.
const DEFAULT_EXPECTED_COST = 10;

function level(bucket: CostBucket, now: number): number {
  return (
    Math.min(bucket.maximum, bucket.available + (bucket.restoreRate * (now - bucket.at)) / 1_000) - bucket.reserved
  );
}

/** Waits `ms`, or fails with `ABORTED` when `signal` aborts first. */
export async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await abortableDelay(ms, signal);
  } catch {
    throw new PlugboardError('ABORTED', "The Shopify call was aborted while it waited for Shopify's cost budget.");
  }
}

function rateLimited(retryAfterMs: number, cost: GraphqlCost | null, status?: number): PlugboardError {
  return new PlugboardError(
    'RATE_LIMITED',
    `Shopify's GraphQL cost budget for this shop is used up; it holds enough again in ${retryAfterMs} ms, longer than maxRetryAfterMs allows.`,
    { retryable: true, ...(status !== undefined ? { status } : {}), details: { retryAfterMs, cost } },
  );
}

/** Where a call's cost is accounted: the connector's buckets and the key of the credentials' shop. */
export interface CostAccount {
  buckets: CostBuckets;
  /**
   * The calls that go to one shop as far as the process can tell: one key per connector instance,
   * narrowed to the connection's shop when the call says it (`context.connection.fields.shop`).
   * Its calls wait on the bucket of the shop that answered them, once one has; the first call
   * waits for nothing, and a key answered by two shops stops waiting (THROTTLED is still waited out).
   */
  key: string;
}

/** The account key of one call: per shop when the connection names it, else per connector instance. */
function keyOf(account: CostAccount, connection: ActionContext<unknown>['connection']): string {
  const shop = connection?.fields['shop'];
  return shop ? `${account.key}/${shop}` : account.key;
}

/**
 * Sends one GraphQL call to the Admin API (`POST /graphql.json`): waits first when the shop's
 * bucket lacks the call's expected cost, waits out a THROTTLED answer as the throttle status says
 * and tries again, and fails with `errors` in a 200 answer. Returns `data` and the cost report.
 */
export async function sendGraphql(
  context: Pick<ActionContext<unknown>, 'request' | 'signal' | 'connection'>,
  call: GraphqlCall,
  account: CostAccount,
  throttle: ShopifyThrottleOptions = {},
): Promise<GraphqlResult> {
  const retries = throttle.retries ?? 2;
  const maxRetryAfterMs = throttle.maxRetryAfterMs ?? 10_000;
  const { buckets } = account;
  const key = keyOf(account, context.connection);
  const expected = buckets.expected.get(call.query) ?? DEFAULT_EXPECTED_COST;
  for (let attempt = 0; ; attempt++) {
    const shop = buckets.shopOf.get(key);
    let bucket = shop ? buckets.buckets.get(shop) : undefined;
    if (bucket) {
      // The cost is taken out before waiting, so that calls behind this one wait their own turn.
      const missing = Math.min(expected, bucket.maximum) - level(bucket, Date.now());
      const waitMs = missing > 0 ? Math.ceil((missing / bucket.restoreRate) * 1_000) : 0;
      if (waitMs > maxRetryAfterMs) throw rateLimited(waitMs, null);
      bucket.reserved += expected;
      try {
        if (waitMs > 0) await sleep(waitMs, context.signal);
      } catch (error) {
        bucket.reserved -= expected;
        throw error;
      }
    }
    let response: Awaited<ReturnType<typeof context.request<GraphqlBody>>>;
    try {
      response = await context.request<GraphqlBody>({ method: 'POST', path: '/graphql.json', body: call });
    } finally {
      if (bucket) bucket.reserved -= expected;
    }
    const body = response.data ?? {};
    const cost = body.extensions?.cost ?? null;
    const answeredBy = response.headers.get('x-shopid');
    if (answeredBy) {
      // A connector that talks to several shops cannot tell which one a call goes to before the
      // answer: it stops holding calls back and relies on THROTTLED answers alone.
      const known = buckets.shopOf.get(key);
      buckets.shopOf.set(key, known === undefined || known === answeredBy ? answeredBy : null);
      const status = cost?.throttleStatus;
      if (status && status.restoreRate > 0) {
        bucket = buckets.buckets.get(answeredBy);
        const fresh = {
          maximum: status.maximumAvailable,
          available: status.currentlyAvailable,
          restoreRate: status.restoreRate,
          at: Date.now(),
        };
        if (bucket) Object.assign(bucket, fresh);
        else buckets.buckets.set(answeredBy, { ...fresh, reserved: 0 });
      }
    }
    if (typeof cost?.actualQueryCost === 'number' || typeof cost?.requestedQueryCost === 'number')
      buckets.expected.set(call.query, (cost.actualQueryCost ?? cost.requestedQueryCost) as number);
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (errors.length === 0) return { data: body.data ?? {}, cost };
    if (errors.some((error) => error.extensions?.code === 'THROTTLED')) {
      const waitMs = throttleWaitMs(cost ?? undefined);
      if (waitMs > maxRetryAfterMs || attempt >= retries) throw rateLimited(waitMs, cost, response.status);
      await sleep(waitMs, context.signal);
      continue;
    }
    const messages = errors.map((error) => error.message ?? 'unknown error').join('; ');
    throw new PlugboardError(
      'UPSTREAM_ERROR',
      `The Shopify GraphQL Admin API answered with ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${messages.slice(0, 300)}`,
      { status: response.status, retryable: false, details: { errors, data: body.data ?? null, cost } },
    );
  }
}

/** A mutation's `userErrors`, as Shopify reports what it refused. */
export interface ShopifyUserError {
  field: readonly string[] | null;
  message: string;
  code?: string | null;
}

/**
 * Fails a mutation whose payload reports `userErrors`, with each error's field path and code; a
 * payload without them is returned as it is.
 */
export function checkUserErrors(field: string, payload: unknown, cost: GraphqlCost | null): void {
  const userErrors = (payload as { userErrors?: ShopifyUserError[] } | null)?.userErrors;
  if (!Array.isArray(userErrors) || userErrors.length === 0) return;
  const listed = userErrors
    .map(
      (error) =>
        `${error.field ? `${error.field.join('.')}: ` : ''}${error.message}${error.code ? ` (${error.code})` : ''}`,
    )
    .join('; ');
  throw new PlugboardError('UPSTREAM_ERROR', `Shopify refused ${field}: ${listed.slice(0, 400)}`, {
    status: 200,
    details: { userErrors, data: payload, cost },
  });
}
