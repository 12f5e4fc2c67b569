import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  PlugboardError,
  type ConnectionChanges,
  type ConnectionFilter,
  type ConnectionRecord,
  type IntegrationRecord,
  type PendingAuthRecord,
  type Store,
  type StoreLock,
} from '@plugboard/core';
import {
  createSecretCipher,
  openConnection,
  openIntegration,
  openPendingAuth,
  resealIfStale,
  sealConnection,
  sealContexts,
  sealIntegration,
  sealPendingAuth,
  type Keyring,
  type SealedConnection,
  type SealedIntegration,
  type SealedPendingAuth,
  type SecretCipher,
} from '@plugboard/store-kit';
import { loadKeyring } from '@plugboard/store-kit/node';
import { acquireFileLock, appendDurably, decodeLines, encodeLine, readFrom, replaceDurably } from './log-file.js';

export interface EmbeddedStoreOptions {
  /** The store directory (created 0700 when missing). @default defaultStoreDir() */
  dir?: string;
  /**
   * The keys secrets are sealed and opened with (store-kit's `createKeyring`).
   * @default PLUGBOARD_SECRET_KEY (+ PLUGBOARD_PREVIOUS_SECRET_KEYS), else `<dir>/secret.key`, created when missing
   */
  keyring?: Keyring;
  /** The clock pending-authorization and lock-lease expiry are judged by. @default Date.now */
  now?: () => number;
  /** How long a write waits for another process's write to finish before failing. @default 10_000 */
  lockTimeoutMs?: number;
  /** Where the default keyring is read from. @default process.env */
  env?: Record<string, string | undefined>;
}

/** A `Store` in a local directory, plus what the persistent stores share. */
export interface EmbeddedStore extends Store {
  /** Both records from one look at the file. */
  findConnectionWithIntegration: NonNullable<Store['findConnectionWithIntegration']>;
  /** Seals every secret an older key sealed with the current key, then compacts the file. Idempotent; safe to interrupt and re-run. */
  rotateSecrets(): Promise<{ resealed: number }>;
  /** Releases the locks this store holds; later calls fail. */
  close(): Promise<void>;
  /** The store directory. */
  readonly dir: string;
  /** The data file (`<dir>/store.jsonl`). */
  readonly path: string;
  /** Where the keys came from: `PLUGBOARD_SECRET_KEY`, the key file, or your `keyring` option. */
  readonly keySource: 'env' | 'file' | 'option';
}

/** `$PLUGBOARD_HOME`, else `~/.plugboard`. */
export function defaultStoreDir(env: Record<string, string | undefined> = process.env): string {
  const home = env['PLUGBOARD_HOME'];
  return resolve(home !== undefined && home.trim() !== '' ? home : join(homedir(), '.plugboard'));
}

const FORMAT = 'plugboard-embedded';
const FORMAT_VERSION = 1;
const ROTATION_BATCH = 200;
const COMPACT_MIN_BYTES = 256 * 1024;

type Entry =
  | { op: 'header'; format: string; version: number; generation?: string }
  | { op: 'integration'; record: SealedIntegration }
  | { op: 'delete-integration'; id: string }
  | { op: 'connection'; record: SealedConnection }
  | { op: 'delete-connection'; id: string }
  | { op: 'pending-auth'; record: SealedPendingAuth }
  | { op: 'take-pending-auth'; state: string }
  | { op: 'lock'; name: string; token: string; expiresAt: number }
  | { op: 'unlock'; name: string; token: string };

interface State {
  integrations: Map<string, SealedIntegration>;
  connections: Map<string, SealedConnection>;
  pendingAuth: Map<string, SealedPendingAuth>;
  locks: Map<string, { token: string; expiresAt: number }>;
  formatChecked: boolean;
}

const emptyState = (): State => ({
  integrations: new Map(),
  connections: new Map(),
  pendingAuth: new Map(),
  locks: new Map(),
  formatChecked: false,
});

function serialized(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}

