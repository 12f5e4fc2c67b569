import { generateKeyPairSync } from 'node:crypto';
import { createToolset } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHubApp, type FakeGitHubApp } from '../test/fake-github-app.js';
import { githubConnector } from './index.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// GitHub's .pem files are PKCS#1.
const PRIVATE_KEY = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const WRONG_KEY = other.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('GitHub App installation auth (SIGNED_ASSERTION)', () => {
  let fake: FakeGitHubApp;
  let toolset: ReturnType<typeof createToolset>;

  beforeAll(async () => {
    fake = await startFakeGitHubApp({ publicKey, appId: '1234', clientId: 'Iv23liTest', installations: [42] });
    toolset = createToolset({ connectors: [githubConnector({ baseUrl: fake.url, webUrl: fake.url })] });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('asks the developer for the app id and private key and the user for the installation id', async () => {
    expect(
      toolset.getAuthSchemeForApp('github', 'SIGNED_ASSERTION').fields.map((field) => [field.name, field.suppliedBy]),
    ).toEqual([
      ['app_id', 'developer'],
      ['private_key', 'developer'],
      ['installation_id', 'user'],
    ]);
  });

  it('exchanges the app JWT for an installation token and acts with it; the private key never leaves the integration', async () => {
    const integration = await toolset.createIntegration({
      app: 'github',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: 'Iv23liTest', private_key: PRIVATE_KEY },
    });
    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'org-42',
      connectedAccountParams: { installation_id: '42' },
    });
    expect(request.connectionStatus).toBe('ACTIVE');
    expect(fake.issued).toHaveLength(1);
    const result = await toolset.executeAction(
      'GITHUB_LIST_REPOSITORIES_ACCESSIBLE_TO_THE_APP_INSTALLATION',
      {},
      { connectedAccountId: request.connectedAccountId },
    );
    expect(result).toMatchObject({ successful: true, data: { repositories: [{ full_name: 'org/repo' }] } });
    const last = fake.server.requests.at(-1);
    expect(last?.headers['authorization']).toBe(`Bearer ${fake.issued[0]}`);
    // Still valid for an hour: no second exchange.
    await toolset.executeAction(
      'GITHUB_LIST_REPOSITORIES_ACCESSIBLE_TO_THE_APP_INSTALLATION',
      {},
      {
        connectedAccountId: request.connectedAccountId,
      },
    );
    expect(fake.issued).toHaveLength(1);
    const connection = await toolset.getConnection(request.connectedAccountId);
    expect(JSON.stringify(connection)).not.toContain('PRIVATE KEY');
  });

  it('app-level endpoints take the app JWT itself (a connection without an installation id)', async () => {
    const integration = await toolset.createIntegration({
      app: 'github',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '1234', private_key: PRIVATE_KEY },
    });
    const app = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'the-app' });
    const result = await toolset.executeAction(
      'GITHUB_LIST_INSTALLATIONS_FOR_THE_AUTHENTICATED_APP',
      {},
      {
        connectedAccountId: app.connectedAccountId,
      },
    );
    expect(result).toMatchObject({ successful: true, data: { items: [{ id: 42 }] } });
    const me = await toolset.executeAction(
      'GITHUB_GET_THE_AUTHENTICATED_APP',
      {},
      { connectedAccountId: app.connectedAccountId },
    );
    expect(me).toMatchObject({ successful: true, data: { slug: 'plugboard-test' } });
    expect(fake.server.requests.at(-1)?.headers['authorization']).toMatch(/^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('a wrong key or an unknown installation fails at connection time with a clear error and no secret', async () => {
    const wrong = await toolset.createIntegration({
      app: 'github',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '1234', private_key: WRONG_KEY },
    });
    const refused = await toolset
      .initiateConnection({ integrationId: wrong.id, connectedAccountParams: { installation_id: '42' } })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'INVALID_CONNECTION_PARAMS', status: 401 });
    expect(JSON.stringify(refused)).not.toMatch(/PRIVATE KEY|eyJ/);
    const right = await toolset.createIntegration({
      app: 'github',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '1234', private_key: PRIVATE_KEY },
    });
    const unknown = await toolset
      .initiateConnection({ integrationId: right.id, connectedAccountParams: { installation_id: '9' } })
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 'INVALID_CONNECTION_PARAMS', status: 404 });
    const notNumber = await toolset
      .initiateConnection({ integrationId: right.id, connectedAccountParams: { installation_id: '../x' } })
      .catch((error: unknown) => error);
    expect(notNumber).toMatchObject({ code: 'INVALID_CONNECTION_PARAMS' });
  });

  it('accepts an app JWT or any documented token shape as a bearer token, and refuses whitespace', async () => {
    for (const token of ['ghs_abc123', 'github_pat_11ABC_def', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.c2ln-_x']) {
      const request = await toolset.initiateConnection({
        app: 'github',
        entityId: `bearer-${token.slice(0, 6)}`,
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token },
      });
      expect(request.connectionStatus).toBe('ACTIVE');
    }
    await expect(
      toolset.initiateConnection({ app: 'github', authMode: 'BEARER_TOKEN', connectedAccountParams: { token: 'a b' } }),
    ).rejects.toMatchObject({ code: 'INVALID_CONNECTION_PARAMS' });
  });
});
