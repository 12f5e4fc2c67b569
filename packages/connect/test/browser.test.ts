// The connect page in a real browser: Debian's Chromium driven by playwright-core (whose own
// browser download never runs). Each page state is saved to screenshots/*.png; the README shows one.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { startConnectFixture, type ConnectFixture } from './connect-fixture.js';

const CHROMIUM = process.env['PLUGBOARD_CHROMIUM'] ?? '/usr/bin/chromium';
const SKIP = process.env['PLUGBOARD_SKIP_BROWSER'] === '1';
const screenshots = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

if (SKIP) console.warn('PLUGBOARD_SKIP_BROWSER=1: the connect page browser tests are SKIPPED, not passed.');

let fixture: ConnectFixture;
let context: BrowserContext;
let profile: string;
let page: Page;

async function snap(name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/**
 * The lowest contrast ratio (WCAG 2: relative luminance, (L1 + 0.05) / (L2 + 0.05)) of any text on
 * the page against the first opaque background behind it.
 */
async function lowestContrast(): Promise<{ ratio: number; text: string }> {
  return page.evaluate(() => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([red = 0, green = 0, blue = 0]: number[]) => {
      const [r, g, b] = [red, green, blue].map((value) => {
        const unit = value / 255;
        return unit <= 0.03928 ? unit / 12.92 : ((unit + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const backgroundOf = (element: Element | null): number[] => {
      for (let current = element; current; current = current.parentElement) {
        const color = channels(getComputedStyle(current).backgroundColor);
        if (color.length < 4 || (color[3] ?? 0) > 0) return color;
      }
      return [255, 255, 255];
    };
    let worst = { ratio: 21, text: '' };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element || element.closest('[aria-hidden="true"]')) continue;
      const foreground = luminance(channels(getComputedStyle(element).color));
      const background = luminance(backgroundOf(element));
      const ratio = (Math.max(foreground, background) + 0.05) / (Math.min(foreground, background) + 0.05);
      if (ratio < worst.ratio) worst = { ratio, text };
    }
    return worst;
  });
}

/** Every POST the page sends, to prove that a refused field sends nothing. */
function posts(): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') seen.push(request.url());
  });
  return seen;
}

