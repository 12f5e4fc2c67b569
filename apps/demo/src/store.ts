// Where the demo keeps integrations and connections.

import { memoryStore, type Store } from '@plugboard/core';

export interface DemoStore {
  store: Store;
  /** What kind of store it is, for the narration. */
  kind: string;
  close(): Promise<void>;
}

export async function openDemoStore(_dir: string): Promise<DemoStore> {
  return { store: memoryStore(), kind: 'memoryStore()', close: async () => {} };
}
