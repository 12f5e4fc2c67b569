// Smoke test of the published @plugboard/core, run by check-packages.mjs with plain node in an npm
// project outside the workspace, where only it and zod are installed from the registry. It proves the
// published files work end to end: a connector defined with the public API sends its credential
// to a real HTTP server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import {
  CONNECTOR_SPEC_VERSION,
  PlugboardError,
  bearerTokenScheme,
  createToolset,
  defineAction,
  defineConnector,
} from '@plugboard/core';
import { z } from 'zod';

const TOKEN = 'smoke-token-5f1c2a';
const received = [];
const server = createServer((request, response) => {
  received.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
  const authorized = request.headers.authorization === `Bearer ${TOKEN}`;
  response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify(
      authorized
        ? { id: decodeURIComponent(request.url.split('/').at(-1)), name: 'Sprocket' }
        : { message: 'Bad credentials' },
    ),
  );
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

let checks = 0;
try {
  const { port } = server.address();
  const widgets = defineConnector({
    id: 'widgets',
    name: 'Widgets',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: `http://127.0.0.1:${port}/api`,
    authSchemes: [bearerTokenScheme()],
    actions: [
      defineAction({
        name: 'WIDGETS_GET_WIDGET',
        description: 'Get one widget.',
        input: z.object({ id: z.string().min(1) }),
        output: z.object({ id: z.string(), name: z.string() }),
        request: 'GET /widgets/{id}',
      }),
    ],
  });
  const toolset = createToolset({ connectors: [widgets], http: { retries: 0 } });
  const auth = { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${TOKEN}` }] };

  // Per-call custom auth.
  const result = await toolset.executeAction('WIDGETS_GET_WIDGET', { id: 'w 1' }, { auth });
  assert.deepEqual(result, { successful: true, data: { id: 'w 1', name: 'Sprocket' }, error: null });
  assert.deepEqual(received.at(-1), { method: 'GET', url: '/api/widgets/w%201', authorization: `Bearer ${TOKEN}` });
  checks += 1;

  // addAuth for the app.
  toolset.addAuth('widgets', auth);
  assert.equal((await toolset.executeAction('WIDGETS_GET_WIDGET', { id: 'w2' })).successful, true);
  assert.equal(received.at(-1).authorization, `Bearer ${TOKEN}`);
  toolset.removeAuth('widgets');
  checks += 1;

  // A stored connection for an entity.
  const connection = await toolset.initiateConnection({
    app: 'widgets',
    entityId: 'user-1',
    connectedAccountParams: { token: TOKEN },
  });
  assert.equal(connection.connectionStatus, 'ACTIVE');
  assert.equal(
    (await toolset.executeAction('WIDGETS_GET_WIDGET', { id: 'w3' }, { entityId: 'user-1' })).successful,
    true,
  );
  assert.equal(received.at(-1).authorization, `Bearer ${TOKEN}`);
  checks += 1;

  // Invalid input sends nothing.
  const before = received.length;
  const invalid = await toolset.executeAction('WIDGETS_GET_WIDGET', { id: '' }, { auth });
  assert.equal(invalid.successful, false);
  assert.equal(invalid.error.code, 'INVALID_PARAMS');
  assert.equal(received.length, before);
  checks += 1;

  // An upstream 401 is a result with a stable code, and the token is not in it.
  const wrongToken = `${TOKEN}-wrong`;
  const rejected = await toolset.executeAction(
    'WIDGETS_GET_WIDGET',
    { id: 'w4' },
    { auth: { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${wrongToken}` }] } },
  );
  assert.equal(rejected.successful, false);
  assert.equal(rejected.error.code, 'UPSTREAM_ERROR');
  assert.equal(rejected.error.status, 401);
  assert.ok(!JSON.stringify(rejected).includes(wrongToken), 'the rejected token leaked into the result');
  checks += 1;

  // Errors are recognised across copies of core.
  assert.equal(PlugboardError.isInstance(new PlugboardError('NO_CREDENTIALS', 'x')), true);
  checks += 1;
} finally {
  server.close();
}
console.log(`${checks} checks passed`);
