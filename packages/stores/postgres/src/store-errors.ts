import { PlugboardError } from '@plugboard/core';
import pg from 'pg';

// SQLSTATE classes and codes after which the same statement may succeed later: the connection
// broke, the server is short of resources or shutting down, a statement timed out, a
// serialization failure or deadlock lost, a lock was not available.
const RETRYABLE_STATES = /^(08|53|57P0|40001|40P01|57014|55P03)/;

/**
 * Turns whatever the driver threw into a `PlugboardError`: a `STORE_ERROR` that says which
 * operation failed and why, `retryable` when trying again may work. Statement parameters never
 * appear in it (only the server's message and SQLSTATE, which name no sealed value).
 */
export function toStoreError(error: unknown, operation: string): PlugboardError {
  if (PlugboardError.isInstance(error)) return error;
  if (error instanceof pg.DatabaseError) {
    const state = error.code ?? 'unknown';
    if (state === '42P01' || state === '3F000') {
      return new PlugboardError(
        'STORE_ERROR',
        `PostgreSQL store: ${operation} failed: ${error.message}. Run \`await store.migrate()\` once to create the schema.`,
        {
          retryable: false,
          details: { sqlState: state },
        },
      );
    }
    const reason = state === '57014' ? 'the statement timed out or was cancelled' : error.message;
    return new PlugboardError('STORE_ERROR', `PostgreSQL store: ${operation} failed: ${reason} (SQLSTATE ${state}).`, {
      retryable: RETRYABLE_STATES.test(state),
      details: { sqlState: state },
    });
  }
  // Not from the server: the database could not be reached, the connection dropped, or the pool
  // gave up waiting for a free connection. All of these may pass.
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new PlugboardError(
    'STORE_ERROR',
    `PostgreSQL store: ${operation} failed: the database is unreachable or the connection was lost (${typeof code === 'string' ? `${code}: ` : ''}${message}).`,
    {
      retryable: true,
      details: typeof code === 'string' ? { cause: code } : undefined,
    },
  );
}
