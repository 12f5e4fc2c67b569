import { join } from 'node:path';
import type { Store } from '@plugboard/core';
import { runStoreConformance } from '@plugboard/testkit';
import { embeddedStore } from '../src/index.js';
import { tempDir, testKeyring } from './helpers.js';

runStoreConformance(
  async ({ now }) =>
    embeddedStore({ dir: join(await tempDir(), 'store'), keyring: (await testKeyring()).keyring, now }),
  { name: 'embeddedStore' },
);

// Every read goes through a second store on the same directory, opened from disk: what one
// process writes, another sees.
runStoreConformance(
  async ({ now }) => {
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
      findConnectionWithIntegration: (lookup) => reader.findConnectionWithIntegration(lookup),
      updateConnection: (id, changes, options) =>
        (Math.random() < 0.5 ? writer : reader).updateConnection(id, changes, options),
      deleteConnection: (id) => reader.deleteConnection(id),
      savePendingAuth: (record) => writer.savePendingAuth(record),
      takePendingAuth: (state) => reader.takePendingAuth(state),
      acquireLock: (name, ttl) => (Math.random() < 0.5 ? writer : reader).acquireLock(name, ttl),
    };
    return store;
  },
  { name: 'embeddedStore (read back through a second instance)' },
);

// A store closed and reopened from disk before every read.
runStoreConformance(
  async ({ now }) => {
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
      findConnectionWithIntegration: async (lookup) => (await fresh()).findConnectionWithIntegration(lookup),
      takePendingAuth: async (state) => (await fresh()).takePendingAuth(state),
    };
    return store;
  },
  { name: 'embeddedStore (reopened from disk for every read)' },
);
