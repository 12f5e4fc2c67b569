// A toolset over a fake third-party API, shared by the in-process tests and the spawned bin.
// Plain JavaScript, so `plugboard-mcp` can load it without a TypeScript loader.
import { CONNECTOR_SPEC_VERSION, apiKeyScheme, createToolset, defineAction, defineConnector } from '@plugboard/core';
import { z } from 'zod';

/** The Acme API at `baseUrl`, with two users connected: user-1 with key-user-1, user-2 with key-user-2. */
export async function acmeToolset(baseUrl) {
  const acme = defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] })],
    actions: [
      defineAction({
        name: 'ACME_GET_THING',
        description: 'Get one thing by its id.',
        tags: ['read'],
        input: z.object({ thing_id: z.number().int().describe('The id of the thing.') }),
        request: 'GET /things/{thing_id}',
      }),
      defineAction({
        name: 'ACME_DELETE_THING',
        description: 'Delete a thing.',
        tags: ['write'],
        input: z.object({ thing_id: z.number().int() }),
        request: 'DELETE /things/{thing_id}',
      }),
    ],
  });
  const toolset = createToolset({ connectors: [acme] });
  const connections = {};
  for (const entityId of ['user-1', 'user-2']) {
    const request = await toolset.initiateConnection({
      app: 'acme',
      entityId,
      connectedAccountParams: { api_key: `key-${entityId}` },
    });
    connections[entityId] = request.connectedAccountId;
  }
  return { toolset, connections };
}
