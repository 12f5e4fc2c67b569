// Where the demo keeps integrations and connections: the embedded store, in the demo directory.

import type { Store } from '@plugboard/core';
import { embeddedStore } from '@plugboard/store-embedded';

export interface DemoStore {
  store: Store;
  /** What kind of store it is, for the narration. */
  kind: string;
  /** Opens the same directory again, as another process would. */
  reopen(): Promise<{ store: Store; close(): Promise<void> }>;
  close(): Promise<void>;
}

// `env: {}`: the demo's secrets are sealed with the key file in its own directory, never with a
// PLUGBOARD_SECRET_KEY you may have set for real use.
export async function openDemoStore(dir: string): Promise<DemoStore> {
  const store = await embeddedStore({ dir, env: {} });
  return {
    store,
    kind: `@plugboard/store-embedded (${store.keySource === 'file' ? 'store.jsonl, its key in secret.key' : `store.jsonl, key from ${store.keySource}`})`,
    reopen: async () => {
      const again = await embeddedStore({ dir, env: {} });
      return { store: again, close: () => again.close() };
    },
    close: () => store.close(),
  };
}
