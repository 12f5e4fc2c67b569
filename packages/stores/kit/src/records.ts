import type { ConnectionRecord, IntegrationRecord, PendingAuthRecord } from '@plugboard/core';
import type { SecretCipher } from './cipher.js';

// What every persistent store writes: the records as core defines them, with the secret-bearing
// fields replaced by sealed text. The embedded and Postgres stores share these shapes and
// contexts, which is what makes an export from one open in the other with the same key.

/** An integration at rest: `authConfig` (client secrets and all) sealed as one JSON value. */
export interface SealedIntegration extends Omit<IntegrationRecord, 'authConfig'> {
  authConfig: string;
}

/** A connection at rest: `credentials` (tokens, API keys, user fields) sealed as one JSON value. */
export interface SealedConnection extends Omit<ConnectionRecord, 'credentials'> {
  credentials: string;
}

/** A pending authorization at rest: the PKCE verifier and flow data sealed together. */
export interface SealedPendingAuth extends Omit<PendingAuthRecord, 'codeVerifier' | 'data'> {
  secrets: string;
}

/** The authenticated context of each sealed field: a sealed value only opens on its own record. */
export const sealContexts = {
  integration: (id: string) => `integration:${id}:authConfig`,
  connection: (id: string) => `connection:${id}:credentials`,
  pendingAuth: (state: string) => `pending-auth:${state}:secrets`,
};

export async function sealIntegration(cipher: SecretCipher, record: IntegrationRecord): Promise<SealedIntegration> {
  return { ...record, authConfig: await cipher.sealJson(record.authConfig, sealContexts.integration(record.id)) };
}

export async function openIntegration(cipher: SecretCipher, record: SealedIntegration): Promise<IntegrationRecord> {
  return {
    ...record,
    authConfig: await cipher.openJson<Record<string, unknown>>(record.authConfig, sealContexts.integration(record.id)),
  };
}

export async function sealConnection(cipher: SecretCipher, record: ConnectionRecord): Promise<SealedConnection> {
  return { ...record, credentials: await cipher.sealJson(record.credentials, sealContexts.connection(record.id)) };
}

export async function openConnection(cipher: SecretCipher, record: SealedConnection): Promise<ConnectionRecord> {
  return {
    ...record,
    credentials: await cipher.openJson<Record<string, string>>(record.credentials, sealContexts.connection(record.id)),
  };
}

export async function sealPendingAuth(cipher: SecretCipher, record: PendingAuthRecord): Promise<SealedPendingAuth> {
  const { codeVerifier, data, ...rest } = record;
  return { ...rest, secrets: await cipher.sealJson({ codeVerifier, data }, sealContexts.pendingAuth(record.state)) };
}

export async function openPendingAuth(cipher: SecretCipher, record: SealedPendingAuth): Promise<PendingAuthRecord> {
  const { secrets, ...rest } = record;
  const opened = await cipher.openJson<Pick<PendingAuthRecord, 'codeVerifier' | 'data'>>(
    secrets,
    sealContexts.pendingAuth(record.state),
  );
  const result: PendingAuthRecord = { ...rest };
  if (opened.codeVerifier !== undefined) result.codeVerifier = opened.codeVerifier;
  if (opened.data !== undefined) result.data = opened.data;
  return result;
}

/**
 * Opens a sealed value and seals it again with the current key, when it was sealed with an older
 * one; `undefined` when it is already current. What a store's `rotateSecrets()` does per field.
 */
export async function resealIfStale(
  cipher: SecretCipher,
  sealed: string,
  context: string,
): Promise<string | undefined> {
  if (!cipher.isStale(sealed)) return undefined;
  return cipher.seal(await cipher.open(sealed, context), context);
}
