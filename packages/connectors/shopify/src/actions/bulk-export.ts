import { defineAction, PlugboardError } from '@plugboard/core';
import { z } from 'zod';
import { checkUserErrors, sendGraphql, sleep } from '../graphql/admin-request.js';
import type { CuratedOptions } from '../graphql/curated-action.js';

/** The fetch that downloads a bulk operation's result file (a signed storage URL, sent no credentials). */
export type DownloadFetch = (url: string, init?: RequestInit) => Promise<Response>;

export const BULK_OPERATION_RUN = `mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) { bulkOperation { id status } userErrors { field message code } } }`;

/** What each poll reads. */
export const BULK_OPERATION_POLL = `query BulkOperation($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } }`;

const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

interface BulkOperation {
  id: string;
  status: string;
  errorCode?: string | null;
  objectCount?: string | null;
  url?: string | null;
  partialDataUrl?: string | null;
}

const input = () =>
  z.strictObject({
    query: z
      .string()
      .min(1)
      .describe(
        'The bulk query: one query with at least one connection and no pagination arguments, like "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }". Nested connections come back as their own lines with __parentId.',
      ),
    group_objects: z
      .boolean()
      .optional()
      .describe('Group nested objects right after their parent in the file (slower for Shopify). false when omitted.'),
    poll_interval_ms: z
      .number()
      .int()
      .min(10)
      .max(60_000)
      .optional()
      .describe('How long to wait between status checks, in milliseconds. 2000 when omitted.'),
    timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .optional()
      .describe('How long to wait for the operation to finish, in milliseconds. 600000 (10 minutes) when omitted.'),
  });

/** The lines of a JSONL file, parsed; blank lines skipped. */
export function parseJsonLines(text: string): unknown[] {
  const objects: unknown[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      objects.push(JSON.parse(line));
    } catch {
      throw new PlugboardError('INVALID_RESPONSE', `Line ${index + 1} of the bulk operation's result is not JSON.`);
    }
  }
  return objects;
}

/**
 * Exports a large result set with a bulk operation: starts `bulkOperationRunQuery`, polls
 * `bulkOperation(id:)` until it finishes, downloads the JSONL file and parses it.
 * @see https://shopify.dev/docs/api/usage/bulk-operations/queries
 */
export function bulkExportAction(options: CuratedOptions & { fetch?: DownloadFetch | undefined }) {
  return defineAction({
    name: 'SHOPIFY_BULK_EXPORT',
    description:
      "Exports a large result set in one call with a bulk operation (GraphQL bulkOperationRunQuery): Shopify runs the query in the background, the action waits until it finishes, then downloads and parses the JSONL file. Returns { id, status, objectCount, url, objects }, objects being the file's lines (nested objects carry __parentId). Fails with the errorCode and partialDataUrl when the operation fails. Needs the read scopes of what the query reads.",
    tags: ['bulk', 'read', 'export'],
    effects: { readOnly: true, idempotent: true },
    input,
    run: async (context) => {
      const { query, group_objects, poll_interval_ms, timeout_ms } = context.input;
      const started = await sendGraphql(
        context,
        { query: BULK_OPERATION_RUN, variables: { query, groupObjects: group_objects ?? false } },
        options.account,
        options.throttle,
      );
      const payload = started.data['bulkOperationRunQuery'] as { bulkOperation?: BulkOperation | null } | null;
      checkUserErrors('bulkOperationRunQuery', payload, started.cost);
      let operation = payload?.bulkOperation;
      if (!operation?.id) throw new PlugboardError('INVALID_RESPONSE', 'Shopify started no bulk operation.');
      const deadline = Date.now() + (timeout_ms ?? 600_000);
      while (!FINISHED.has(operation.status)) {
        if (Date.now() >= deadline) {
          throw new PlugboardError(
            'TIMEOUT',
            `The bulk operation ${operation.id} is still ${operation.status} after ${timeout_ms ?? 600_000} ms; it keeps running at Shopify (SHOPIFY_BULK_OPERATION reads it later).`,
            { retryable: false, details: { operation } },
          );
        }
        await sleep(poll_interval_ms ?? 2_000, context.signal);
        const polled = await sendGraphql(
          context,
          { query: BULK_OPERATION_POLL, variables: { id: operation.id } },
          options.account,
          options.throttle,
        );
        const next = polled.data['bulkOperation'] as BulkOperation | null;
        if (!next) throw new PlugboardError('INVALID_RESPONSE', `Shopify lost the bulk operation ${operation.id}.`);
        operation = next;
      }
      if (operation.status !== 'COMPLETED') {
        throw new PlugboardError(
          'UPSTREAM_ERROR',
          `The bulk operation ${operation.id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ''}.`,
          { status: 200, retryable: operation.errorCode === 'INTERNAL_SERVER_ERROR', details: { operation } },
        );
      }
      // No url: the query matched nothing.
      if (!operation.url) return { ...operation, objects: [] };
      if (!/^https:\/\//.test(operation.url))
        throw new PlugboardError('INVALID_RESPONSE', 'The bulk operation result is not an https URL.');
      const download = options.fetch ?? ((url: string, init?: RequestInit) => globalThis.fetch(url, init));
      const response = await download(operation.url, { ...(context.signal ? { signal: context.signal } : {}) });
      if (!response.ok) {
        throw new PlugboardError(
          'UPSTREAM_ERROR',
          `Downloading the bulk operation's result failed with status ${response.status}.`,
          { status: response.status, retryable: response.status >= 500, details: { operation } },
        );
      }
      return { ...operation, objects: parseJsonLines(await response.text()) };
    },
  });
}