describe.skipIf(SKIP)('the connect page in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (Debian/Ubuntu; .ci/run does), ` +
          'point PLUGBOARD_CHROMIUM at another build, or set PLUGBOARD_SKIP_BROWSER=1 to skip these tests explicitly.',
      );
    }
    mkdirSync(screenshots, { recursive: true });
    fixture = await startConnectFixture();
    profile = mkdtempSync(join(tmpdir(), 'plugboard-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 640, height: 760 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await fixture?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await context.clearCookies();
    page = await context.newPage();
  });
  afterEach(async () => {
    await page.close();
  });

  it('connects with an API key: the form, then the success page, and the connection is ACTIVE', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'ada' });
    const response = await page.goto(link);
    // The link's token leaves the address bar at once.
    expect(page.url()).toBe(`${fixture.origin}/connect/session`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.title()).resolves.toBe('Connect Shopwise');
    const key = page.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    expect(await key.getAttribute('autocomplete')).toBe('off');
    expect(await key.getAttribute('pattern')).toBe('sk_live_[A-Za-z0-9]{8,}');
    expect(await key.getAttribute('aria-describedby')).toBe('field-api_key-hint');
    await snap('api-key-form');
    // WCAG AA: 4.5:1 for body text.
    expect((await lowestContrast()).ratio).toBeGreaterThanOrEqual(4.5);

    await key.fill('sk_live_ada12345678');
    await page.getByLabel('Workspace').fill('ada-shop');
    await page.getByRole('button', { name: 'Connect Shopwise' }).click();
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe(
      'Your Shopwise account is connected. You can close this window.',
    );
    await snap('api-key-connected');
    expect((await lowestContrast()).ratio).toBeGreaterThanOrEqual(4.5);

    const [connection] = await fixture.toolset.listConnections({ entityId: 'ada' });
    expect(connection).toMatchObject({ app: 'shopwise', authMode: 'API_KEY', status: 'ACTIVE' });
    expect(await fixture.toolset.getConnectionCredentials(connection?.id as string)).toEqual({
      api_key: 'sk_live_ada12345678',
      workspace: 'ada-shop',
    });
  });

  it('refuses a key that does not match the pattern in the page, and sends nothing', async () => {
    const sent = posts();
    await page.goto(await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'bob' }));
    const key = page.getByLabel('API key');
    await key.fill('pk_test_123');
    await page.getByLabel('Workspace').fill('bob-shop');
    await page.getByRole('button', { name: 'Connect Shopwise' }).click();
    // The browser's own check: the field is invalid and focused, and no request left the page.
    expect(await key.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
    expect(await key.evaluate((input) => input === document.activeElement)).toBe(true);
    // The browser's message bubble shows the field's title under its own words.
    expect(await key.getAttribute('title')).toBe('Starts with sk_live_, from Settings > API keys.');
    // Chromium fades its message bubble in; the screenshot waits for it to settle.
    await page.waitForTimeout(500);
    await snap('api-key-pattern-refused');
    expect(sent).toEqual([]);
    expect(await fixture.toolset.listConnections({ entityId: 'bob' })).toEqual([]);
  });

  it('checks again on the server: a refused value re-renders the form with the error, keeps the workspace, echoes no secret', async () => {
    await page.goto(await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'cy' }));
    // A page that skips the browser's check (an old browser, a hand-made post): the server refuses the same pattern.
    await page.getByLabel('API key').evaluate((input) => input.removeAttribute('pattern'));
    await page.getByLabel('API key').fill('pk_test_SECRET42');
    await page.getByLabel('Workspace').fill('cy-shop');
    await page.getByRole('button', { name: 'Connect Shopwise' }).click();
    await page.getByRole('alert').waitFor();
    const key = page.getByLabel('API key');
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    expect(await key.getAttribute('aria-describedby')).toBe('field-api_key-hint field-api_key-error');
    expect(await page.locator('#field-api_key-error').textContent()).toBe('API key is not in the expected format.');
    expect(await key.inputValue()).toBe('');
    expect(await page.getByLabel('Workspace').inputValue()).toBe('cy-shop');
    expect(await page.content()).not.toContain('SECRET42');
    // The field in error has the focus, so a keyboard user lands on it.
    expect(await key.evaluate((input) => input === document.activeElement)).toBe(true);
    await snap('api-key-server-refused-pattern');
    expect((await lowestContrast()).ratio).toBeGreaterThanOrEqual(4.5);

    // A value no pattern catches: a workspace that cannot be one DNS label is refused where it is placed.
    await key.fill('sk_live_cy123456789');
    await page.getByLabel('Workspace').fill('cy shop');
    await page.getByRole('button', { name: 'Connect Shopwise' }).click();
    await page.getByText('must be one DNS label').waitFor();
    expect(await page.content()).not.toContain('sk_live_cy123456789');
    await snap('api-key-server-refused-value');
    expect(await fixture.toolset.listConnections({ entityId: 'cy' })).toEqual([]);
  });

  it('offers a choice of auth modes and connects with OAuth 2.0 through the fake provider and back', async () => {
    await page.goto(await fixture.link({ app: 'shopwise', entityId: 'dee' }));
    const choice = page.getByRole('navigation', { name: 'How to connect' });
    expect(await choice.getByRole('link').allTextContents()).toEqual(['Sign in', 'API key']);
    expect(await choice.getByRole('link', { name: 'Sign in' }).getAttribute('aria-current')).toBe('page');
    await snap('oauth2-choice');
    expect((await lowestContrast()).ratio).toBeGreaterThanOrEqual(4.5);
    await choice.getByRole('link', { name: 'API key' }).click();
    await page.getByLabel('API key').waitFor();
    await choice.getByRole('link', { name: 'Sign in' }).click();

    // The first attempt is refused at the provider: the failure page says what to do.
    fixture.oauth2.denyNext();
    await page.getByRole('button', { name: 'Continue with Shopwise' }).click();
    await page.getByRole('heading', { name: 'Not connected' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Shopwise did not give access');
    expect(page.url()).not.toMatch(/code=/);
    await snap('oauth2-denied');
    expect((await lowestContrast()).ratio).toBeGreaterThanOrEqual(4.5);

    await page.getByRole('link', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Continue with Shopwise' }).click();
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    await snap('oauth2-connected');
    const connections = await fixture.toolset.listConnections({ entityId: 'dee', status: 'ACTIVE' });
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ authMode: 'OAUTH2', status: 'ACTIVE' });
    const credentials = await fixture.toolset.getConnectionCredentials(connections[0]?.id as string);
    expect(credentials['access_token']).toMatch(/.+/);
    // The provider saw the handler's callback as the redirect URI.
    expect(fixture.oauth2.authorizeRequests.at(-1)).toMatchObject({
      redirectUri: `${fixture.origin}/connect/callback`,
      codeChallengeMethod: 'S256',
      outcome: 'approved',
    });
  });

  it('connects with OAuth 1.0a through the fake provider and back', async () => {
    await page.goto(await fixture.link({ integrationId: fixture.integrations.boards, entityId: 'eve' }));
    expect(await page.getByRole('navigation').count()).toBe(0);
    await snap('oauth1-continue');
    await page.getByRole('button', { name: 'Continue with Boards' }).click();
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    await snap('oauth1-connected');
    const [connection] = await fixture.toolset.listConnections({ entityId: 'eve' });
    expect(connection).toMatchObject({ app: 'boards', authMode: 'OAUTH1', status: 'ACTIVE' });
    const credentials = await fixture.toolset.getConnectionCredentials(connection?.id as string);
    expect(fixture.oauth1.accessTokens.get(credentials['oauth_token'] as string)).toBe(
      credentials['oauth_token_secret'],
    );
  });

  it('shows an expired link as expired', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await page.goto(link);
    expect(response?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await snap('link-expired');
  });

  it('shows a replayed link as used, even in another browser profile', async () => {
    const link = await fixture.link({ integrationId: fixture.integrations.shopwiseApiKey, entityId: 'fay' });
    await page.goto(link);
    await page.getByRole('button', { name: 'Connect Shopwise' }).waitFor();
    await context.clearCookies();
    const response = await page.goto(link);
    expect(response?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link was already used' }).waitFor();
    await snap('link-replayed');
  });

  it('can be completed with the keyboard alone, with a visible focus in a logical order', async () => {
    await page.goto(await fixture.link({ app: 'shopwise', entityId: 'gil' }));
    await page.goto(`${fixture.origin}/connect/session?mode=API_KEY`);
    const order: string[] = [];
    for (let step = 0; step < 5; step++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          return active.id || active.textContent?.trim() || active.tagName;
        }),
      );
    }
    expect(order).toEqual(['Sign in', 'API key', 'field-api_key', 'field-workspace', 'Connect Shopwise']);
    // The focused control shows a 3px ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineWidth);
    expect(outline).toBe('3px');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('sk_live_gil12345678');
    await page.keyboard.press('Tab');
    await page.keyboard.type('gil-shop');
    await snap('keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    expect(await fixture.toolset.listConnections({ entityId: 'gil' })).toMatchObject([{ status: 'ACTIVE' }]);
  });

  it('re-connects an EXPIRED (NEEDS_REAUTH) connection in place: same id, ACTIVE, new key', async () => {
    const first = await fixture.toolset.initiateConnection({
      integrationId: fixture.integrations.shopwiseApiKey,
      entityId: 'hal',
      connectedAccountParams: { api_key: 'sk_live_old12345678', workspace: 'hal-shop' },
    });
    const stored = await fixture.toolset.store.getConnection(first.connectedAccountId);
    await fixture.toolset.store.updateConnection(first.connectedAccountId, {
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH', message: 'The provider refused the refresh.' },
      updatedAt: new Date(Date.parse(stored?.updatedAt as string) + 1).toISOString(),
    });
    fixture.events.length = 0;
    await page.goto(await fixture.link({ connectionId: first.connectedAccountId }));
    await expect(page.title()).resolves.toBe('Reconnect Shopwise');
    expect(await page.getByLabel('Workspace').inputValue()).toBe('hal-shop');
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await snap('reconnect-form');
    await page.getByLabel('API key').fill('sk_live_new12345678');
    await page.getByRole('button', { name: 'Connect Shopwise' }).click();
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('connected again');
    const connections = await fixture.toolset.listConnections({ entityId: 'hal' });
    expect(connections).toMatchObject([{ id: first.connectedAccountId, status: 'ACTIVE' }]);
    expect(connections[0]?.statusReason).toBeUndefined();
    expect(await fixture.toolset.getConnectionCredentials(first.connectedAccountId)).toEqual({
      api_key: 'sk_live_new12345678',
      workspace: 'hal-shop',
    });
    // The connection the developer knows becomes ACTIVE; no temporary connection is created or deleted.
    expect(fixture.events.map((event) => event.type)).toEqual(['connection.status_changed']);
    expect(fixture.events[0]).toMatchObject({
      previousStatus: 'EXPIRED',
      connection: { id: first.connectedAccountId, status: 'ACTIVE' },
    });
  });
});
