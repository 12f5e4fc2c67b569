import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolset } from '@plugboard/core';
import { errorOf } from '@plugboard/testkit';
import { createConnectHandler, createConnectLink } from '../src/index.js';
import { SECRET, startConnectFixture, type ConnectFixture } from './connect-fixture.js';

let fixture: ConnectFixture;

beforeAll(async () => {
  fixture = await startConnectFixture();
});
afterAll(async () => {
  await fixture?.close();
});

/** Opens a link the way a browser does: the redirect sets the session cookie. */
async function open(link: string) {
  const opened = await fetch(link, { redirect: 'manual' });
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { opened, cookie };
}

async function formOf(cookie: string) {
  const page = await fetch(`${fixture.origin}/connect/session`, { headers: { cookie } });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { page, html, csrf };
}

describe('connect links', () => {
  it('refuses a secret too short to sign with', async () => {
    const error = await errorOf(
      createConnectLink({
        toolset: fixture.toolset,
        secret: 'short',
        baseUrl: 'https://app.example/connect',
        integrationId: fixture.integrations.shopwiseApiKey,
      }),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(() => createConnectHandler({ toolset: fixture.toolset, secret: 'short' })).toThrow(/at least 32/);
  });

  it('needs exactly one of integrationId, app or connectionId, and only re-connects EXPIRED or FAILED connections', async () => {
    const base = { toolset: fixture.toolset, secret: SECRET, baseUrl: `${fixture.origin}/connect` };
    expect((await errorOf(createConnectLink(base))).code).toBe('INVALID_PARAMS');
    expect((await errorOf(createConnectLink({ ...base, integrationId: 'nope' }))).code).toBe('INTEGRATION_NOT_FOUND');
    expect((await errorOf(createConnectLink({ ...base, app: 'nope' }))).code).toBe('APP_NOT_FOUND');
    const active = await fixture.toolset.initiateConnection({
      integrationId: fixture.integrations.shopwiseApiKey,
      connectedAccountParams: { api_key: 'sk_live_abcdefgh1', workspace: 'acme' },
    });
    const refused = await errorOf(createConnectLink({ ...base, connectionId: active.connectedAccountId }));
    expect(refused.message).toMatch(/is ACTIVE; a re-connect link is for EXPIRED or FAILED/);
  });

  it('opens once: the link sets a session cookie and moves to a URL without the token; a second open is refused', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'first' });
    expect(new URL(link).pathname).toBe('/connect/link');
    const { opened } = await open(link);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/connect/session');
    const cookie = opened.headers.get('set-cookie') as string;
    expect(cookie).toMatch(/^plugboard_connect=[^;]+; Path=\/connect; Max-Age=1800; HttpOnly; SameSite=Lax$/);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link was already used');
  });

  it('refuses a tampered link and an expired one, each with its own page', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'victim' });
    const [body, signature] = (new URL(link).searchParams.get('token') as string).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, entityId: 'attacker' })).toString('base64url');
    const tampered = await fetch(`${fixture.origin}/connect/link?token=${forged}.${signature}`);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('This link is not valid');

    const expired = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const answer = await fetch(expired);
    expect(answer.status).toBe(410);
    expect(await answer.text()).toContain('This link has expired');
  });

  it('serves every page with a strict CSP, no framing, no referrer and no caching', async () => {
    const link = await fixture.link({ app: 'shopwise', entityId: 'headers' });
    const { cookie } = await open(link);
    const { page, html } = await formOf(cookie);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The OAuth mode's "Continue" posts here and is redirected to the provider: form-action must allow it.
    expect(csp).toContain(`form-action 'self' ${new URL(fixture.oauth2.authorizationUrl).origin}`);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('refuses a post without the CSRF token, or from another site, and connects nothing', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'csrf' });
    const { cookie } = await open(link);
    const { csrf } = await formOf(cookie);
    const body = new URLSearchParams({ _mode: 'API_KEY', api_key: 'sk_live_abcdefgh1', workspace: 'acme' });
    const missing = await fetch(`${fixture.origin}/connect/session`, { method: 'POST', headers: { cookie }, body });
    expect(missing.status).toBe(403);
    const crossSite = await fetch(`${fixture.origin}/connect/session`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ ...Object.fromEntries(body), _csrf: csrf }),
    });
    expect(crossSite.status).toBe(403);
    expect(await fixture.toolset.listConnections({ entityId: 'csrf' })).toEqual([]);
    // The session survives a refused post: the real form still works.
    const sent = await fetch(`${fixture.origin}/connect/session`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ ...Object.fromEntries(body), _csrf: csrf }),
    });
    expect(sent.status).toBe(200);
    expect(await fixture.toolset.listConnections({ entityId: 'csrf' })).toMatchObject([{ status: 'ACTIVE' }]);
  });

  it('never echoes a secret: a refused API key is not in the page, the log hook or the URL', async () => {
    const errors: unknown[] = [];
    const handler = createConnectHandler({ toolset: fixture.toolset, secret: SECRET, onError: (e) => errors.push(e) });
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'echo' });
    const opened = await handler(new Request(link));
    const cookie = (opened.headers.get('set-cookie') as string).split(';')[0] as string;
    const form = await handler(new Request(`${fixture.origin}/connect/session`, { headers: { cookie } }));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] as string;
    const secret = 'sk_live_TOPSECRET99 with a space';
    const answer = await handler(
      new Request(`${fixture.origin}/connect/session`, {
        method: 'POST',
        headers: { cookie },
        body: new URLSearchParams({ _csrf: csrf, _mode: 'API_KEY', api_key: secret, workspace: 'acme' }),
      }),
    );
    expect(answer.status).toBe(400);
    const html = await answer.text();
    expect(html).toContain('API key is not in the expected format.');
    expect(html).not.toContain('TOPSECRET');
    expect(html).toContain('value="acme"');
    expect(JSON.stringify(errors)).not.toContain('TOPSECRET');
  });

  it('takes a toolset per tenant: a link of one tenant never reaches another tenant store', async () => {
    const other = createToolset({ connectors: [] });
    const handler = createConnectHandler({
      toolset: (tenant) => (tenant === 'main' ? fixture.toolset : other),
      secret: SECRET,
    });
    const linkOf = async (tenant: string) =>
      (
        await createConnectLink({
          toolset: fixture.toolset,
          secret: SECRET,
          baseUrl: `${fixture.origin}/connect`,
          integrationId: fixture.integrations.shopwiseApiKey,
          tenant,
        })
      ).url;
    // Its record is in the main store, but it names the other tenant: the other store knows nothing of it.
    const misnamed = await handler(new Request(await linkOf('other')));
    expect(misnamed.status).toBe(410);
    const link = await linkOf('main');
    const opened = await handler(new Request(link));
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') as string).split(';')[0] as string;
    const page = await handler(new Request(`${fixture.origin}/connect/session`, { headers: { cookie } }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connect Shopwise');
  });

  it('re-connects an EXPIRED OAuth 2.0 connection through the provider: same id, new tokens, no second connection', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseOAuth2, entityId: 'ivy' });
    let { cookie } = await open(link);
    let { csrf } = await formOf(cookie);
    const post = () =>
      fetch(`${fixture.origin}/connect/session`, {
        method: 'POST',
        headers: { cookie },
        body: new URLSearchParams({ _csrf: csrf, _mode: 'OAUTH2' }),
        redirect: 'manual',
      });
    const finish = async (started: Response) => {
      expect(started.status).toBe(303);
      const callback = await fixture.oauth2.authorizeAndFollow(started.headers.get('location') as string);
      return fetch(callback, { headers: { cookie } });
    };
    expect((await finish(await post())).status).toBe(200);
    const [first] = await fixture.toolset.listConnections({ entityId: 'ivy' });
    const oldToken = (await fixture.toolset.getConnectionCredentials(first?.id as string))['access_token'];
    await fixture.toolset.store.updateConnection(first?.id as string, {
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH', message: 'The provider refused the refresh.' },
    });

    fixture.events.length = 0;
    ({ cookie } = await open(await fixture.link({ connectionId: first?.id as string })));
    ({ csrf } = await formOf(cookie));
    const done = await finish(await post());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your Shopwise account is connected again.');
    const after = await fixture.toolset.listConnections({ entityId: 'ivy' });
    expect(after).toMatchObject([{ id: first?.id, status: 'ACTIVE', authMode: 'OAUTH2' }]);
    const newToken = (await fixture.toolset.getConnectionCredentials(first?.id as string))['access_token'];
    expect(newToken).toMatch(/.+/);
    expect(newToken).not.toBe(oldToken);
    // Webhook consumers see the connection they know become ACTIVE, and no temporary one come and go.
    expect(fixture.events.map((event) => event.type)).toEqual(['connection.status_changed']);
    expect(fixture.events[0]).toMatchObject({
      previousStatus: 'EXPIRED',
      connection: { id: first?.id, status: 'ACTIVE', entityId: 'ivy' },
    });
  });

  it('a re-connect refused at the provider leaves the connection EXPIRED and can be tried again', async () => {
    const created = await fixture.toolset.initiateConnection({
      integrationId: fixture.integrations.shopwiseApiKey,
      entityId: 'jay',
      connectedAccountParams: { api_key: 'sk_live_jay12345678', workspace: 'jay-shop' },
    });
    const id = created.connectedAccountId;
    await fixture.toolset.store.updateConnection(id, {
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH', message: 'The provider refused the key.' },
    });
    fixture.events.length = 0;
    const { cookie } = await open(await fixture.link({ connectionId: id }));
    const { csrf } = await formOf(cookie);
    const refused = await fetch(`${fixture.origin}/connect/session`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ _csrf: csrf, _mode: 'API_KEY', api_key: 'not-a-key', workspace: 'jay-shop' }),
    });
    expect(refused.status).toBe(400);
    expect(await fixture.toolset.getConnection(id)).toMatchObject({ status: 'EXPIRED' });
    expect(await fixture.toolset.getConnectionCredentials(id)).toMatchObject({ api_key: 'sk_live_jay12345678' });
    const accepted = await fetch(`${fixture.origin}/connect/session`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({
        _csrf: csrf,
        _mode: 'API_KEY',
        api_key: 'sk_live_jay87654321',
        workspace: 'jay-shop',
      }),
    });
    expect(accepted.status).toBe(200);
    expect(await fixture.toolset.listConnections({ entityId: 'jay' })).toMatchObject([{ id, status: 'ACTIVE' }]);
    expect(await fixture.toolset.getConnectionCredentials(id)).toEqual({
      api_key: 'sk_live_jay87654321',
      workspace: 'jay-shop',
    });
    expect(fixture.events.map((event) => event.type)).toEqual(['connection.status_changed']);
    expect(fixture.events[0]).toMatchObject({ previousStatus: 'EXPIRED', connection: { id, status: 'ACTIVE' } });
  });

  it('refuses a callback that is not the sign-in this browser started', async () => {
    const { cookie } = await open(await fixture.link({ integrationId: fixture.integrations.shopwiseOAuth2 }));
    const { csrf } = await formOf(cookie);
    const started = await fetch(`${fixture.origin}/connect/session`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ _csrf: csrf, _mode: 'OAUTH2' }),
      redirect: 'manual',
    });
    const callback = new URL(await fixture.oauth2.authorizeAndFollow(started.headers.get('location') as string));
    // Another visitor's browser holds no session: nothing is completed.
    const stranger = await fetch(callback);
    expect(stranger.status).toBe(400);
    // This browser, with another state: refused, and the real callback still works afterwards.
    const swapped = new URL(callback);
    swapped.searchParams.set('state', 'someone-elses-state');
    const refused = await fetch(swapped, { headers: { cookie } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This sign-in does not belong here');
    const real = await fetch(callback, { headers: { cookie } });
    expect(real.status).toBe(200);
    expect(await real.text()).toContain('Your Shopwise account is connected.');
  });

  it('behind a proxy that mounts it under a prefix, shows the browser the public paths', async () => {
    const handler = createConnectHandler({
      toolset: fixture.toolset,
      secret: SECRET,
      publicUrl: 'https://myapp.example/tools/',
    });
    const link = await createConnectLink({
      toolset: fixture.toolset,
      secret: SECRET,
      baseUrl: 'https://myapp.example/tools/connect',
      integrationId: fixture.integrations.shopwiseOAuth2,
    });
    expect(link.url.startsWith('https://myapp.example/tools/connect/link?token=')).toBe(true);
    // The proxy strips /tools before the request reaches the handler.
    const opened = await handler(new Request(link.url.replace('https://myapp.example/tools', 'http://internal:8080')));
    expect(opened.headers.get('location')).toBe('/tools/connect/session');
    const setCookie = opened.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(/; Path=\/tools\/connect; .*; Secure$/);
    const cookie = setCookie.split(';')[0] as string;
    const page = await handler(new Request('http://internal:8080/connect/session', { headers: { cookie } }));
    const html = await page.text();
    expect(html).toContain('action="/tools/connect/session"');
    expect(html).toContain('href="/tools/connect/style.css"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const started = await handler(
      new Request('http://internal:8080/connect/session', {
        method: 'POST',
        headers: { cookie },
        body: new URLSearchParams({ _csrf: csrf, _mode: 'OAUTH2' }),
      }),
    );
    const authorize = new URL(started.headers.get('location') as string);
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://myapp.example/tools/connect/callback');
    expect(() =>
      createConnectHandler({ toolset: fixture.toolset, secret: SECRET, publicUrl: 'myapp.example' }),
    ).toThrow(/publicUrl must be an absolute http or https URL/);
  });
});
