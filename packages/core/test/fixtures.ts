import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  basicScheme,
  bearerTokenScheme,
  defineAction,
  defineConnector,
  noAuthScheme,
  oauth2Scheme,
  type Action,
} from '../src/index.js';

/** A fake API with every no-redirect auth mode, pointed at a local recording server. */
export function acmeConnector(baseUrl: string) {
  return defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.2.3',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    headers: { Accept: 'application/json', 'X-Acme-Version': '2024-01' },
    preferredAuthMode: 'API_KEY',
    authSchemes: [
      apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] }),
      bearerTokenScheme(),
      basicScheme(),
      oauth2Scheme({
        authorizationUrl: `${baseUrl}/oauth/authorize`,
        tokenUrl: `${baseUrl}/oauth/token`,
        defaultScopes: ['read'],
      }),
      noAuthScheme(),
    ],
    actions: [
      defineAction({
        name: 'ACME_GET_THING',
        description: 'Get one thing.',
        tags: ['things', 'read'],
        aliases: ['ACME_FETCH_THING'],
        input: z.object({
          owner: z.string(),
          thing_id: z.number().int(),
          verbose: z.boolean().optional(),
          labels: z.array(z.string()).optional(),
        }),
        request: 'GET /owners/{owner}/things/{thing_id}',
      }),
      defineAction({
        name: 'ACME_CREATE_THING',
        description: 'Create a thing.',
        tags: ['things', 'write'],
        input: z.object({
          owner: z.string(),
          title: z.string().min(1),
          body: z.string().optional(),
          dry_run: z.boolean().optional(),
        }),
        request: { method: 'POST', path: '/owners/{owner}/things', query: ['dry_run'] },
      }),
      defineAction({
        name: 'ACME_SUBMIT_FORM',
        description: 'Submit a form-encoded body.',
        input: z.object({ name: z.string(), tags: z.array(z.string()).default([]) }),
        request: { method: 'POST', path: '/forms', bodyEncoding: 'form' },
      }),
      defineAction({
        name: 'ACME_GET_FILE',
        description: 'Get a file by a path with slashes.',
        input: z.object({ owner: z.string(), path: z.string() }),
        request: 'GET /owners/{owner}/files/{+path}',
      }),
      defineAction({
        name: 'ACME_COUNT_THINGS',
        description: 'Checks its output.',
        input: z.object({}),
        output: z.object({ count: z.number() }),
        request: 'GET /count',
      }),
      defineAction({
        name: 'ACME_RENAME_OWNER',
        description: 'Two requests: read, then write.',
        input: z.object({ owner: z.string(), name: z.string() }),
        run: async ({ input, request }) => {
          const current = await request<{ name: string }>({
            method: 'GET',
            path: '/owners/{owner}',
            pathParams: { owner: input.owner },
          });
          const updated = await request({
            method: 'PATCH',
            path: '/owners/{owner}',
            pathParams: { owner: input.owner },
            body: { name: input.name },
          });
          return { before: current.data.name, after: updated.data };
        },
      }),
      defineAction({
        name: 'ACME_LIST_PAGES',
        description: 'Maps the response and adds a cursor.',
        input: z.object({ cursor: z.string().optional() }),
        request: 'GET /pages',
        mapResponse: (response) => ({ items: response.data, nextCursor: response.headers.get('x-next-cursor') }),
      }),
    ],
  });
}

/** A shop-per-subdomain API, like Shopify: the shop name is a user field placed in the host. */
export function shopConnector(baseUrl: string) {
  return defineConnector({
    id: 'shoply',
    name: 'Shoply',
    version: '0.1.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [
      apiKeyScheme({
        keyField: { name: 'api_key', displayName: 'Admin API access token' },
        fields: [
          {
            name: 'shop',
            displayName: 'Shop name',
            pattern: '[a-z0-9][a-z0-9-]*',
            description: 'The part before .shoply.test',
          },
        ],
        placements: [
          { in: 'header', name: 'X-Shoply-Access-Token', value: '{{api_key}}' },
          { in: 'subdomain', name: 'shop', value: '{{shop}}' },
        ],
      }),
    ],
    actions: [
      defineAction({
        name: 'SHOPLY_GET_SHOP',
        description: 'Get the shop.',
        input: z.object({}),
        request: 'GET /shop.json',
      }),
    ],
  });
}

/** A public API with only NO_AUTH. */
export function publicConnector(baseUrl: string) {
  return defineConnector({
    id: 'open-data',
    name: 'Open data',
    version: '0.0.1',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [noAuthScheme()],
    actions: [
      defineAction({ name: 'OPEN_DATA_GET', description: 'Public data.', input: z.object({}), request: 'GET /data' }),
    ],
  });
}

/** The OAuth 2.0 endpoints a connector needs: the test kit's fake provider (`startFakeOAuth2Server`). */
interface OAuth2Provider {
  resourceUrl: string;
  authorizationUrl: string;
  tokenUrl: string;
}

const whoAmI = defineAction({ name: 'OCTO_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' });

/** An OAuth 2.0 API on a fake provider: `OCTO_WHOAMI` (`GET /me`), and any further actions. */
export function octoConnector(provider: OAuth2Provider, extraActions: readonly Action[] = []) {
  return defineConnector({
    id: 'octo',
    name: 'Octo',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: provider.resourceUrl,
    authSchemes: [oauth2Scheme({ authorizationUrl: provider.authorizationUrl, tokenUrl: provider.tokenUrl })],
    actions: [whoAmI, ...extraActions],
  });
}
