// Smoke test of the published @plugboard/trello, run by check-packages.mjs with plain node in an npm
// project outside the workspace (it, core and zod installed from the registry): with an API key and token, an
// action puts both in the query of a request to api.trello.com, answered here by a fetch double.
import assert from 'node:assert/strict';
import { createToolset } from '@plugboard/core';
import { trello } from '@plugboard/trello';

const seen = [];
const toolset = createToolset({
  connectors: [trello],
  fetch: async (input, init) => {
    const request = new Request(input, init);
    seen.push(request.url);
    return Response.json([{ id: '5f1a2b3c4d5e6f7a8b9c0d1e', name: 'Roadmap' }]);
  },
});
await toolset.initiateConnection({
  app: 'trello',
  authMode: 'API_KEY',
  connectedAccountParams: { api_key: 'smoke-key-123', token: 'smoke-token-456' },
});
const result = await toolset.executeAction('TRELLO_GET_MEMBER_BOARDS', { filter: 'open' });
assert.deepEqual(result, {
  successful: true,
  data: [{ id: '5f1a2b3c4d5e6f7a8b9c0d1e', name: 'Roadmap' }],
  error: null,
});
assert.equal(seen[0], 'https://api.trello.com/1/members/me/boards?filter=open&key=smoke-key-123&token=smoke-token-456');
assert.deepEqual(
  toolset.listApps().map((app) => [app.id, app.authModes]),
  [['trello', ['OAUTH1', 'API_KEY']]],
);
console.log('trello smoke: 3 checks passed');
