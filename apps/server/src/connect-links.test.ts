import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT, PUBLIC_URL, startTestServer, type TestServer } from '../test/server-harness.js';

let harness: TestServer;
let ownerKey: string;
let otherKey: string;
let integrationId: string;

beforeAll(async () => {
  harness = await startTestServer();
  ownerKey = harness.projects[0].key;
  otherKey = harness.projects[1].key;
  const integration = await harness.call('/v1/integrations', {
    key: ownerKey,
    body: { app: 'github', authMode: 'BEARER_TOKEN' },
  });
  integrationId = integration.json.id;
});
afterAll(async () => {
  await harness.close();
});

/** The link as this test reaches it: the server lives on 127.0.0.1, its public URL is a name. */
const local = (url: string) => url.replace(PUBLIC_URL, harness.url);

describe('POST /v1/connect-links', () => {
  it('answers a link on the public URL that expires in 10 minutes by default, and is in the OpenAPI document', async () => {
    const before = Date.now();
    const created = await harness.call('/v1/connect-links', {
      key: ownerKey,
      body: { integrationId, entityId: 'user-7' },
    });
    expect(created.status).toBe(201);
    expect(created.json.url).toMatch(new RegExp(`^${PUBLIC_URL}/connect/link\\?token=[\\w-]+\\.[\\w-]+$`));
    const expiresIn = Date.parse(created.json.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(599_000);
    expect(expiresIn).toBeLessThanOrEqual(601_000);
    const document = await harness.call('/openapi.json');
    expect(document.json.paths['/v1/connect-links'].post.operationId).toBe('createConnectLink');
  });

  it("keeps projects apart: another project's integration is 404 and nothing is made", async () => {
    const foreign = await harness.call('/v1/connect-links', { key: otherKey, body: { integrationId } });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('INTEGRATION_NOT_FOUND');
    const anonymous = await harness.call('/v1/connect-links', { body: { integrationId } });
    expect(anonymous.status).toBe(401);
  });

  it('needs an admin key', async () => {
    const created = await harness.call('/v1/api-keys', { key: ownerKey, body: { name: 'runner', scope: 'execute' } });
    const refused = await harness.call('/v1/connect-links', { key: created.json.key, body: { integrationId } });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('FORBIDDEN');
  });

  it('refuses bad input before making a link', async () => {
    const both = await harness.call('/v1/connect-links', { key: ownerKey, body: { integrationId, app: 'github' } });
    expect(both.status).toBe(400);
    expect(both.json.code).toBe('INVALID_PARAMS');
    const tooLong = await harness.call('/v1/connect-links', {
      key: ownerKey,
      body: { integrationId, ttlSeconds: 8 * 24 * 3600 },
    });
    expect(tooLong.status).toBe(400);
  });
});

describe('the connect page at /connect', () => {
  it('connects the entity through the link, in the project of the key that made it, and logs no token', async () => {
    const created = await harness.call('/v1/connect-links', {
      key: ownerKey,
      body: { integrationId, entityId: 'user-8', returnUrl: 'https://myapp.example/settings' },
    });
    const token = new URL(created.json.url).searchParams.get('token') as string;
    const opened = await fetch(local(created.json.url), { redirect: 'manual' });
    expect(opened.status).toBe(303);
    // The public URL is https, so the cookie is Secure.
    expect(opened.headers.get('set-cookie')).toMatch(/; Path=\/connect; .*HttpOnly; SameSite=Lax; Secure$/);
    const cookie = (opened.headers.get('set-cookie') as string).split(';')[0] as string;
    const form = await fetch(`${harness.url}/connect/session`, { headers: { cookie } });
    const html = await form.text();
    expect(form.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html).toContain('Connect GitHub');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const sent = await fetch(`${harness.url}/connect/session`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ _csrf: csrf, _mode: 'BEARER_TOKEN', token: PAT }),
    });
    expect(sent.status).toBe(200);
    const success = await sent.text();
    expect(success).toContain('Your GitHub account is connected.');
    expect(success).toContain('href="https://myapp.example/settings"');
    expect(success).not.toContain(PAT);

    const mine = await harness.call('/v1/connections?entityId=user-8', { key: ownerKey });
    expect(mine.json.items).toMatchObject([{ app: 'github', status: 'ACTIVE', integrationId }]);
    const theirs = await harness.call('/v1/connections?entityId=user-8', { key: otherKey });
    expect(theirs.json.items).toEqual([]);

    const lines = JSON.stringify(harness.logs);
    expect(lines).not.toContain(token);
    expect(lines).not.toContain(PAT);
    expect(harness.logs.some((line) => line.path === '/connect/link?token=[REDACTED]')).toBe(true);

    const replayed = await fetch(local(created.json.url), { redirect: 'manual' });
    expect(replayed.status).toBe(410);
  });
});
