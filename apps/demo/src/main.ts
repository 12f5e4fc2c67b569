// The offline demo: `pnpm demo` (or `pnpm start`) from the repository root.
//
// Local servers on 127.0.0.1 play GitHub (REST API and OAuth), Gmail and Shopify. The real
// connectors, unchanged, talk to them through the toolset's `fetch`, which sends the vendors' hosts
// to 127.0.0.1. The tour walks through every auth mode, and every claim it prints is checked:
// it exits 0 only when all of them held, and 1 naming the step that failed.

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createToolset, type ActionResult, type Toolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { startCallbackServer } from './callback-server.js';
import { startFakeGitHub } from './fakes/github.js';
import { startFakeGmail } from './fakes/gmail.js';
import { bearerToken } from './fakes/http.js';
import { startFakeShopify } from './fakes/shopify.js';
import {
  bold,
  check,
  checkCount,
  code,
  DemoCheckFailed,
  dim,
  done,
  fail,
  mask,
  protect,
  say,
  show,
  step,
} from './narrate.js';
import { rerouteToFakes } from './routes.js';
import { openDemoStore } from './store.js';
import { showStoreOnDisk } from './store-on-disk.js';

const HELP = `Usage: pnpm demo [-- --store-dir <dir>]

A narrated tour of Plugboard with GitHub, Gmail and Shopify, against local fakes of their APIs and
OAuth servers on 127.0.0.1. It needs no internet and no accounts, and checks every claim it prints.

Options:
  --store-dir <dir>  keep the embedded store in <dir> (created if missing) instead of a temporary
                     directory that is removed at the end
  -h, --help         show this help

Exit codes: 0 every step held, 1 a step failed (named on stderr), 2 bad usage.`;

