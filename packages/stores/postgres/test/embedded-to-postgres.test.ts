import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolset } from '@plugboard/core';
import { embeddedStore } from '@plugboard/store-embedded';
import { createSecretCipher, exportStore, importStore } from '@plugboard/store-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeApiKeyConnector, acmeOAuth2Connector, startAcmeApi } from './acme-connector.js';
import { freshStore, testKeyring, withClient } from './database.js';
import { CLIENT_ID, CLIENT_SECRET, startFakeProvider } from './fake-provider.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Long and distinctive, so finding it in a sealed column could only mean it was stored in clear.
const API_KEY = 'acme-api-key-that-moves-to-postgres';

/** Every row of the store's tables as one string, to search for plaintext. */
async function rowsOf(schema: string): Promise<string> {
  return withClient(async (client) => {
    const tables = ['integrations', 'connections', 'pending_auth'];
    const rows: unknown[] = [];
    for (const table of tables) rows.push((await client.query(`SELECT * FROM "${schema}".${table}`)).rows);
    return JSON.stringify(rows);
  });
}

describe('moving from the embedded store to PostgreSQL', () => {
  it('exports an embedded store and imports it with the same keyring: the connections execute from PostgreSQL, their secrets sealed there', async () => {
    const provider = await startFakeProvider();
    cleanups.push(() => provider.close());
    const api = await startAcmeApi(API_KEY);
    cleanups.push(() => api.close());
    const dir = await mkdtemp(join(tmpdir(), 'plugboard-embedded-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const keyring = await testKeyring;
    const cipher = createSecretCipher(keyring);

    // The embedded store, filled the way an application fills it.
    const embedded = await embeddedStore({ dir, keyring });
    cleanups.push(() => embedded.close());
    const oauth = createToolset({ connectors: [acmeOAuth2Connector(provider.origin)], store: embedded });
    const oauthIntegration = await oauth.createIntegration({
      app: 'acme',
      authMode: 'OAUTH2',
      authConfig: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    const tokens = provider.seedTokens();
    const stamp = new Date().toISOString();
    await embedded.createConnection({
      id: 'conn-oauth',
      integrationId: oauthIntegration.id,
      app: 'acme',
      authMode: 'OAUTH2',
      entityId: 'user-1',
      status: 'ACTIVE',
      credentials: { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'Bearer' },
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      version: 1,
      createdAt: stamp,
      updatedAt: stamp,
    });
    const apiKey = createToolset({ connectors: [acmeApiKeyConnector(api.url)], store: embedded });
    const apiKeyIntegration = await apiKey.createIntegration({ app: 'acme', authMode: 'API_KEY', authConfig: {} });
    const apiKeyRequest = await apiKey.initiateConnection({
      integrationId: apiKeyIntegration.id,
      entityId: 'user-2',
      connectedAccountParams: { api_key: API_KEY },
    });
    expect(apiKeyRequest.connectionStatus).toBe('ACTIVE');

    const dump = JSON.parse(JSON.stringify(await exportStore(embedded, cipher))) as { keyId: string };
    expect(dump.keyId).toBe(cipher.currentKeyId);
    const secrets = [CLIENT_SECRET, tokens.access_token, tokens.refresh_token, API_KEY];
    for (const secret of secrets) expect(JSON.stringify(dump)).not.toContain(secret);

    const postgres = await freshStore({ keyring });
    expect(await importStore(postgres, dump, cipher)).toEqual({
      integrations: { created: 2, skipped: 0 },
      connections: { created: 2, skipped: 0 },
    });
    expect(await postgres.listIntegrations()).toEqual(await embedded.listIntegrations());
    expect(await postgres.listConnections()).toEqual(await embedded.listConnections());
    await embedded.close();

    // Both connections work from PostgreSQL alone: the access token and the API key as imported...
    const fromPostgres = createToolset({ connectors: [acmeOAuth2Connector(provider.origin)], store: postgres });
    expect(await fromPostgres.executeAction('ACME_WHOAMI', {}, { connectedAccountId: 'conn-oauth' })).toMatchObject({
      successful: true,
      data: { ok: true },
    });
    const apiKeyFromPostgres = createToolset({ connectors: [acmeApiKeyConnector(api.url)], store: postgres });
    expect(await apiKeyFromPostgres.executeAction('ACME_WHOAMI', {}, { entityId: 'user-2' })).toMatchObject({
      successful: true,
      data: { ok: true },
    });
    expect(provider.tokenRequests).toEqual([]);

    // ...and the refresh token with the client secret: the provider refreshes only for its client.
    await postgres.updateConnection('conn-oauth', { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(await fromPostgres.executeAction('ACME_WHOAMI', {}, { connectedAccountId: 'conn-oauth' })).toMatchObject({
      successful: true,
    });
    expect(provider.tokenRequests).toEqual([{ grantType: 'refresh_token', outcome: 'issued' }]);
    const refreshed = await postgres.getConnection('conn-oauth');
    expect(refreshed?.credentials['refresh_token']).toBe(provider.validRefreshToken);
    expect(refreshed?.credentials['refresh_token']).not.toBe(tokens.refresh_token);

    // Not one secret in clear in any column, old or refreshed; every sealed value under the shared key.
    const raw = await rowsOf(postgres.schema);
    for (const secret of [...secrets, refreshed?.credentials['access_token'] ?? '', provider.validRefreshToken ?? '']) {
      expect(secret.length).toBeGreaterThan(10);
      expect(raw).not.toContain(secret);
    }
    const sealed = await withClient(async (client) => [
      ...(await client.query(`SELECT auth_config AS value FROM "${postgres.schema}".integrations`)).rows,
      ...(await client.query(`SELECT credentials AS value FROM "${postgres.schema}".connections`)).rows,
    ]);
    expect(sealed).toHaveLength(4);
    for (const { value } of sealed) expect(String(value)).toMatch(new RegExp(`^pb1\\.${cipher.currentKeyId}\\.`));
  });
});
