import { createHash } from 'node:crypto';
import type { StoreLock } from '@plugboard/core';
import { toStoreError } from './store-errors.js';

/** One connection that stays open to hold session-level advisory locks. */
export interface LockSession {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  /** Ends the session; every advisory lock it holds is released by the server. */
  close(): Promise<void>;
}

export interface AdvisoryLocksOptions {
  /** Opens the session; `onLost` is called when it breaks (its locks are then gone). */
  connect(onLost: () => void): Promise<LockSession>;
  /** The namespace of the lock keys, so two Plugboard schemas in one database never contend. */
  namespace: string;
  now(): number;
}

interface Holder {
  token: symbol;
  expiresAt: number;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

/**
 * `acquireLock` on PostgreSQL session advisory locks (`pg_try_advisory_lock`), held on one
 * dedicated connection per store.
 *
 * Why advisory locks rather than a lease row: when a process dies (SIGKILL, OOM, a lost VM), its
 * connection closes and the server releases its locks at once, so nobody waits out a lease of a
 * minute or more for a refresh that will never finish. The lease `ttlMs` is still honoured: a
 * timer in the holding process releases the lock when it expires, and a release after that is a
 * no-op, exactly as with the memory store.
 *
 * Advisory locks are re-entrant per session, so this process's holders are tracked here: a name
 * held by one caller in this process is refused to the next until it is released or expires.
 */
export function createAdvisoryLocks(options: AdvisoryLocksOptions) {
  let session: Promise<LockSession> | undefined;
  let generation = 0;
  const held = new Map<string, Holder>();

  const lost = () => {
    generation += 1;
    session = undefined;
    for (const holder of held.values()) clearTimeout(holder.timer);
    held.clear();
  };

  const currentSession = (): Promise<LockSession> => {
    if (session === undefined) {
      // Only this session's end counts: a broken session that reports late ('error', then
      // 'end') must not clear the locks of the session that replaced it.
      const opening: Promise<LockSession> = options
        .connect(() => {
          if (session === opening) lost();
        })
        .then(serialized);
      session = opening;
      // A failed connect must not poison later attempts.
      opening.catch(() => {
        if (session === opening) session = undefined;
      });
    }
    return session;
  };

  // One statement at a time on the session, in the order asked: an unlock queued before a
  // try-lock of the same name runs first (and pg no longer queues for us in its next major).
  const serialized = (inner: LockSession): LockSession => {
    let tail: Promise<unknown> = Promise.resolve();
    return {
      query(text, values) {
        const result = tail.then(() => inner.query(text, values));
        tail = result.catch(() => undefined);
        return result;
      },
      close: () => inner.close(),
    };
  };

  const keyOf = (name: string): string =>
    createHash('sha256').update(`${options.namespace}\0${name}`).digest().readBigInt64BE(0).toString();

  const unlock = (name: string): Promise<void> => {
    const open = session;
    if (open === undefined) return Promise.resolve();
    // Queued on the session before any later try-lock of the same name, so the order holds.
    return open
      .then((lockSession) => lockSession.query('SELECT pg_advisory_unlock($1::bigint)', [keyOf(name)]))
      .then(
        () => undefined,
        () => {
          // The session broke: the server has released the lock with it.
        },
      );
  };

  const grant = (name: string, ttlMs: number): StoreLock => {
    const token = Symbol(name);
    const timer = setTimeout(() => {
      if (held.get(name)?.token !== token) return;
      held.delete(name);
      void unlock(name);
    }, ttlMs);
    timer.unref?.();
    held.set(name, { token, expiresAt: options.now() + ttlMs, timer });
    return {
      async release() {
        const holder = held.get(name);
        if (holder?.token !== token) return;
        clearTimeout(holder.timer);
        held.delete(name);
        // Resolves once the server has let go, so another process may take it right after.
        await unlock(name);
      },
    };
  };

  return {
    async acquireLock(name: string, ttlMs: number): Promise<StoreLock | undefined> {
      const mine = held.get(name);
      if (mine !== undefined) {
        if (mine.expiresAt > options.now()) return undefined;
        // The lease expired (by this store's clock) while the session still holds the lock:
        // hand it over to the new caller without a round trip.
        clearTimeout(mine.timer);
        return grant(name, ttlMs);
      }
      // Reserve the name before the round trip, so concurrent callers here see it taken.
      const reservation: Holder = { token: Symbol('reserved'), expiresAt: Number.POSITIVE_INFINITY };
      held.set(name, reservation);
      const startedIn = generation;
      let acquired: boolean;
      try {
        const lockSession = await currentSession();
        const result = await lockSession.query('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [keyOf(name)]);
        acquired = result.rows[0]?.['acquired'] === true;
      } catch (error) {
        if (held.get(name) === reservation) held.delete(name);
        throw toStoreError(error, `taking the lock ${name}`);
      }
      if (held.get(name) !== reservation || generation !== startedIn) {
        // The session broke while we asked: whatever the answer was, it no longer holds.
        return undefined;
      }
      held.delete(name);
      return acquired ? grant(name, ttlMs) : undefined;
    },

    async close(): Promise<void> {
      const open = session;
      lost();
      if (open !== undefined) await open.then((lockSession) => lockSession.close()).catch(() => undefined);
    },
  };
}
