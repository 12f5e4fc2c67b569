// Smoke test of the published @plugboard/testkit, run by check-packages.mjs with plain node in an npm
// project outside the workspace (it, core, zod and vitest installed from the registry): the recording server
// records a rerouted call, and the conformance checks pass a good connector and fail a broken one.
import assert from 'node:assert/strict';
import { CONNECTOR_SPEC_VERSION, apiKeyScheme, createToolset, defineAction, defineConnector } from '@plugboard/core';
import { checkConnector, rerouteFetch, startRecordingServer } from '@plugboard/testkit';
import { z } from 'zod';

const connector = (request) =>
  defineConnector({
    id: 'smoke',
    name: 'Smoke',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'https://api.smoke.example/v1',
    authSchemes: [apiKeyScheme({ placements: [{ in: 'query', name: 'key', value: '{{api_key}}' }] })],
    actions: [
      defineAction({
        name: 'SMOKE_GET_THING',
        description: 'Get one thing by id.',
        input: z.object({ id: z.string().min(1) }),
        request,
      }),
    ],
  });

const server = await startRecordingServer({
  'GET /v1/things/{id}': (request) => ({ json: { id: request.params.id } }),
});
try {
  const { fetch, sent } = rerouteFetch({ 'https://api.smoke.example': server.url });
  const toolset = createToolset({ connectors: [connector('GET /things/{id}')], fetch });
  const result = await toolset.executeAction(
    'SMOKE_GET_THING',
    { id: 't1' },
    { auth: { parameters: [{ name: 'key', in: 'query', value: 'k-123' }] } },
  );
  assert.deepEqual(result, { successful: true, data: { id: 't1' }, error: null });
  assert.equal(sent[0].url, 'https://api.smoke.example/v1/things/t1?key=k-123');
  assert.equal(server.requests[0].query.get('key'), 'k-123');
} finally {
  await server.close();
}

const fixtures = {
  actions: {
    SMOKE_GET_THING: {
      input: { id: 't1' },
      request: { method: 'GET', path: '/things/t1' },
      response: { json: { id: 't1' } },
    },
  },
};
assert.deepEqual(await checkConnector(connector('GET /things/{id}'), fixtures), []);
const failures = await checkConnector(connector('POST /things/{id}'), fixtures);
assert.deepEqual(
  failures.map((failure) => failure.message),
  ['SMOKE_GET_THING request 1: method POST, fixture says GET.'],
);
console.log('testkit smoke: 5 checks passed');
