export { createSecretCipher } from './cipher.js';
export type { SecretCipher } from './cipher.js';
export { createKeyring, generateSecretKey, parseSecretKey, SECRET_KEY_BYTES } from './keyring.js';
export type { Keyring, SecretKey } from './keyring.js';
export {
  openConnection,
  openIntegration,
  openPendingAuth,
  resealIfStale,
  sealConnection,
  sealContexts,
  sealIntegration,
  sealPendingAuth,
} from './records.js';
export type { SealedConnection, SealedIntegration, SealedPendingAuth } from './records.js';
export { exportStore, importStore } from './dump.js';
export type { ImportOptions, ImportSummary, StoreDump } from './dump.js';
