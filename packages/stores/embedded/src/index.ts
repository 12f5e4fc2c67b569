export { embeddedStore, defaultStoreDir } from './embedded-store.js';
export type { EmbeddedStore, EmbeddedStoreOptions } from './embedded-store.js';
