import { PlugboardError, type ConnectionRecord, type IntegrationRecord, type Store } from '@plugboard/core';
import type { SecretCipher } from './cipher.js';
import {
  openConnection,
  openIntegration,
  sealConnection,
  sealIntegration,
  type SealedConnection,
  type SealedIntegration,
} from './records.js';

/**
 * A store's integrations and connections as one JSON document, secrets sealed with the exporting
 * key. Pending authorizations are not included: they live ten minutes and belong to one browser.
 */
export interface StoreDump {
  format: 'plugboard-store-dump';
  version: 1;
  exportedAt: string;
  /** The key the secrets are sealed with; the importing side needs it among its keys. */
  keyId: string;
  integrations: SealedIntegration[];
  connections: SealedConnection[];
}

export interface ImportSummary {
  integrations: { created: number; skipped: number };
  connections: { created: number; skipped: number };
}

export interface ImportOptions {
  /** What to do with a record whose id the target store already has: `fail` (default) or `skip`. */
  onExisting?: 'fail' | 'skip';
}

/** Reads every integration and connection from any `Store` into a dump. */
export async function exportStore(store: Store, cipher: SecretCipher): Promise<StoreDump> {
  const integrations = await store.listIntegrations();
  const connections = await store.listConnections();
  return {
    format: 'plugboard-store-dump',
    version: 1,
    exportedAt: new Date().toISOString(),
    keyId: cipher.currentKeyId,
    integrations: await Promise.all(integrations.map((record) => sealIntegration(cipher, record))),
    connections: await Promise.all(connections.map((record) => sealConnection(cipher, record))),
  };
}

/**
 * Writes a dump into any `Store`. Everything is checked first (format, every secret opens with
 * `cipher`'s keys, conflicts under `onExisting: 'fail'`), so a dump that cannot be imported whole
 * writes nothing.
 */
export async function importStore(
  store: Store,
  dump: unknown,
  cipher: SecretCipher,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const checked = checkDump(dump);
  const integrations: IntegrationRecord[] = [];
  for (const record of checked.integrations) integrations.push(await openIntegration(cipher, record));
  const connections: ConnectionRecord[] = [];
  for (const record of checked.connections) connections.push(await openConnection(cipher, record));

  const knownIntegrations = new Set(integrations.map((record) => record.id));
  const orphan = connections.find((record) => !knownIntegrations.has(record.integrationId));
  if (orphan !== undefined) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      `The dump's connection ${orphan.id} names integration ${orphan.integrationId}, which the dump does not contain. Nothing was imported.`,
    );
  }

  const existingIntegrations = new Set<string>();
  for (const record of integrations)
    if ((await store.getIntegration(record.id)) !== undefined) existingIntegrations.add(record.id);
  const existingConnections = new Set<string>();
  for (const record of connections)
    if ((await store.getConnection(record.id)) !== undefined) existingConnections.add(record.id);
  if ((options.onExisting ?? 'fail') === 'fail' && (existingIntegrations.size > 0 || existingConnections.size > 0)) {
    const ids = [...existingIntegrations, ...existingConnections];
    throw new PlugboardError(
      'STORE_CONFLICT',
      `The target store already has ${ids.length} of the dump's records (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''}). Nothing was imported; import with onExisting: 'skip' (--skip-existing) to keep the existing ones.`,
      { details: { ids } },
    );
  }

  const summary: ImportSummary = { integrations: { created: 0, skipped: 0 }, connections: { created: 0, skipped: 0 } };
  for (const record of integrations) {
    if (existingIntegrations.has(record.id)) summary.integrations.skipped += 1;
    else {
      await store.saveIntegration(record);
      summary.integrations.created += 1;
    }
  }
  for (const record of connections) {
    if (existingConnections.has(record.id)) summary.connections.skipped += 1;
    else {
      await store.createConnection(record);
      summary.connections.created += 1;
    }
  }
  return summary;
}

function checkDump(dump: unknown): StoreDump {
  const candidate = dump as Partial<StoreDump> | null;
  if (typeof candidate !== 'object' || candidate === null || candidate.format !== 'plugboard-store-dump') {
    throw new PlugboardError(
      'INVALID_PARAMS',
      'This is not a Plugboard store dump (no "format": "plugboard-store-dump"). Nothing was imported.',
    );
  }
  if (candidate.version !== 1) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      `This store dump has version ${String(candidate.version)}; this version of Plugboard reads version 1. Nothing was imported.`,
    );
  }
  if (!Array.isArray(candidate.integrations) || !Array.isArray(candidate.connections)) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      'This store dump has no integrations or connections list. Nothing was imported.',
    );
  }
  return candidate as StoreDump;
}
