import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';
import { shopConnector } from '../../test/fixtures.js';
import { createToolset, type ActionContext, type FetchFunction } from '../index.js';

let server: RecordingServer;
beforeEach(async () => {
  server = await startRecordingServer(() => ({ json: { shop: { name: 'Acme' } } }));
});
afterEach(async () => {
  await server.close();
});

/** Shoply lives at {shop}.shoply.test; every host is routed to the local server. */
function shoplyToolset() {
  const toLocal: FetchFunction = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.host = new URL(server.url).host;
    return fetch(new Request(url, request));
  };
  const toolset = createToolset({ connectors: [shopConnector('http://{shop}.shoply.test:9')], fetch: toLocal });
  const seen: Array<ActionContext<unknown>['connection']> = [];
  toolset.createAction({
    name: 'SHOPLY_WHICH_SHOP',
    description: 'Reads the shop through the connection it acts for.',
    app: 'shoply',
    input: z.object({}),
    run: async (context) => {
      seen.push(context.connection);
      return (await context.request({ method: 'GET', path: '/shop.json' })).data;
    },
  });
  return { toolset, seen };
}

describe('context.connection of an action run', () => {
  it('carries the id, the entity and the non-secret user fields of the connection, never a credential', async () => {
    const { toolset, seen } = shoplyToolset();
    const request = await toolset.initiateConnection({
      app: 'shoply',
      entityId: 'merchant-1',
      connectedAccountParams: { api_key: 'shpat_secret_value_123', shop: 'acme' },
    });
    const result = await toolset.executeAction('SHOPLY_WHICH_SHOP', {}, { entityId: 'merchant-1' });
    expect(result).toMatchObject({ successful: true, data: { shop: { name: 'Acme' } } });
    expect(seen).toEqual([{ id: request.connectedAccountId, entityId: 'merchant-1', fields: { shop: 'acme' } }]);
    expect(JSON.stringify(seen)).not.toContain('shpat_secret_value_123');
    // The key did reach the API: the run context just does not hold it.
    expect(server.requests[0]?.headers['x-shoply-access-token']).toBe('shpat_secret_value_123');
    expect(Object.isFrozen(seen[0]?.fields)).toBe(true);
  });

  it('is absent when the call brings its own credentials', async () => {
    const { toolset, seen } = shoplyToolset();
    const result = await toolset.executeAction(
      'SHOPLY_WHICH_SHOP',
      {},
      {
        auth: {
          parameters: [
            { name: 'X-Shoply-Access-Token', value: 'shpat_per_call_456', in: 'header' },
            { name: 'shop', value: 'globex', in: 'subdomain' },
          ],
        },
      },
    );
    expect(result.successful).toBe(true);
    expect(seen).toEqual([undefined]);
  });
});
