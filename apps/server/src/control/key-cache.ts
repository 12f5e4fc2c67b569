import { createHash } from 'node:crypto';
import { verifyApiKey } from './api-keys.js';
import type { ApiKeyRecord, ControlStore, ProjectRecord } from './control-store.js';

/** A verified key and its project, as `verifyApiKey` answers. */
export type VerifiedKey = { key: ApiKeyRecord; project: ProjectRecord };

/** Checks presented API keys, remembering each answer for a short while. */
export interface KeyVerifier {
  /** The key's record and project when the key is valid now; `undefined` otherwise. */
  verify(presented: string): Promise<VerifiedKey | undefined>;
  /** Drops what is remembered of one key, so a revocation made here takes effect at once. */
  forget(keyId: string): void;
}

export interface KeyCacheOptions {
  /** How long an answer is reused; 0 checks the store on every request. */
  ttlMs: number;
  /** Most answers remembered; the oldest go first. @default 10_000 */
  maxEntries?: number;
  /** @default Date.now */
  now?: () => number;
}

interface Entry {
  verified: VerifiedKey | undefined;
  keyId: string | undefined;
  expiresAt: number;
}

/**
 * A verifier that saves the two store reads of a key check (the key, then its project) on most
 * requests: each answer, valid or not, is reused for `ttlMs`. A key revoked through this process
 * is forgotten at once; one revoked through another instance (or the CLI) keeps working here for
 * at most `ttlMs`. That bound is the price of the saved reads, and why the default is 5 seconds.
 *
 * Entries are keyed by the SHA-256 of the presented key, so the memory holds no usable key. A
 * rotated key's grace period is checked on every use, cached or not.
 */
export function createKeyVerifier(control: ControlStore, options: KeyCacheOptions): KeyVerifier {
  const { ttlMs, maxEntries = 10_000, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<VerifiedKey | undefined>>();
  // When each key was last forgotten: a check that started before then may have read the old record.
  const forgottenAt = new Map<string, number>();

  const stillValid = (verified: VerifiedKey | undefined, at: number) =>
    verified !== undefined && (verified.key.expiresAt === undefined || Date.parse(verified.key.expiresAt) > at);

  return {
    async verify(presented) {
      if (ttlMs <= 0) return verifyApiKey(control, presented, now());
      const id = createHash('sha256').update(presented).digest('base64url');
      const at = now();
      const cached = entries.get(id);
      if (cached && cached.expiresAt > at) return stillValid(cached.verified, at) ? cached.verified : undefined;
      // Concurrent first requests with one key share one store check.
      let pending = inFlight.get(id);
      if (!pending) {
        pending = verifyApiKey(control, presented, at).then((verified) => {
          const stale = verified !== undefined && (forgottenAt.get(verified.key.id) ?? -1) >= at;
          if (!stale) {
            entries.delete(id);
            if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
            entries.set(id, { verified, keyId: verified?.key.id, expiresAt: at + ttlMs });
          }
          return verified;
        });
        inFlight.set(id, pending);
        const settled = () => inFlight.delete(id);
        pending.then(settled, settled);
      }
      return pending;
    },
    forget(keyId) {
      const at = now();
      for (const [id, entry] of entries) if (entry.keyId === keyId) entries.delete(id);
      for (const [id, time] of forgottenAt) if (time + ttlMs < at) forgottenAt.delete(id);
      forgottenAt.set(keyId, at);
    },
  };
}
