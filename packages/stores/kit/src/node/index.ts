export { loadKeyring, beginKeyFileRotation, finishKeyFileRotation } from './key-file.js';
export type { LoadedKeyring, LoadKeyringOptions } from './key-file.js';
