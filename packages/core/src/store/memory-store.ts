import { PlugboardError } from '../errors.js';
import type {
  ConnectionChanges,
  ConnectionFilter,
  ConnectionRecord,
  IntegrationRecord,
  PendingAuthRecord,
  Store,
  StoreLock,
} from './store.js';

/** Options of `memoryStore()`. */
export interface MemoryStoreOptions {
  /** The clock used for pending-auth and lock expiry. @default Date.now */
  now?: () => number;
}

/**
 * A store that lives in this process's memory: the default, good for tests, scripts and
 * single-process apps. Everything is lost when the process exits.
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const integrations = new Map<string, IntegrationRecord>();
  const connections = new Map<string, ConnectionRecord>();
  const pendingAuth = new Map<string, PendingAuthRecord>();
  const locks = new Map<string, { token: symbol; expiresAt: number }>();
  // Connection ids by entity: resolving credentials lists one entity's connections on every call,
  // which must not scan every connection of every user.
  const byEntity = new Map<string, Set<string>>();
  const index = (record: ConnectionRecord) => {
    let ids = byEntity.get(record.entityId);
    if (!ids) byEntity.set(record.entityId, (ids = new Set()));
    ids.add(record.id);
  };
  const unindex = (record: ConnectionRecord) => {
    const ids = byEntity.get(record.entityId);
    ids?.delete(record.id);
    if (ids?.size === 0) byEntity.delete(record.entityId);
  };
  const removeConnection = (id: string): boolean => {
    const record = connections.get(id);
    if (!record) return false;
    unindex(record);
    return connections.delete(id);
  };

  return {
    async saveIntegration(record) {
      integrations.set(record.id, structuredClone(record));
    },
    async getIntegration(id) {
      const record = integrations.get(id);
      return record && copyRecord(record);
    },
    async listIntegrations(filter = {}) {
      return [...integrations.values()]
        .filter((record) => filter.app === undefined || record.app === filter.app)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map((record) => copyRecord(record));
    },
    async deleteIntegration(id) {
      for (const connection of [...connections.values()]) {
        if (connection.integrationId === id) removeConnection(connection.id);
      }
      return integrations.delete(id);
    },

    async createConnection(record) {
      if (connections.has(record.id))
        throw new PlugboardError('STORE_CONFLICT', `A connection with id ${record.id} already exists.`);
      connections.set(record.id, structuredClone(record));
      index(record);
    },
    async getConnection(id) {
      const record = connections.get(id);
      return record && copyRecord(record);
    },
    async listConnections(filter = {}) {
      const candidates =
        filter.entityId === undefined
          ? [...connections.values()]
          : [...(byEntity.get(filter.entityId) ?? [])].map((id) => connections.get(id) as ConnectionRecord);
      return candidates
        .filter((record) => matchesConnection(record, filter))
        .sort(byMostRecentlyUpdated)
        .map((record) => copyRecord(record));
    },
    async findConnectionWithIntegration(lookup) {
      let record: ConnectionRecord | undefined;
      if ('connectionId' in lookup) record = connections.get(lookup.connectionId);
      else {
        const filter: ConnectionFilter = { app: lookup.app, entityId: lookup.entityId, status: 'ACTIVE' };
        for (const id of byEntity.get(lookup.entityId) ?? []) {
          const candidate = connections.get(id) as ConnectionRecord;
          if (matchesConnection(candidate, filter) && (!record || byMostRecentlyUpdated(candidate, record) < 0))
            record = candidate;
        }
      }
      if (!record) return undefined;
      const integration = integrations.get(record.integrationId);
      return { connection: copyRecord(record), integration: integration && copyRecord(integration) };
    },
    async updateConnection(id, changes: ConnectionChanges, updateOptions = {}) {
      const current = connections.get(id);
      if (!current) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
      if (updateOptions.expectedVersion !== undefined && current.version !== updateOptions.expectedVersion) {
        throw new PlugboardError(
          'STORE_CONFLICT',
          `Connection ${id} changed concurrently (version ${current.version}, expected ${updateOptions.expectedVersion}).`,
        );
      }
      const next: ConnectionRecord = { ...current, ...structuredClone(changes), id, version: current.version + 1 };
      unindex(current);
      connections.set(id, next);
      index(next);
      return copyRecord(next);
    },
    async deleteConnection(id) {
      return removeConnection(id);
    },

    async savePendingAuth(record) {
      pendingAuth.set(record.state, structuredClone(record));
    },
    async takePendingAuth(state) {
      const record = pendingAuth.get(state);
      pendingAuth.delete(state);
      if (!record || Date.parse(record.expiresAt) <= now()) return undefined;
      return record;
    },

    async acquireLock(name, ttlMs): Promise<StoreLock | undefined> {
      const held = locks.get(name);
      if (held && held.expiresAt > now()) return undefined;
      const token = Symbol(name);
      locks.set(name, { token, expiresAt: now() + ttlMs });
      return {
        async release() {
          if (locks.get(name)?.token === token) locks.delete(name);
        },
      };
    },
  };
}

/**
 * A deep copy of a stored record for a reader. What is stored went through structuredClone on
 * the way in, so it is plain data: objects and arrays are copied here, which is several times
 * faster than structuredClone (every execution reads two records); anything else (a Date, a Map)
 * and very deep or cyclic values still go through structuredClone.
 */
function copyRecord<T>(record: T): T {
  try {
    return copyPlain(record, 0) as T;
  } catch (error) {
    if (error !== TOO_DEEP) throw error;
    return structuredClone(record);
  }
}

const TOO_DEEP = Symbol('too deep');
const MAX_COPY_DEPTH = 32;

function copyPlain(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_COPY_DEPTH) throw TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => copyPlain(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyPlain((value as Record<string, unknown>)[key], depth + 1);
    // A stored key named "__proto__" stays a plain key, as structuredClone keeps it.
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

export function matchesConnection(record: ConnectionRecord, filter: ConnectionFilter): boolean {
  if (filter.app !== undefined && record.app !== filter.app) return false;
  if (filter.entityId !== undefined && record.entityId !== filter.entityId) return false;
  if (filter.integrationId !== undefined && record.integrationId !== filter.integrationId) return false;
  if (filter.status !== undefined) {
    const statuses: readonly string[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    if (!statuses.includes(record.status)) return false;
  }
  return true;
}

/** Most recently updated first, then by id: the deterministic order every store uses. */
export function byMostRecentlyUpdated(a: ConnectionRecord, b: ConnectionRecord): number {
  return b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id);
}
