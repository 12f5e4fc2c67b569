// Written the way a store author outside this repo would: only the packages' public entry points.
// The test kit's own entry is imported by path, not by name: a self-reference resolves to dist/,
// which a typecheck running before this package's build would not find.
import { type ConnectionRecord, memoryStore, PlugboardError, type Store } from '@plugboard/core';
import { runStoreConformance } from './index.js';

runStoreConformance(({ now }) => memoryStore({ now }), { name: 'memoryStore' });

/**
 * A key-value store in the manner of Redis: every record is a JSON string under a prefixed key,
 * and each operation reads and writes whole values. Small, but a complete Store.
 */
function keyValueStore(options: { now: () => number }): Store {
  const values = new Map<string, string>();
  const read = <T>(key: string): T | undefined => {
    const value = values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  };
  const write = (key: string, value: unknown) => values.set(key, JSON.stringify(value));
  const all = <T>(prefix: string): T[] =>
    [...values.keys()].filter((key) => key.startsWith(prefix)).map((key) => read<T>(key) as T);
  let lockCounter = 0;

  return {
    async saveIntegration(record) {
      write(`integration:${record.id}`, record);
    },
    async getIntegration(id) {
      return read(`integration:${id}`);
    },
    async listIntegrations(filter = {}) {
      return all<Awaited<ReturnType<Store['getIntegration']>> & object>('integration:')
        .filter((record) => filter.app === undefined || record.app === filter.app)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async deleteIntegration(id) {
      for (const connection of all<ConnectionRecord>('connection:')) {
        if (connection.integrationId === id) values.delete(`connection:${connection.id}`);
      }
      return values.delete(`integration:${id}`);
    },
    async createConnection(record) {
      if (values.has(`connection:${record.id}`))
        throw new PlugboardError('STORE_CONFLICT', `Connection ${record.id} exists.`);
      write(`connection:${record.id}`, record);
    },
    async getConnection(id) {
      return read(`connection:${id}`);
    },
    async listConnections(filter = {}) {
      const statuses = filter.status === undefined ? undefined : [filter.status].flat();
      return all<ConnectionRecord>('connection:')
        .filter(
          (record) =>
            (filter.app === undefined || record.app === filter.app) &&
            (filter.entityId === undefined || record.entityId === filter.entityId) &&
            (filter.integrationId === undefined || record.integrationId === filter.integrationId) &&
            (statuses === undefined || statuses.includes(record.status)),
        )
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
    },
    async updateConnection(id, changes, updateOptions = {}) {
      const current = read<ConnectionRecord>(`connection:${id}`);
      if (!current) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection ${id}.`);
      if (updateOptions.expectedVersion !== undefined && current.version !== updateOptions.expectedVersion)
        throw new PlugboardError('STORE_CONFLICT', `Connection ${id} changed concurrently.`);
      const next = { ...current, ...changes, id, version: current.version + 1 };
      write(`connection:${id}`, next);
      return next;
    },
    async deleteConnection(id) {
      return values.delete(`connection:${id}`);
    },
    async savePendingAuth(record) {
      write(`pending:${record.state}`, record);
    },
    async takePendingAuth(state) {
      const record = read<{ expiresAt: string }>(`pending:${state}`);
      values.delete(`pending:${state}`);
      if (!record || Date.parse(record.expiresAt) <= options.now()) return undefined;
      return record as Awaited<ReturnType<Store['takePendingAuth']>>;
    },
    async acquireLock(name, ttlMs) {
      const held = read<{ holder: number; expiresAt: number }>(`lock:${name}`);
      if (held && held.expiresAt > options.now()) return undefined;
      const holder = ++lockCounter;
      write(`lock:${name}`, { holder, expiresAt: options.now() + ttlMs });
      return {
        async release() {
          if (read<{ holder: number }>(`lock:${name}`)?.holder === holder) values.delete(`lock:${name}`);
        },
      };
    },
  };
}

runStoreConformance(({ now }) => keyValueStore({ now }), { name: 'a store written outside the repo' });