let parsed;
try {
  parsed = parseArgs({
    options: { 'store-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(HELP);
  process.exit(0);
}

/** For the demo's own test: make one fake misbehave, to prove the tour notices. */
const sabotage = process.env['PLUGBOARD_DEMO_SABOTAGE'];

const started = performance.now();
const keepDir = parsed.values['store-dir'];
const storeDir = keepDir === undefined ? await mkdtemp(join(tmpdir(), 'plugboard-demo-')) : resolve(keepDir);
await mkdir(storeDir, { recursive: true, mode: 0o700 });

// Made up for this run and never printed: the demo's GitHub App, and the tokens the users hand over.
const githubApp = { clientId: 'Iv23liDemoApp0000001', clientSecret: protect(randomBytes(20).toString('hex')) };
const gmailToken = protect(`ya29.a0${randomBytes(24).toString('base64url')}`);
const otherGmailToken = protect(`ya29.a0${randomBytes(24).toString('base64url')}`);
const shopifyToken = protect(`shpat_${randomBytes(16).toString('hex')}`);
const personalToken = protect(`ghp_${randomBytes(18).toString('hex')}`);
const SHOP = 'acme-widgets';
const PULL = { owner: 'plugboard-demo', repo: 'widgets', pull_number: 42 } as const;

const fakeGitHub = await startFakeGitHub();
const fakeGmail = await startFakeGmail();
const fakeShopify = await startFakeShopify();
const routes = rerouteToFakes({
  'https://api.github.com': fakeGitHub.api.origin,
  'https://github.com': fakeGitHub.web.origin,
  'https://gmail.googleapis.com': fakeGmail.server.origin,
  'https://*.myshopify.com': fakeShopify.server.origin,
});
let toolset: Toolset | undefined;
const callback = await startCallbackServer(() => {
  if (!toolset) throw new Error('the toolset is not ready');
  return toolset;
});
fakeGitHub.registerApp({ ...githubApp, callbackUrl: callback.url });
fakeGitHub.addPersonalToken(personalToken, 'octocat');
fakeGmail.acceptToken(gmailToken);
fakeGmail.acceptToken(otherGmailToken);
fakeShopify.acceptToken(SHOP, sabotage === 'shopify' ? `shpat_${randomBytes(16).toString('hex')}` : shopifyToken);
const demoStore = await openDemoStore(storeDir);

let currentStep = 'setup';
let exitCode = 0;
try {
  toolset = createToolset({
    connectors: [github, gmail, shopify],
    store: demoStore.store,
    fetch: routes.fetch,
    http: { timeoutMs: 5_000 },
  });
  await tour(toolset);
  done(
    `All 6 steps held: ${checkCount()} checks in ${Math.round(performance.now() - started)} ms. Nothing left this machine.`,
  );
} catch (error) {
  exitCode = 1;
  const reason =
    error instanceof DemoCheckFailed
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  fail(`Step ${currentStep} failed: ${reason}`);
} finally {
  await demoStore.close();
  await Promise.all([callback.close(), fakeGitHub.close(), fakeGmail.close(), fakeShopify.close()]);
  if (keepDir === undefined) await rm(storeDir, { recursive: true, force: true });
}
process.exitCode = exitCode;

function enter(number: number, title: string): void {
  currentStep = `${number} (${title})`;
  step(number, title);
}

function describeFailure(result: ActionResult): string {
  if (result.successful) return 'successful';
  const { code: errorCode, status, message } = result.error;
  return `${errorCode}${status === undefined ? '' : ` (status ${status})`}: ${message}`;
}

async function tour(toolset: Toolset): Promise<void> {
  step('', 'Setup');
  say('Local servers on 127.0.0.1 play the vendors. The connectors are the published ones, unchanged:');
  for (const [vendor, from, to] of [
    ['GitHub API', 'https://api.github.com', fakeGitHub.api.origin],
    ['GitHub OAuth', 'https://github.com', fakeGitHub.web.origin],
    ['Gmail API', 'https://gmail.googleapis.com', fakeGmail.server.origin],
    ['Shopify Admin API', 'https://{shop}.myshopify.com', fakeShopify.server.origin],
  ] as const) {
    say(`  ${vendor.padEnd(18)} ${from.padEnd(29)} -> ${to}`);
  }
  say(
    "Only the toolset's fetch knows that: it sends those hosts to 127.0.0.1. Against the real APIs you leave it out.",
  );
  code('const toolset = createToolset({ connectors: [github, gmail, shopify], store, fetch });');
  show('store', `${demoStore.kind} in ${storeDir}`);
  check(
    toolset
      .listApps()
      .map((app) => app.id)
      .join() === 'github,gmail,shopify',
    'the toolset offers github, gmail and shopify',
  );

  // 1 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(1, 'GitHub: OAuth 2.0 with your own GitHub App');
  say(
    'You register a GitHub App once (client id, client secret, callback URL) and give its credentials to Plugboard as an integration.',
  );
  code(
    `const integration = await toolset.createIntegration({ app: 'github', authMode: 'OAUTH2',\n  authConfig: { client_id: '${githubApp.clientId}', client_secret: process.env.GITHUB_CLIENT_SECRET } });`,
  );
  const integration = await toolset.createIntegration({
    app: 'github',
    authMode: 'OAUTH2',
    authConfig: { client_id: githubApp.clientId, client_secret: githubApp.clientSecret },
  });
  const shownIntegration = await toolset.getIntegration(integration.id);
  show('integration', {
    id: shownIntegration.id,
    app: shownIntegration.app,
    authMode: shownIntegration.authMode,
    authConfig: shownIntegration.authConfig,
  });
  check(shownIntegration.authConfig['client_secret'] === '[REDACTED]', 'the client secret is shown as [REDACTED]');

  say('Your user "ada" clicks "Connect GitHub": initiateConnection returns the URL to send her browser to.');
  code(
    `const request = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'ada',\n  redirectUri: '${callback.url}' });`,
  );
  const request = await toolset.initiateConnection({
    integrationId: integration.id,
    entityId: 'ada',
    redirectUri: callback.url,
  });
  show('connectionStatus', request.connectionStatus);
  show('redirectUrl', request.redirectUrl ?? '(none)');
  const authorizeUrl = new URL(request.redirectUrl ?? 'about:blank');
  check(request.connectionStatus === 'INITIATED', 'the connection waits for the user (INITIATED)');
  check(
    authorizeUrl.origin + authorizeUrl.pathname === 'https://github.com/login/oauth/authorize' &&
      authorizeUrl.searchParams.get('code_challenge_method') === 'S256' &&
      authorizeUrl.searchParams.get('state') !== null,
    "the redirect goes to GitHub's authorize page with a state and a PKCE S256 challenge",
  );

  say("Playing ada's browser: it opens the URL, ada approves, and GitHub redirects back to your callback with a code.");
  const approval = await routes.fetch(authorizeUrl, { redirect: 'manual' });
  const location = approval.headers.get('location') ?? '';
  const callbackUrl = new URL(location || 'about:blank');
  protect(callbackUrl.searchParams.get('code') ?? undefined);
  show(
    'github.com answers',
    `${approval.status} Location: ${callbackUrl.origin}${callbackUrl.pathname}?code=${mask(callbackUrl.searchParams.get('code') ?? undefined)}&state=…`,
  );
  check(
    approval.status === 302 && location.startsWith(callback.url),
    'GitHub sent the browser to the registered callback URL',
  );
  const page = await fetch(callbackUrl);
  const pageText = (await page.text())
    .replace(/<title>[\s\S]*?<\/title>/i, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  show('your callback (toolset.handleCallback) answers', `${page.status} "${pageText.slice(0, 80)}"`);
  check(page.status === 200, 'handleCallback exchanged the code for tokens and answered 200');
  check(fakeGitHub.tokenRequests.authorization_code === 1, "GitHub's token endpoint got exactly one code exchange");

  code('const connection = await request.waitUntilActive({ timeoutMs: 5_000 });');
  const connection = await request.waitUntilActive({ timeoutMs: 5_000 });
  show('connection', {
    id: connection.id,
    app: connection.app,
    entityId: connection.entityId,
    status: connection.status,
    expiresAt: connection.expiresAt,
  });
  check(
    connection.status === 'ACTIVE' && !('credentials' in connection),
    'the connection is ACTIVE, and shown without its credentials',
  );
  const tokens = await toolset.getConnectionCredentials(connection.id);
  protect(tokens['access_token']);
  protect(tokens['refresh_token']);
  show('stored tokens (masked)', {
    access_token: mask(tokens['access_token']),
    refresh_token: mask(tokens['refresh_token']),
  });

  code(
    "await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', { owner: 'plugboard-demo', repo: 'widgets', pull_number: 42 }, { entityId: 'ada' });",
  );
  const pullResult = await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { entityId: 'ada' });
  const pull = pullResult.data as {
    title: string;
    state: string;
    user: { login: string };
    changed_files: number;
    html_url: string;
  } | null;
  show(
    'result',
    pull
      ? `#42 "${pull.title}" by ${pull.user.login}, ${pull.state}, ${pull.changed_files} files changed`
      : describeFailure(pullResult),
  );
  const apiSaw = fakeGitHub.api.requests.at(-1);
  show(
    'api.github.com received',
    apiSaw ? `${apiSaw.method} ${apiSaw.path}, Authorization: Bearer ${mask(bearerToken(apiSaw))}` : '(nothing)',
  );
  check(
    pullResult.successful && pull?.title === 'Add a plugboard to the widget factory',
    'GITHUB_GET_A_PULL_REQUEST returned pull request #42',
  );
  check(
    apiSaw !== undefined &&
      bearerToken(apiSaw) === tokens['access_token'] &&
      fakeGitHub.tokenOwner(tokens['access_token'] ?? '') === 'mona',
    "the API saw ada's own user access token (GitHub user mona)",
  );

  // 2 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(2, 'Gmail: a bearer token the user already has');
  const gmailParams = await toolset.getExpectedParamsForUser({ app: 'gmail', authScheme: 'BEARER_TOKEN' });
  show(
    'what BEARER_TOKEN needs from the user',
    gmailParams.expectedParams.map((field) => `${field.name}${field.secret ? ' (secret)' : ''}`).join(', '),
  );
  say('No redirect: the token is stored as given and the connection is ACTIVE at once.');
  code(
    "await toolset.initiateConnection({ app: 'gmail', authMode: 'BEARER_TOKEN', entityId: 'ada',\n  connectedAccountParams: { token: process.env.GOOGLE_ACCESS_TOKEN } });",
  );
  const gmailRequest = await toolset.initiateConnection({
    app: 'gmail',
    authMode: 'BEARER_TOKEN',
    entityId: 'ada',
    connectedAccountParams: { token: gmailToken },
  });
  check(
    gmailRequest.connectionStatus === 'ACTIVE' && gmailRequest.redirectUrl === undefined,
    'a bearer token connection is ACTIVE at once, without a redirect',
  );

  code("await toolset.executeAction('GMAIL_FETCH_EMAILS', { q: 'is:unread', maxResults: 5 }, { entityId: 'ada' });");
  const gmailBefore = fakeGmail.server.requests.length;
  const mail = await toolset.executeAction(
    'GMAIL_FETCH_EMAILS',
    { q: 'is:unread', maxResults: 5 },
    { entityId: 'ada' },
  );
  const messages =
    (mail.data as { messages: Array<{ subject: string; sender: string; body: string }> } | null)?.messages ?? [];
  for (const message of messages) show('email', `${message.subject}  ${dim(`from ${message.sender}`)}`);
  if (!mail.successful) show('result', describeFailure(mail));
  const gmailSaw = fakeGmail.server.requests.slice(gmailBefore);
  show('gmail.googleapis.com received', gmailSaw.map((seen) => `${seen.method} ${seen.path}`).join('\n'));
  check(
    mail.successful && messages.length === 2 && messages[0]?.body.startsWith('Hi Ada'),
    'GMAIL_FETCH_EMAILS listed the 2 unread emails and read their bodies',
  );
  check(
    gmailSaw.length === 3 && gmailSaw.every((seen) => bearerToken(seen) === gmailToken),
    "all 3 requests (1 list, 2 reads) carried ada's token as a Bearer header",
  );

  // 3 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(3, 'Shopify: an Admin API access token and the shop as subdomain');
  const shopifyParams = await toolset.getExpectedParamsForUser({ app: 'shopify', authScheme: 'API_KEY' });
  show(
    'what API_KEY needs from the user',
    shopifyParams.expectedParams.map((field) => `${field.name}${field.secret ? ' (secret)' : ''}`).join(', '),
  );
  code(
    `await toolset.initiateConnection({ app: 'shopify', entityId: 'ada',\n  connectedAccountParams: { api_key: process.env.SHOPIFY_ACCESS_TOKEN, shop: '${SHOP}' } });`,
  );
  const shopifyRequest = await toolset.initiateConnection({
    app: 'shopify',
    entityId: 'ada',
    connectedAccountParams: { api_key: shopifyToken, shop: SHOP },
  });
  check(shopifyRequest.connectionStatus === 'ACTIVE', 'the Shopify connection is ACTIVE at once');

  code("await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 2 }, { entityId: 'ada' });");
  const sentBefore = routes.sent.length;
  const firstPage = await toolset.executeAction('SHOPIFY_GET_ALL_CUSTOMERS', { limit: 2 }, { entityId: 'ada' });
  type CustomersPage = {
    items: Array<{ legacyResourceId: string; firstName: string; defaultEmailAddress: { emailAddress: string } }>;
    nextPageInfo: string | null;
    cost: { requestedQueryCost: number; throttleStatus: { currentlyAvailable: number } } | null;
  };
  const first = firstPage.data as CustomersPage | null;
  if (!firstPage.successful) show('result', describeFailure(firstPage));
  const line = (customer: CustomersPage['items'][number]) =>
    `${customer.legacyResourceId} ${customer.firstName} <${customer.defaultEmailAddress.emailAddress}>`;
  for (const customer of first?.items ?? []) show('customer', line(customer));
  show('nextPageInfo, cost', {
    nextPageInfo: first?.nextPageInfo,
    cost: first?.cost?.requestedQueryCost,
    available: first?.cost?.throttleStatus.currentlyAvailable,
  });
  check(
    firstPage.successful && first?.items.length === 2 && first.nextPageInfo !== null,
    'the first page has 2 customers and a cursor to the next one',
  );
  const secondPage = await toolset.executeAction(
    'SHOPIFY_GET_ALL_CUSTOMERS',
    { page_info: first.nextPageInfo, limit: 2 },
    { entityId: 'ada' },
  );
  const second = secondPage.data as CustomersPage | null;
  for (const customer of second?.items ?? []) show('customer (page 2)', line(customer));
  check(
    secondPage.successful && second?.items.length === 1 && second.nextPageInfo === null,
    'following nextPageInfo gives the last customer',
  );
  const shopifySent = routes.sent.slice(sentBefore);
  const shopifySaw = fakeShopify.server.requests.slice(-2);
  show('the connector built', shopifySent.map((sent) => `${sent.method} ${sent.url}`).join('\n'));
  check(
    shopifySent.every((sent) => new URL(sent.url).host === `${SHOP}.myshopify.com`),
    `the shop became the subdomain: ${SHOP}.myshopify.com`,
  );
  check(
    shopifySaw.length === 2 &&
      shopifySaw.every(
        (seen) =>
          seen.headers['x-shopify-access-token'] === shopifyToken && seen.headers['authorization'] === undefined,
      ),
    'the token went in X-Shopify-Access-Token, never in an Authorization header',
  );

  // 4 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(4, 'Per-call custom auth and addAuth');
  say(
    'Credentials can come with the call instead of from a stored connection. Here a personal access token of octocat:',
  );
  code(
    "await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', {...},\n  { auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${process.env.GITHUB_TOKEN}` }] } });",
  );
  const connectionsBefore = (await toolset.listConnections()).length;
  const perCall = await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, {
    auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${personalToken}` }] },
  });
  const perCallSaw = fakeGitHub.api.requests.at(-1);
  show(
    'api.github.com received',
    perCallSaw
      ? `${perCallSaw.method} ${perCallSaw.path}, Authorization: Bearer ${mask(bearerToken(perCallSaw))}`
      : '(nothing)',
  );
  check(
    perCall.successful &&
      perCallSaw !== undefined &&
      fakeGitHub.tokenOwner(bearerToken(perCallSaw) ?? '') === 'octocat',
    'the call acted as octocat, with the token it brought',
  );
  check((await toolset.listConnections()).length === connectionsBefore, 'nothing was stored for it');

  say(
    'addAuth sets credentials for every call to an app that brings none of its own, here for an entity without any connection:',
  );
  code(
    "toolset.addAuth('gmail', { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${process.env.TEAM_GMAIL_TOKEN}` }] });",
  );
  toolset.addAuth('gmail', {
    parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${otherGmailToken}` }],
  });
  const lastGmailToken = () => {
    const seen = fakeGmail.server.requests.at(-1);
    return seen === undefined ? undefined : bearerToken(seen);
  };
  const forGrace = await toolset.executeAction(
    'GMAIL_FETCH_EMAILS',
    { maxResults: 1, includePayload: false },
    { entityId: 'grace' },
  );
  show("grace's call carried", `Bearer ${mask(lastGmailToken())}`);
  check(
    forGrace.successful && lastGmailToken() === otherGmailToken,
    'grace, who has no Gmail connection, is served with the addAuth token',
  );
  await toolset.executeAction('GMAIL_FETCH_EMAILS', { maxResults: 1, includePayload: false }, { entityId: 'ada' });
  show("ada's call carried", `Bearer ${mask(lastGmailToken())}`);
  check(
    lastGmailToken() === otherGmailToken,
    "addAuth also wins over ada's stored connection (precedence: per-call auth > connectedAccountId > addAuth > the entity's connection)",
  );
  await toolset.executeAction(
    'GMAIL_FETCH_EMAILS',
    { maxResults: 1, includePayload: false },
    { connectedAccountId: gmailRequest.connectedAccountId },
  );
  show("with ada's connectedAccountId", `Bearer ${mask(lastGmailToken())}`);
  check(lastGmailToken() === gmailToken, "an explicit connectedAccountId wins over addAuth: ada's own token again");
  code("toolset.removeAuth('gmail');");
  toolset.removeAuth('gmail');
  const graceAfter = await toolset.executeAction('GMAIL_FETCH_EMAILS', { maxResults: 1 }, { entityId: 'grace' });
  show('grace after removeAuth', describeFailure(graceAfter));
  check(
    !graceAfter.successful && graceAfter.error.code === 'NO_CREDENTIALS',
    'after removeAuth, grace has no credentials (NO_CREDENTIALS, nothing sent)',
  );

  // 5 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(5, 'An expired token, refreshed automatically');
  say(
    "GitHub App user access tokens live 8 hours. The fake GitHub moves its clock 8 h 1 min ahead: ada's access token is now refused.",
  );
  fakeGitHub.advanceClock((8 * 60 + 1) * 60 * 1000);
  const refreshesBefore = fakeGitHub.tokenRequests.refresh_token;
  const apiBefore = fakeGitHub.api.requests.length;
  code(
    "await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', {...}, { entityId: 'ada' }); // the same call as in step 1",
  );
  const afterExpiry = await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { entityId: 'ada' });
  const refreshed = await toolset.getConnectionCredentials(connection.id);
  protect(refreshed['access_token']);
  protect(refreshed['refresh_token']);
  const expirySaw = fakeGitHub.api.requests.slice(apiBefore);
  show(
    'api.github.com received',
    expirySaw.map((seen) => `${seen.method} ${seen.path}, Bearer ${mask(bearerToken(seen))}`).join('\n'),
  );
  show('token endpoint requests (grant_type=refresh_token)', fakeGitHub.tokenRequests.refresh_token - refreshesBefore);
  show('access token', `${mask(tokens['access_token'])} -> ${mask(refreshed['access_token'])}`);
  check(afterExpiry.successful, 'the call succeeded without ada doing anything');
  check(
    fakeGitHub.tokenRequests.refresh_token - refreshesBefore === 1,
    'the token endpoint was asked for a refresh exactly once',
  );
  check(
    expirySaw.length === 2 &&
      bearerToken(expirySaw[0]!) === tokens['access_token'] &&
      bearerToken(expirySaw[1]!) === refreshed['access_token'],
    'the API refused the old token (401), and the request was sent once more with the new one',
  );
  check(
    refreshed['access_token'] !== tokens['access_token'] && refreshed['refresh_token'] !== tokens['refresh_token'],
    'the new access token and the rotated refresh token were stored',
  );
  check(
    !fakeGitHub.oauth.isRefreshTokenActive(tokens['refresh_token'] ?? ''),
    'the old refresh token was spent: GitHub rotates them',
  );

  // 6 ─────────────────────────────────────────────────────────────────────────────────────────
  enter(6, 'What a bad input and an upstream error look like');
  say('executeAction never throws: failures are results with a stable error code.');
  const sentBeforeBad = routes.sent.length;
  code(
    "await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', { owner: 'plugboard-demo', repo: 'widgets', pull_number: 'forty-two' });",
  );
  const bad = await toolset.executeAction(
    'GITHUB_GET_A_PULL_REQUEST',
    { ...PULL, pull_number: 'forty-two' },
    { entityId: 'ada' },
  );
  show('result', describeFailure(bad));
  const issues = bad.successful
    ? undefined
    : (bad.error.details as { issues?: Array<{ path: unknown[]; message: string }> } | undefined)?.issues;
  show('issues', issues?.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') ?? '(none)');
  check(!bad.successful && bad.error.code === 'INVALID_PARAMS', 'a pull number that is not a number is INVALID_PARAMS');
  check(routes.sent.length === sentBeforeBad, 'and nothing was sent');

  code(
    `await toolset.initiateConnection({ app: 'shopify', entityId: 'eve', connectedAccountParams: { api_key, shop: 'evil.example/x' } });`,
  );
  try {
    await toolset.initiateConnection({
      app: 'shopify',
      entityId: 'eve',
      connectedAccountParams: { api_key: shopifyToken, shop: 'evil.example/x' },
    });
    check(false, 'a shop that is not one DNS label is refused');
  } catch (error) {
    const refused = error as { code?: string; message?: string };
    show('throws', `${refused.code}: ${refused.message}`);
    check(
      refused.code === 'INVALID_CONNECTION_PARAMS',
      'a shop that is not one DNS label is INVALID_CONNECTION_PARAMS',
    );
  }
  check(
    (await toolset.listConnections({ entityId: 'eve' })).length === 0 && routes.sent.length === sentBeforeBad,
    'nothing was stored or sent for it',
  );

  code("await toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', { ..., pull_number: 999 }, { entityId: 'ada' });");
  const missing = await toolset.executeAction(
    'GITHUB_GET_A_PULL_REQUEST',
    { ...PULL, pull_number: 999 },
    { entityId: 'ada' },
  );
  show('result', describeFailure(missing));
  check(
    !missing.successful && missing.error.code === 'UPSTREAM_ERROR' && missing.error.status === 404,
    "GitHub's 404 is an UPSTREAM_ERROR result with status 404 and GitHub's message",
  );

  const revoked = protect(`ya29.a0${randomBytes(24).toString('base64url')}`);
  code(
    "await toolset.executeAction('GMAIL_FETCH_EMAILS', {}, { auth: { parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer <a revoked token>' }] } });",
  );
  const unauthorized = await toolset.executeAction(
    'GMAIL_FETCH_EMAILS',
    {},
    { auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${revoked}` }] } },
  );
  show('result', describeFailure(unauthorized));
  check(!unauthorized.successful && unauthorized.error.status === 401, "Google's 401 comes back as a result too");
  check(!JSON.stringify(unauthorized).includes(revoked), 'and the token is nowhere in it');

  await showStoreOnDisk({
    dir: storeDir,
    kind: demoStore.kind,
    secrets: [
      githubApp.clientSecret,
      gmailToken,
      shopifyToken,
      tokens['access_token'],
      tokens['refresh_token'],
      refreshed['access_token'],
      refreshed['refresh_token'],
    ],
    connections: (await toolset.listConnections({ status: 'ACTIVE' })).length,
    reopen: demoStore.reopen,
  });
  say(
    `\n${bold('Next')}: the same flows against the real APIs, with your own credentials: see "Against the real APIs" in README.md.`,
  );
}
