import { join } from 'node:path';
import type { Store } from '@plugboard/core';
import { runStoreSuite } from '../../../core/test/store-suite.js';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';

const clocked = () => {
  let offset = 0;
  return { now: () => Date.now() + offset, advanceClock: (ms: number) => void (offset += ms) };
};

runStoreSuite('embeddedStore', {
  async create() {
    const { now, advanceClock } = clocked();
    const store = await embeddedStore({
      dir: join(await tempDir(), 'store'),
      keyring: (await testKeyring()).keyring,
      now,
    });
    return { store, advanceClock };
  },
});

// Every read goes through a second store on the same directory, opened from disk: what one
// process writes, another sees.
runStoreSuite('embeddedStore (read back through a second instance)', {
  async create() {
    const { now, advanceClock } = clocked();
    const dir = join(await tempDir(), 'store');
    const { keyring } = await testKeyring();
    const writer = await embeddedStore({ dir, keyring, now });
    const reader = await embeddedStore({ dir, keyring, now });
    const store: Store = {
      saveIntegration: (record) => writer.saveIntegration(record),
      getIntegration: (id) => reader.getIntegration(id),
      listIntegrations: (filter) => reader.listIntegrations(filter),
      deleteIntegration: (id) => writer.deleteIntegration(id),
      createConnection: (record) => writer.createConnection(record),
      getConnection: (id) => reader.getConnection(id),
      listConnections: (filter) => reader.listConnections(filter),
      updateConnection: (id, changes, options) =>
        (Math.random() < 0.5 ? writer : reader).updateConnection(id, changes, options),
      deleteConnection: (id) => reader.deleteConnection(id),
      savePendingAuth: (record) => writer.savePendingAuth(record),
      takePendingAuth: (state) => reader.takePendingAuth(state),
      acquireLock: (name, ttl) => (Math.random() < 0.5 ? writer : reader).acquireLock(name, ttl),
    };
    return { store, advanceClock };
  },
});

// A store closed and reopened from disk before every read.
runStoreSuite('embeddedStore (reopened from disk for every read)', {
  async create() {
    const { now, advanceClock } = clocked();
    const dir = join(await tempDir(), 'store');
    const { keyring } = await testKeyring();
    const writer = await embeddedStore({ dir, keyring, now });
    const fresh = async () => embeddedStore({ dir, keyring, now });
    const store: Store = {
      ...writer,
      getIntegration: async (id) => (await fresh()).getIntegration(id),
      listIntegrations: async (filter) => (await fresh()).listIntegrations(filter),
      getConnection: async (id) => (await fresh()).getConnection(id),
      listConnections: async (filter) => (await fresh()).listConnections(filter),
      takePendingAuth: async (state) => (await fresh()).takePendingAuth(state),
    };
    return { store, advanceClock };
  },
});
