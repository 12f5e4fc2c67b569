import {
  githubOAuth2Options,
  githubOAuthClient,
  startFakeOAuth2Server,
  type FakeOAuth2Server,
} from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_URL, startTestServer, type TestServer } from '../test/server-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';

const CLIENT_SECRET = 'oauth-webhook-secret-0123456789';
let harness: TestServer;
let oauth: FakeOAuth2Server;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // GitHub's web flow; the app is registered once the project, and so its callback URL, exists.
  oauth = await startFakeOAuth2Server(githubOAuth2Options([]));
  harness = await startTestServer({
    reroute: { 'https://github.com/login/oauth': oauth.url },
    acceptToken: (token) => oauth.isAccessTokenActive(token),
    webhooks: { retry: { initialDelayMs: 100 } },
  });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await harness.close();
  await oauth.close();
  await receiver.close();
});

describe('OAuth connection events as webhooks', () => {
  it('sends created, active, refresh_failed, needs_reauth, and active for the same id after a re-connect in place', async () => {
    const [project] = harness.projects;
    // A GitHub App: expiring user tokens and refresh tokens, which the provider may refuse.
    oauth.addClient(
      githubOAuthClient({
        clientId: 'Iv23liWebhooks001',
        clientSecret: CLIENT_SECRET,
        callbackUrls: [`${PUBLIC_URL}/v1/oauth/callback/${project.id}`],
        kind: 'github_app',
      }),
    );
    const endpoint = await harness.call('/v1/webhook-endpoints', { key: project.key, body: { url: receiver.url } });
    receiver.secret = endpoint.json.secret;
    const integration = await harness.call('/v1/integrations', {
      key: project.key,
      body: {
        app: 'github',
        authMode: 'OAUTH2',
        authConfig: { client_id: 'Iv23liWebhooks001', client_secret: CLIENT_SECRET },
      },
    });
    const initiated = await harness.call('/v1/connections', {
      key: project.key,
      body: { integrationId: integration.json.id, entityId: 'user-oauth-hooks' },
    });
    expect(initiated.json.status).toBe('INITIATED');
    const [created] = await receiver.waitFor(1);
    expect(created?.payload).toMatchObject({
      type: 'connection.created',
      data: { connection: { id: initiated.json.id, status: 'INITIATED', authMode: 'OAUTH2' } },
    });

    // The user consents at the provider, which sends them back to the server's callback.
    const consent = await fetch(
      initiated.json.redirectUrl.replace('https://github.com/login/oauth', `${oauth.url}/login/oauth`),
      {
        redirect: 'manual',
      },
    );
    const callback = new URL(consent.headers.get('location') as string);
    expect((await harness.call(`${callback.pathname}${callback.search}`)).status).toBe(200);
    const [, active] = await receiver.waitFor(2);
    expect(active?.payload).toMatchObject({
      type: 'connection.active',
      data: { connection: { id: initiated.json.id, status: 'ACTIVE' }, previousStatus: 'INITIATED' },
    });

    // A refresh that fails for a passing reason: the connection stays ACTIVE, the app hears of it.
    // The first try and core's two retries of a refresh.
    oauth.failNextTokenRequests(3, 503);
    const failedRefresh = await harness.call(`/v1/connections/${initiated.json.id}/refresh`, {
      key: project.key,
      method: 'POST',
    });
    expect(failedRefresh.status).toBeGreaterThanOrEqual(400);
    const [, , refreshFailed] = await receiver.waitFor(3);
    expect(refreshFailed?.payload).toMatchObject({
      type: 'connection.refresh_failed',
      data: { connection: { id: initiated.json.id, status: 'ACTIVE' }, error: { code: 'REFRESH_FAILED' } },
    });

    // The provider refuses the refresh token: the user must connect again.
    const refreshToken = oauth.issuedTokens.at(-1)?.refreshToken as string;
    expect(oauth.revokeRefreshToken(refreshToken)).toBe(true);
    const refused = await harness.call(`/v1/connections/${initiated.json.id}/refresh`, {
      key: project.key,
      method: 'POST',
    });
    expect(refused.json.code).toBe('NEEDS_REAUTH');
    const messages = await receiver.waitFor(5);
    const lastTwo = messages.slice(3).map((message) => message.payload?.type);
    expect(lastTwo.sort()).toEqual(['connection.needs_reauth', 'connection.refresh_failed']);
    const needsReauth = messages.find((message) => message.payload?.type === 'connection.needs_reauth');
    expect(needsReauth?.payload).toMatchObject({
      data: {
        connection: { id: initiated.json.id, status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH' } },
        previousStatus: 'ACTIVE',
      },
    });
    expect(messages.every((message) => message.refusedWith === undefined)).toBe(true);

    // The user re-connects the same connection in place: the app hears `connection.active` for the id it knows.
    const reconnect = await harness.call('/v1/connections', {
      key: project.key,
      body: { connectionId: initiated.json.id },
    });
    expect(reconnect.status).toBe(201);
    expect(reconnect.json).toMatchObject({
      id: initiated.json.id,
      integrationId: integration.json.id,
      status: 'EXPIRED',
    });
    const reconsent = await fetch(
      reconnect.json.redirectUrl.replace('https://github.com/login/oauth', `${oauth.url}/login/oauth`),
      { redirect: 'manual' },
    );
    const recallback = new URL(reconsent.headers.get('location') as string);
    expect((await harness.call(`${recallback.pathname}${recallback.search}`)).status).toBe(200);
    const all = await receiver.waitFor(6);
    expect(all[5]?.payload).toMatchObject({
      type: 'connection.active',
      data: { connection: { id: initiated.json.id, status: 'ACTIVE' }, previousStatus: 'EXPIRED' },
    });
    const again = await harness.call(`/v1/connections/${initiated.json.id}`, { key: project.key });
    expect(again.json).toMatchObject({ id: initiated.json.id, status: 'ACTIVE', entityId: 'user-oauth-hooks' });
    const listed = await harness.call('/v1/connections?entityId=user-oauth-hooks', { key: project.key });
    expect(listed.json.items).toHaveLength(1);
    // An ACTIVE connection is not re-connected.
    const refusedAgain = await harness.call('/v1/connections', {
      key: project.key,
      body: { connectionId: initiated.json.id },
    });
    expect(refusedAgain.status).toBe(409);
    expect(refusedAgain.json.code).toBe('CONNECTION_NOT_RECONNECTABLE');
    const document = await harness.call('/openapi.json');
    expect(document.json.components.schemas.InitiateConnection.properties.connectionId).toMatchObject({
      type: 'string',
      description: expect.stringContaining('Re-connect'),
    });
    expect(document.json.paths['/v1/connections'].post.responses).toHaveProperty('409');
    // Nothing else was delivered: no connection.created or connection.deleted for the re-connect.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.map((message) => message.payload?.type).slice(5)).toEqual(['connection.active']);

    // No token, code or client secret in any webhook or log line.
    const everything = JSON.stringify([receiver.received, harness.logs]);
    for (const issued of oauth.issuedTokens) {
      expect(everything).not.toContain(issued.accessToken);
      if (issued.refreshToken) expect(everything).not.toContain(issued.refreshToken);
    }
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(callback.searchParams.get('code') as string);
    expect(everything).not.toContain(recallback.searchParams.get('code') as string);
  });
});
