import { describe, expect, it } from 'vitest';
import { errorOf } from '@plugboard/fakes';
import { memoryStore, type PlugboardError, type ConnectionRecord, type IntegrationRecord } from '@plugboard/core';
import {
  createKeyring,
  createSecretCipher,
  exportStore,
  generateSecretKey,
  importStore,
  openConnection,
  openPendingAuth,
  resealIfStale,
  sealConnection,
  sealContexts,
  sealIntegration,
  sealPendingAuth,
} from '../src/index.js';

const NOW = '2026-11-22T09:00:00.000Z';

function integration(id: string): IntegrationRecord {
  return {
    id,
    app: 'github',
    authMode: 'OAUTH2',
    name: `GitHub ${id}`,
    authConfig: { client_id: 'Iv1.abc', client_secret: `cs-${id}-secret` },
    usesDefaultOAuthApp: false,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function connection(id: string, integrationId: string): ConnectionRecord {
  return {
    id,
    integrationId,
    app: 'github',
    authMode: 'OAUTH2',
    entityId: `user-${id}`,
    status: 'ACTIVE',
    credentials: { access_token: `gho_${id}_access`, refresh_token: `ghr_${id}_refresh` },
    expiresAt: '2026-11-22T10:00:00.000Z',
    version: 3,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

describe('sealed records', () => {
  it('seal only the secret-bearing fields and open back to the same record', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const record = connection('c1', 'i1');
    const sealed = await sealConnection(cipher, record);
    expect(JSON.stringify(sealed)).not.toContain('gho_c1_access');
    expect(JSON.stringify(sealed)).not.toContain('ghr_c1_refresh');
    expect(sealed.entityId).toBe('user-c1');
    expect(sealed.version).toBe(3);
    expect(await openConnection(cipher, sealed)).toEqual(record);

    const sealedIntegration = await sealIntegration(cipher, integration('i1'));
    expect(JSON.stringify(sealedIntegration)).not.toContain('cs-i1-secret');
    // A connection's sealed credentials do not open as another connection's.
    const swapped = { ...(await sealConnection(cipher, connection('c2', 'i1'))), credentials: sealed.credentials };
    expect((await errorOf<PlugboardError>(openConnection(cipher, swapped))).code).toBe('SECRET_KEY_INVALID');
  });

  it('seal the PKCE verifier and flow data of a pending authorization, and leave absent fields absent', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const full = {
      state: 's1',
      connectionId: 'c1',
      integrationId: 'i1',
      redirectUri: 'http://127.0.0.1/cb',
      codeVerifier: 'verifier-123',
      expiresAt: NOW,
      data: { oauthTokenSecret: 'ts-9' },
    };
    const sealed = await sealPendingAuth(cipher, full);
    expect(JSON.stringify(sealed)).not.toContain('verifier-123');
    expect(JSON.stringify(sealed)).not.toContain('ts-9');
    expect(await openPendingAuth(cipher, sealed)).toEqual(full);
    const bare = { state: 's2', connectionId: 'c1', integrationId: 'i1', expiresAt: NOW };
    const opened = await openPendingAuth(cipher, await sealPendingAuth(cipher, bare));
    expect(opened).toEqual(bare);
    expect(Object.keys(opened)).not.toContain('codeVerifier');
  });

  it('re-seal a value only when it was sealed with an older key', async () => {
    const oldKey = generateSecretKey();
    const old = createSecretCipher(await createKeyring(oldKey));
    const rotating = createSecretCipher(await createKeyring(generateSecretKey(), [oldKey]));
    const context = sealContexts.connection('c1');
    const sealed = await old.seal('v', context);
    const resealed = await resealIfStale(rotating, sealed, context);
    expect(resealed).toBeDefined();
    expect(rotating.keyIdOf(resealed!)).toBe(rotating.currentKeyId);
    expect(await rotating.open(resealed!, context)).toBe('v');
    expect(await resealIfStale(rotating, resealed!, context)).toBeUndefined();
  });
});

describe('exportStore and importStore', () => {
  async function seededStore() {
    const store = memoryStore();
    for (const id of ['i1', 'i2']) await store.saveIntegration(integration(id));
    await store.createConnection(connection('c1', 'i1'));
    await store.createConnection(connection('c2', 'i1'));
    await store.createConnection(connection('c3', 'i2'));
    return store;
  }

  it('move every integration and connection between stores, secrets sealed in the dump', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const source = await seededStore();
    const dump = await exportStore(source, cipher);
    const text = JSON.stringify(dump);
    for (const secret of ['gho_c1_access', 'ghr_c3_refresh', 'cs-i2-secret']) expect(text).not.toContain(secret);
    expect(dump.keyId).toBe(cipher.currentKeyId);

    const target = memoryStore();
    const summary = await importStore(target, JSON.parse(text), cipher);
    expect(summary).toEqual({ integrations: { created: 2, skipped: 0 }, connections: { created: 3, skipped: 0 } });
    expect(await target.listConnections()).toEqual(await source.listConnections());
    expect(await target.listIntegrations()).toEqual(await source.listIntegrations());
    expect((await target.getConnection('c2'))?.version).toBe(3);
  });

  it('write nothing when the importing keys cannot open the dump', async () => {
    const dump = await exportStore(await seededStore(), createSecretCipher(await createKeyring(generateSecretKey())));
    const target = memoryStore();
    const error = await errorOf<PlugboardError>(
      importStore(target, dump, createSecretCipher(await createKeyring(generateSecretKey()))),
    );
    expect(error.code).toBe('SECRET_KEY_INVALID');
    expect(error.message).toContain(dump.keyId);
    expect(await target.listIntegrations()).toEqual([]);
    expect(await target.listConnections()).toEqual([]);
  });

  it('write nothing on a conflict by default, and skip existing records when asked', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const dump = await exportStore(await seededStore(), cipher);
    const target = memoryStore();
    await target.saveIntegration({ ...integration('i2'), name: 'kept' });
    const conflict = await errorOf<PlugboardError>(importStore(target, dump, cipher));
    expect(conflict.code).toBe('STORE_CONFLICT');
    expect(conflict.message).toContain('i2');
    expect(await target.listConnections()).toEqual([]);

    const summary = await importStore(target, dump, cipher, { onExisting: 'skip' });
    expect(summary).toEqual({ integrations: { created: 1, skipped: 1 }, connections: { created: 3, skipped: 0 } });
    expect((await target.getIntegration('i2'))?.name).toBe('kept');
  });

  it('refuse what is not a dump, a newer version and a connection without its integration', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const target = memoryStore();
    const dump = await exportStore(await seededStore(), cipher);
    for (const bad of [
      null,
      'text',
      { format: 'other' },
      { ...dump, version: 2 },
      { ...dump, connections: undefined },
    ]) {
      expect((await errorOf<PlugboardError>(importStore(target, bad, cipher))).code).toBe('INVALID_PARAMS');
    }
    const orphan = await errorOf<PlugboardError>(
      importStore(target, { ...dump, integrations: dump.integrations.filter((record) => record.id !== 'i2') }, cipher),
    );
    expect(orphan.code).toBe('INVALID_PARAMS');
    expect(orphan.message).toContain('c3');
    expect(await target.listIntegrations()).toEqual([]);
  });
});