/**
 * A store in one local directory: an append-only log of sealed records (`store.jsonl`), safe for
 * several processes (writers take turns on a lock file, readers catch up from where they were)
 * and for crashes (every write is fsynced before it is acknowledged; a torn last line is ignored).
 *
 * @example
 * const store = await embeddedStore(); // ~/.plugboard, key in ~/.plugboard/secret.key
 * const toolset = createToolset({ connectors: [github], store });
 */
export async function embeddedStore(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const dir = resolve(options.dir ?? defaultStoreDir(options.env));
  const path = join(dir, 'store.jsonl');
  const lockPath = join(dir, 'store.lock');
  const now = options.now ?? Date.now;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new PlugboardError(
      'STORE_ERROR',
      `Embedded store: cannot create the store directory ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }

  let keyring: Keyring;
  let keySource: EmbeddedStore['keySource'];
  if (options.keyring) {
    keyring = options.keyring;
    keySource = 'option';
  } else {
    const loaded = await loadKeyring({
      keyFile: join(dir, 'secret.key'),
      ...(options.env ? { env: options.env } : {}),
    });
    keyring = loaded.keyring;
    keySource = loaded.source;
  }
  const cipher: SecretCipher = createSecretCipher(keyring);
  const knownKeyIds = new Set([keyring.current.id, ...keyring.previous.map((key) => key.id)]);

  let state = emptyState();
  let offset = 0;
  let inode: number | undefined;
  // The header line of the file this process has read: it names a random generation, so a file
  // replaced by a compaction is noticed even if the new one happens to get the old one's inode.
  let head = Buffer.alloc(0);
  let compactedSize = 0;
  let closed = false;
  const held = new Map<string, string>();
  const readTurn = serialized();
  const writeTurn = serialized();

  const apply = (entry: Entry): void => {
    switch (entry.op) {
      case 'header':
        if (entry.format !== FORMAT || entry.version > FORMAT_VERSION) {
          throw new PlugboardError(
            'STORE_ERROR',
            `Embedded store: ${path} is not a store this version can read (format ${String(entry.format)} v${String(entry.version)}).`,
          );
        }
        state.formatChecked = true;
        return;
      case 'integration':
        state.integrations.set(entry.record.id, entry.record);
        return;
      case 'delete-integration':
        state.integrations.delete(entry.id);
        for (const [id, connection] of state.connections)
          if (connection.integrationId === entry.id) state.connections.delete(id);
        return;
      case 'connection':
        state.connections.set(entry.record.id, entry.record);
        return;
      case 'delete-connection':
        state.connections.delete(entry.id);
        return;
      case 'pending-auth':
        state.pendingAuth.set(entry.record.state, entry.record);
        return;
      case 'take-pending-auth':
        state.pendingAuth.delete(entry.state);
        return;
      case 'lock':
        state.locks.set(entry.name, { token: entry.token, expiresAt: entry.expiresAt });
        return;
      case 'unlock':
        if (state.locks.get(entry.name)?.token === entry.token) state.locks.delete(entry.name);
        return;
      default:
        // An entry from a newer version: ignored by this one.
        return;
    }
  };

  // Readers that arrive while a catch-up still waits for its turn share it rather than queue
  // their own: it starts after they asked, so it sees every write finished before they called,
  // as a read of their own would. Under concurrent load this turns one file read per store call
  // (open, stat, two reads, close, each a trip through libuv's thread pool) into one per batch.
  let waitingCatchUp: Promise<{ torn: boolean; exists: boolean }> | undefined;
  /** Applies what other processes (and this one) appended since the last look. Returns whether the file ends in a torn line. */
  const catchUp = (): Promise<{ torn: boolean; exists: boolean }> => {
    if (waitingCatchUp !== undefined) return waitingCatchUp;
    const queued = readTurn(async () => {
      if (waitingCatchUp === queued) waitingCatchUp = undefined;
      let read = await readFrom(path, offset, head.length);
      if (read !== undefined && (read.ino !== inode || !read.head.equals(head))) {
        state = emptyState();
        offset = 0;
        inode = read.ino;
        read = await readFrom(path, 0);
        if (read !== undefined) {
          const newline = read.data.indexOf(0x0a);
          head = Buffer.from(newline === -1 ? Buffer.alloc(0) : read.data.subarray(0, newline + 1));
        }
      }
      if (read === undefined) return { torn: false, exists: false };
      const { entries, consumed } = decodeLines(read.data);
      for (const entry of entries) apply(entry as Entry);
      offset += consumed;
      return { torn: read.data.length > consumed, exists: true };
    });
    waitingCatchUp = queued;
    return queued;
  };

  const ensureOpen = () => {
    if (closed) throw new PlugboardError('STORE_ERROR', `Embedded store: ${path} was closed.`);
  };

  const snapshot = (): string => {
    const time = now();
    const lines = [
      encodeLine({
        op: 'header',
        format: FORMAT,
        version: FORMAT_VERSION,
        generation: randomBytes(9).toString('base64url'),
      } satisfies Entry),
    ];
    for (const record of state.integrations.values())
      lines.push(encodeLine({ op: 'integration', record } satisfies Entry));
    for (const record of state.connections.values())
      lines.push(encodeLine({ op: 'connection', record } satisfies Entry));
    for (const record of state.pendingAuth.values()) {
      if (Date.parse(record.expiresAt) > time) lines.push(encodeLine({ op: 'pending-auth', record } satisfies Entry));
    }
    for (const [name, lock] of state.locks) {
      if (lock.expiresAt > time) lines.push(encodeLine({ op: 'lock', name, ...lock } satisfies Entry));
    }
    return lines.join('');
  };

  /** Under the writer lock: rewrites the file with only the live records. */
  const compact = async () => {
    const data = snapshot();
    await replaceDurably(path, data);
    compactedSize = Buffer.byteLength(data);
    await catchUp();
  };

  /**
   * One write: under this process's turn and the cross-process lock, catch up with the file,
   * let `plan` check the latest state and say what to append, append it and fsync.
   */
  const write = <T>(plan: () => Promise<{ entries: Entry[]; result: T }>): Promise<T> =>
    writeTurn(async () => {
      ensureOpen();
      const release = await acquireFileLock(lockPath, lockTimeoutMs);
      try {
        const { torn, exists } = await catchUp();
        if (!exists) {
          await compact();
        }
        const { entries, result } = await plan();
        if (entries.length > 0) {
          // A torn last line is a write that was never acknowledged (its writer died): cut it off.
          await appendDurably(path, entries.map(encodeLine).join(''), torn ? offset : undefined);
          await catchUp();
          if (offset > COMPACT_MIN_BYTES && offset > 2 * Math.max(compactedSize, 1)) {
            const live = Buffer.byteLength(snapshot());
            if (offset > 2 * live) await compact();
            else compactedSize = live;
          }
        }
        return result;
      } finally {
        await release();
      }
    });

  const read = async () => {
    ensureOpen();
    await catchUp();
    return state;
  };

  const openIntegrationCopy = (record: SealedIntegration) => openIntegration(cipher, structuredClone(record));
  const openConnectionCopy = (record: SealedConnection) => openConnection(cipher, structuredClone(record));

  // Open: create the file when missing, sweep what killed writers left, and check the keys open what is stored.
  await write(async () => {
    await removeLeftovers(dir, now());
    return { entries: [], result: undefined };
  });
  if (!state.formatChecked)
    throw new PlugboardError('STORE_ERROR', `Embedded store: ${path} has no header; it is not a Plugboard store file.`);
  for (const sealed of allSealedValues(state)) {
    const keyId = cipher.keyIdOf(sealed);
    if (keyId !== undefined && !knownKeyIds.has(keyId)) {
      throw new PlugboardError(
        'SECRET_KEY_INVALID',
        `The secrets in ${path} were sealed with key ${keyId}, which is not among the configured keys (${[...knownKeyIds].join(', ')}, from ${
          keySource === 'env'
            ? 'PLUGBOARD_SECRET_KEY'
            : keySource === 'file'
              ? join(dir, 'secret.key')
              : 'the keyring option'
        }). Use the key this store was created with, or list it in PLUGBOARD_PREVIOUS_SECRET_KEYS during a rotation.`,
      );
    }
  }

  const store: EmbeddedStore = {
    dir,
    path,
    keySource,

    async saveIntegration(record: IntegrationRecord) {
      const sealed = await sealIntegration(cipher, structuredClone(record));
      await write(async () => ({ entries: [{ op: 'integration', record: sealed }], result: undefined }));
    },
    async getIntegration(id) {
      const record = (await read()).integrations.get(id);
      return record && openIntegrationCopy(record);
    },
    async listIntegrations(filter = {}) {
      const records = [...(await read()).integrations.values()]
        .filter((record) => filter.app === undefined || record.app === filter.app)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      return Promise.all(records.map(openIntegrationCopy));
    },
    async deleteIntegration(id) {
      return write(async () => {
        const existed = state.integrations.has(id);
        const orphans = [...state.connections.values()].some((connection) => connection.integrationId === id);
        return { entries: existed || orphans ? [{ op: 'delete-integration', id }] : [], result: existed };
      });
    },

    async createConnection(record: ConnectionRecord) {
      const sealed = await sealConnection(cipher, structuredClone(record));
      await write(async () => {
        if (state.connections.has(record.id))
          throw new PlugboardError('STORE_CONFLICT', `A connection with id ${record.id} already exists.`);
        return { entries: [{ op: 'connection', record: sealed }], result: undefined };
      });
    },
    async getConnection(id) {
      const record = (await read()).connections.get(id);
      return record && openConnectionCopy(record);
    },
    async listConnections(filter: ConnectionFilter = {}) {
      const records = [...(await read()).connections.values()]
        .filter((record) => matches(record, filter))
        .sort(byMostRecentlyUpdated);
      return Promise.all(records.map(openConnectionCopy));
    },
    async findConnectionWithIntegration(lookup) {
      // One look at the file for both records, where getConnection and getIntegration take one each.
      const current = await read();
      let record: SealedConnection | undefined;
      if ('connectionId' in lookup) record = current.connections.get(lookup.connectionId);
      else {
        const filter: ConnectionFilter = { app: lookup.app, entityId: lookup.entityId, status: 'ACTIVE' };
        for (const candidate of current.connections.values()) {
          if (matches(candidate, filter) && (!record || byMostRecentlyUpdated(candidate, record) < 0))
            record = candidate;
        }
      }
      if (!record) return undefined;
      const integration = current.integrations.get(record.integrationId);
      const [connection, openedIntegration] = await Promise.all([
        openConnectionCopy(record),
        integration && openIntegrationCopy(integration),
      ]);
      return { connection, integration: openedIntegration };
    },
    async updateConnection(id, changes: ConnectionChanges, updateOptions = {}) {
      return write(async () => {
        const current = state.connections.get(id);
        if (!current) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
        if (updateOptions.expectedVersion !== undefined && current.version !== updateOptions.expectedVersion) {
          throw new PlugboardError(
            'STORE_CONFLICT',
            `Connection ${id} changed concurrently (version ${current.version}, expected ${updateOptions.expectedVersion}).`,
          );
        }
        const opened = await openConnectionCopy(current);
        const next: ConnectionRecord = { ...opened, ...structuredClone(changes), id, version: current.version + 1 };
        const sealed = await sealConnection(cipher, next);
        return { entries: [{ op: 'connection', record: sealed }], result: structuredClone(next) };
      });
    },
    async deleteConnection(id) {
      return write(async () => {
        const existed = state.connections.has(id);
        return { entries: existed ? [{ op: 'delete-connection', id }] : [], result: existed };
      });
    },

    async savePendingAuth(record: PendingAuthRecord) {
      const sealed = await sealPendingAuth(cipher, structuredClone(record));
      await write(async () => ({ entries: [{ op: 'pending-auth', record: sealed }], result: undefined }));
    },
    async takePendingAuth(stateKey) {
      const taken = await write(async () => {
        const record = state.pendingAuth.get(stateKey);
        return { entries: record ? [{ op: 'take-pending-auth', state: stateKey }] : [], result: record };
      });
      if (!taken || Date.parse(taken.expiresAt) <= now()) return undefined;
      return openPendingAuth(cipher, taken);
    },

    async acquireLock(name, ttlMs): Promise<StoreLock | undefined> {
      const token = randomBytes(12).toString('base64url');
      const acquired = await write(async () => {
        const current = state.locks.get(name);
        if (current && current.expiresAt > now()) return { entries: [], result: false };
        return { entries: [{ op: 'lock', name, token, expiresAt: now() + ttlMs }], result: true };
      });
      if (!acquired) return undefined;
      held.set(token, name);
      return {
        async release() {
          if (!held.delete(token) || closed) return;
          await write(async () => ({
            entries: state.locks.get(name)?.token === token ? [{ op: 'unlock', name, token }] : [],
            result: undefined,
          }));
        },
      };
    },

    async rotateSecrets() {
      let resealed = 0;
      for (;;) {
        const count = await write(async () => {
          const entries: Entry[] = [];
          for (const record of state.integrations.values()) {
            if (entries.length >= ROTATION_BATCH) break;
            const next = await resealIfStale(cipher, record.authConfig, sealContexts.integration(record.id));
            if (next !== undefined) entries.push({ op: 'integration', record: { ...record, authConfig: next } });
          }
          for (const record of state.connections.values()) {
            if (entries.length >= ROTATION_BATCH) break;
            const next = await resealIfStale(cipher, record.credentials, sealContexts.connection(record.id));
            if (next !== undefined) entries.push({ op: 'connection', record: { ...record, credentials: next } });
          }
          for (const record of state.pendingAuth.values()) {
            if (entries.length >= ROTATION_BATCH) break;
            const next = await resealIfStale(cipher, record.secrets, sealContexts.pendingAuth(record.state));
            if (next !== undefined) entries.push({ op: 'pending-auth', record: { ...record, secrets: next } });
          }
          return { entries, result: entries.length };
        });
        resealed += count;
        if (count === 0) break;
      }
      // Old ciphertexts stay in the log until it is rewritten: rewrite it now.
      await writeTurn(async () => {
        ensureOpen();
        const release = await acquireFileLock(lockPath, lockTimeoutMs);
        try {
          await catchUp();
          await compact();
        } finally {
          await release();
        }
      });
      return { resealed };
    },

    async close() {
      if (closed) return;
      const tokens = [...held];
      held.clear();
      try {
        if (tokens.length > 0) {
          await write(async () => ({
            entries: tokens
              .filter(([token, name]) => state.locks.get(name)?.token === token)
              .map(([token, name]): Entry => ({ op: 'unlock', name, token })),
            result: undefined,
          }));
        }
      } finally {
        closed = true;
      }
    },
  };
  return store;
}

/**
 * Temporary files of writers killed mid-way: a compaction's (only ever written under the lock we
 * hold now, so none is in use) and a lock attempt's (in use for microseconds; removed after a minute).
 */
async function removeLeftovers(dir: string, time: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (/^store\.jsonl\.[0-9a-f]+\.tmp$/.test(name)) {
      await unlink(join(dir, name)).catch(() => undefined);
    } else if (/^store\.lock\.[0-9a-f]+\.tmp$/.test(name)) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && time - info.mtimeMs > 60_000) await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

function* allSealedValues(state: State): Generator<string> {
  for (const record of state.integrations.values()) yield record.authConfig;
  for (const record of state.connections.values()) yield record.credentials;
  for (const record of state.pendingAuth.values()) yield record.secrets;
}

function matches(record: SealedConnection, filter: ConnectionFilter): boolean {
  if (filter.app !== undefined && record.app !== filter.app) return false;
  if (filter.entityId !== undefined && record.entityId !== filter.entityId) return false;
  if (filter.integrationId !== undefined && record.integrationId !== filter.integrationId) return false;
  if (filter.status !== undefined) {
    const statuses: readonly string[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    if (!statuses.includes(record.status)) return false;
  }
  return true;
}

function byMostRecentlyUpdated(a: SealedConnection, b: SealedConnection): number {
  return b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id);
}
