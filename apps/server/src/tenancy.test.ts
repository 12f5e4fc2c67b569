import { startFakeOAuth2Server, type FakeOAuth2Server } from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, PUBLIC_URL, startTestServer, type TestServer } from '../test/server-harness.js';

let harness: TestServer;
let oauth: FakeOAuth2Server;
let ownerKey: string;
let otherKey: string;
const ids = { integration: '', oauthIntegration: '', connection: '', apiKey: '', state: '', callback: '' };

beforeAll(async () => {
  oauth = await startFakeOAuth2Server({
    pathPrefix: '/login/oauth',
    tokenPath: 'access_token',
    responseFormat: 'form-unless-accept-json',
    scopeSeparator: 'comma',
    tokenType: 'bearer',
    errorsWithStatus200: true,
    clients: [],
  });
  harness = await startTestServer({
    reroute: { 'https://github.com/login/oauth': oauth.url },
    acceptToken: (token) => oauth.isAccessTokenActive(token),
  });
  ownerKey = harness.projects[0].key;
  otherKey = harness.projects[1].key;
  const owner = harness.projects[0].id;

  const integration = await harness.call('/v1/integrations', {
    key: ownerKey,
    body: { app: 'github', authMode: 'BEARER_TOKEN' },
  });
  ids.integration = integration.json.id;
  const connection = await harness.call('/v1/connections', {
    key: ownerKey,
    body: { integrationId: ids.integration, entityId: 'user-1', connectedAccountParams: { token: PAT } },
  });
  ids.connection = connection.json.id;

  oauth.addClient({
    clientId: 'Ov23liServer0001',
    clientSecret: 'oauth-server-secret-0123456789',
    redirectUris: [`${PUBLIC_URL}/v1/oauth/callback/${owner}`],
  });
  const oauthIntegration = await harness.call('/v1/integrations', {
    key: ownerKey,
    body: {
      app: 'github',
      authMode: 'OAUTH2',
      authConfig: { client_id: 'Ov23liServer0001', client_secret: 'oauth-server-secret-0123456789' },
    },
  });
  ids.oauthIntegration = oauthIntegration.json.id;
  const created = await harness.call('/v1/api-keys', { key: ownerKey, body: { name: 'ci', scope: 'execute' } });
  ids.apiKey = created.json.apiKey.id;
});
afterAll(async () => {
  await harness.close();
  await oauth.close();
});

