import { CONNECTOR_SPEC_VERSION, defineAction, defineConnector, apiKeyScheme, oauth2Scheme } from '@plugboard/core';
import { z } from 'zod';

const whoAmI = defineAction({ name: 'ACME_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' });

/** An API-key app for in-process toolset tests. */
export function acmeApiKeyConnector(baseUrl: string) {
  return defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [apiKeyScheme({ placements: [{ in: 'header', name: 'x-api-key', value: '{{api_key}}' }] })],
    actions: [whoAmI],
  });
}

/** The same app with OAuth 2.0 on fake-provider.ts (its `/me` is the API). */
export function acmeOAuth2Connector(providerOrigin: string) {
  return defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: providerOrigin,
    authSchemes: [
      oauth2Scheme({ authorizationUrl: `${providerOrigin}/authorize`, tokenUrl: `${providerOrigin}/token` }),
    ],
    actions: [whoAmI],
  });
}

/** An API on 127.0.0.1 that answers `GET /me` when the key is `apiKey`. */
export async function startAcmeApi(apiKey = 'k-1') {
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    const ok = request.headers['x-api-key'] === apiKey;
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { ok: true } : { error: 'bad key' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
