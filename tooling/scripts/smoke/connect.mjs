// Smoke test of the published @plugboard/connect, run by check-packages.mjs with plain node in an npm
// project outside the workspace (it, core and zod installed from the registry): a link opens once,
// the page asks for the API key with a strict CSP, the form connects the user, and the link is then used up.
import assert from 'node:assert/strict';
import { apiKeyScheme, CONNECTOR_SPEC_VERSION, createToolset, defineConnector } from '@plugboard/core';
import { createConnectHandler, createConnectLink } from '@plugboard/connect';

const acme = defineConnector({
  id: 'acme',
  name: 'Acme',
  version: '1.0.0',
  specVersion: CONNECTOR_SPEC_VERSION,
  baseUrl: 'https://api.acme.example',
  authSchemes: [
    apiKeyScheme({
      keyField: { name: 'api_key', displayName: 'API key', pattern: 'acme_[a-z0-9]{8,}' },
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }],
    }),
  ],
  actions: [],
});
const toolset = createToolset({ connectors: [acme] });
const integration = await toolset.createIntegration({ app: 'acme', authMode: 'API_KEY' });
const secret = 'smoke-secret-0123456789-abcdefghijklmnop';
const connect = createConnectHandler({ toolset, secret });
const origin = 'https://myapp.example';
const link = await createConnectLink({
  toolset,
  secret,
  baseUrl: `${origin}/connect`,
  entityId: 'user-42',
  integrationId: integration.id,
});

const opened = await connect(new Request(link.url));
assert.equal(opened.status, 303);
const cookie = opened.headers.get('set-cookie').split(';')[0];
const page = await connect(new Request(`${origin}/connect/session`, { headers: { cookie } }));
assert.match(page.headers.get('content-security-policy'), /default-src 'none'/);
const html = await page.text();
assert.match(html, /<input id="field-api_key" name="api_key"[^>]* type="password" autocomplete="off"/);
const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
const sent = await connect(
  new Request(`${origin}/connect/session`, {
    method: 'POST',
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf, _mode: 'API_KEY', api_key: 'acme_12345678' }),
  }),
);
assert.equal(sent.status, 200);
assert.deepEqual(
  (await toolset.listConnections({ entityId: 'user-42' })).map((connection) => connection.status),
  ['ACTIVE'],
);
assert.equal((await connect(new Request(link.url))).status, 410);
console.log('connect smoke: 6 checks passed');