/** The provider's consent step: follows the authorization URL to the callback URL it redirects to. */
async function authorize(redirectUrl: string): Promise<URL> {
  const atFake = redirectUrl.replace('https://github.com/login/oauth', `${oauth.url}/login/oauth`);
  const answer = await fetch(atFake, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') as string);
}

describe('OAuth through the server', () => {
  it('connects with the provider, completes on the callback route without a key, and refreshes', async () => {
    const initiated = await harness.call('/v1/connections', {
      key: ownerKey,
      body: { integrationId: ids.oauthIntegration, entityId: 'user-oauth' },
    });
    expect(initiated.status).toBe(201);
    expect(initiated.json.status).toBe('INITIATED');
    const redirect = new URL(initiated.json.redirectUrl);
    expect(redirect.origin + redirect.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(redirect.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/v1/oauth/callback/${harness.projects[0].id}`);
    expect(initiated.text).not.toContain('oauth-server-secret');

    const callback = await authorize(initiated.json.redirectUrl);
    ids.state = callback.searchParams.get('state') as string;
    ids.callback = `${callback.pathname}${callback.search}`;

    // Another project's callback route with this state: refused as unknown, and the state is not spent.
    const elsewhere = await harness.call(`/v1/oauth/callback/${harness.projects[1].id}${callback.search}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('OAUTH_STATE_INVALID');
    const nowhere = await harness.call(`/v1/oauth/callback/proj_doesnotexist00000${callback.search}`);
    expect(nowhere.status).toBe(400);
    expect(nowhere.text).toBe(elsewhere.text);

    const done = await harness.call(ids.callback);
    expect(done.status).toBe(200);
    expect(done.text).toContain('connected');
    const replayed = await harness.call(ids.callback);
    expect(replayed.status).toBe(400);

    const connection = await harness.call(`/v1/connections/${initiated.json.id}`, { key: ownerKey });
    expect(connection.json).toMatchObject({ status: 'ACTIVE', entityId: 'user-oauth' });
    const executed = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: ownerKey,
      body: { input: { owner: 'octocat', repo: 'Hello-World', pull_number: 3 }, entityId: 'user-oauth' },
    });
    expect(executed.json).toMatchObject({ successful: true, data: { number: 3 } });

    const notRefreshable = await harness.call(`/v1/connections/${ids.connection}/refresh`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(notRefreshable.json).toMatchObject({ status: 400, code: 'UNSUPPORTED_AUTH_MODE' });
    const refreshed = await harness.call(`/v1/connections/${initiated.json.id}/refresh`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.status).toBe('ACTIVE');
    expect(oauth.tokenRequests.map((request) => request.form?.['grant_type'])).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
  });
});

describe("a key never reaches another project's data", () => {
  it("answers 404 for the other project's integration, connection and key ids on every route, revealing nothing", async () => {
    const { integration, connection, apiKey } = ids;
    const input = { owner: 'octocat', repo: 'Hello-World', pull_number: 1 };
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/integrations/${integration}`],
      ['GET', `/v1/integrations/${integration}/expected-params`],
      ['DELETE', `/v1/integrations/${integration}`],
      ['POST', '/v1/connections', { integrationId: integration, connectedAccountParams: { token: PAT } }],
      ['POST', '/v1/connections', { connectionId: connection, connectedAccountParams: { token: PAT } }],
      ['GET', `/v1/connections/${connection}`],
      ['POST', `/v1/connections/${connection}/refresh`],
      ['DELETE', `/v1/connections/${connection}`],
      ['POST', '/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', { input, connectedAccountId: connection }],
      ['POST', '/v1/proxy', { app: 'github', method: 'GET', path: '/user', connectedAccountId: connection }],
      ['POST', '/v1/tools/execute', { format: 'anthropic', response: { content: [] }, connectedAccountId: connection }],
      ['POST', `/v1/api-keys/${apiKey}/revoke`],
      ['POST', `/v1/api-keys/${apiKey}/rotate`, {}],
    ];
    const before = harness.github.requests.length;
    for (const [method, path, body] of attempts) {
      const answer = await harness.call(path, { key: otherKey, method, body });
      expect({ route: `${method} ${path}`, status: answer.status }).toEqual({
        route: `${method} ${path}`,
        status: 404,
      });
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.text).not.toContain(harness.projects[0].id);
      expect(answer.text).not.toContain('user-1');
    }
    expect(harness.github.requests.length).toBe(before);

    // Lists and the entity's connections show the other project nothing.
    expect((await harness.call('/v1/integrations', { key: otherKey })).json.items).toEqual([]);
    expect((await harness.call(`/v1/connections?integrationId=${integration}`, { key: otherKey })).json.items).toEqual(
      [],
    );
    expect((await harness.call('/v1/connections?entityId=user-1', { key: otherKey })).json.items).toEqual([]);
    expect(
      (await harness.call('/v1/api-keys', { key: otherKey })).json.items.map((key: { id: string }) => key.id),
    ).not.toContain(apiKey);
    const byEntity = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: otherKey,
      body: { input, entityId: 'user-1' },
    });
    expect(byEntity.json).toMatchObject({ status: 409, code: 'NO_CREDENTIALS' });
    expect(harness.github.requests.length).toBe(before);

    // Everything is still there for its owner.
    expect((await harness.call(`/v1/integrations/${integration}`, { key: ownerKey })).status).toBe(200);
    expect((await harness.call(`/v1/connections/${connection}`, { key: ownerKey })).json.status).toBe('ACTIVE');
    expect((await harness.call('/v1/project', { key: otherKey })).json.id).toBe(harness.projects[1].id);
  });
});

describe('API keys', () => {
  it('refuses a missing, malformed, unknown or tampered key with the same 401', async () => {
    const [id, secret] = [ownerKey.slice(0, 20), ownerKey.slice(21)];
    const tampered = `${id}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const answers = await Promise.all(
      [undefined, 'not-a-key', `pbk_${'0'.repeat(16)}_${'A'.repeat(43)}`, tampered].map((key) =>
        harness.call('/v1/apps', { key }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect((await harness.call('/v1/apps', { headers: { 'x-api-key': ownerKey } })).status).toBe(200);
  });

  it('shows a key once, stores only its hash, scopes it, rotates it and revokes it', async () => {
    const created = await harness.call('/v1/api-keys', { key: ownerKey, body: { name: 'worker', scope: 'execute' } });
    expect(created.status).toBe(201);
    const executeKey = created.json.key as string;
    expect(executeKey).toMatch(/^pbk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.json.apiKey).toMatchObject({
      name: 'worker',
      scope: 'execute',
      revokedAt: null,
      prefix: executeKey.slice(0, 12),
    });
    const listed = await harness.call('/v1/api-keys', { key: ownerKey });
    expect(listed.text).not.toContain(executeKey.slice(21));
    const { readFile } = await import('node:fs/promises');
    const stored = await readFile(`${harness.dataDir}/server.json`, 'utf8');
    expect(stored).not.toContain(executeKey.slice(21));
    expect(stored).not.toContain(ownerKey.slice(21));

    // An execute key runs actions and reads the catalogue, and manages nothing.
    expect((await harness.call('/v1/apps', { key: executeKey })).status).toBe(200);
    const ran = await harness.call('/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
      key: executeKey,
      body: { input: { owner: 'o', repo: 'r', pull_number: 2 }, entityId: 'user-1' },
    });
    expect(ran.json).toMatchObject({ successful: true });
    for (const [method, path, body] of [
      ['GET', '/v1/integrations'],
      ['POST', '/v1/integrations', { app: 'github', authMode: 'BEARER_TOKEN' }],
      ['GET', `/v1/connections/${ids.connection}`],
      ['DELETE', `/v1/connections/${ids.connection}`],
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'escalate', scope: 'admin' }],
    ] as Array<[string, string, unknown?]>) {
      const answer = await harness.call(path, { key: executeKey, method, body });
      expect({ route: `${method} ${path}`, status: answer.status, code: answer.json.code }).toEqual({
        route: `${method} ${path}`,
        status: 403,
        code: 'FORBIDDEN',
      });
    }

    // Rotation with a grace period: both keys work until it ends; then only the new one.
    const rotated = await harness.call(`/v1/api-keys/${created.json.apiKey.id}/rotate`, {
      key: ownerKey,
      body: { gracePeriodSeconds: 60 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.json.apiKey).toMatchObject({ name: 'worker', scope: 'execute' });
    expect(rotated.json.previous.expiresAt).not.toBeNull();
    expect((await harness.call('/v1/apps', { key: executeKey })).status).toBe(200);
    expect((await harness.call('/v1/apps', { key: rotated.json.key })).status).toBe(200);

    // Rotation without one retires the old key at once.
    const again = await harness.call(`/v1/api-keys/${rotated.json.apiKey.id}/rotate`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(again.status).toBe(201);
    expect((await harness.call('/v1/apps', { key: rotated.json.key })).status).toBe(401);
    expect((await harness.call('/v1/apps', { key: again.json.key })).status).toBe(200);

    const revoked = await harness.call(`/v1/api-keys/${again.json.apiKey.id}/revoke`, {
      key: ownerKey,
      method: 'POST',
    });
    expect(revoked.json.revokedAt).not.toBeNull();
    expect((await harness.call('/v1/apps', { key: again.json.key })).status).toBe(401);
  });
});
