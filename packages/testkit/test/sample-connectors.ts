import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  basicScheme,
  bearerTokenScheme,
  defineAction,
  defineConnector,
  oauth1Scheme,
  oauth2Scheme,
  type ConnectorDefinition,
} from '@plugboard/core';
import type { ConnectorFixtures } from '../src/index.js';

/** A connector with every placement and most auth modes, written as a third party would. */
export function sampleDefinition(): ConnectorDefinition {
  return {
    id: 'sample',
    name: 'Sample',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'https://{workspace}.sample.test/api/v2',
    headers: { Accept: 'application/json' },
    preferredAuthMode: 'API_KEY',
    authSchemes: [
      apiKeyScheme({
        fields: [{ name: 'workspace', displayName: 'Workspace', pattern: '[a-z0-9-]+' }],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{api_key}}' },
          { in: 'subdomain', name: 'workspace', value: '{{workspace}}' },
        ],
      }),
      bearerTokenScheme({
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [{ in: 'subdomain', name: 'workspace', value: '{{workspace}}' }],
      }),
      basicScheme({
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [{ in: 'subdomain', name: 'workspace', value: '{{workspace}}' }],
      }),
      oauth2Scheme({
        authorizationUrl: 'https://sample.test/oauth/authorize',
        tokenUrl: 'https://sample.test/oauth/token',
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [{ in: 'subdomain', name: 'workspace', value: '{{workspace}}' }],
      }),
      oauth1Scheme({
        requestTokenUrl: 'https://sample.test/oauth1/request_token',
        authorizationUrl: 'https://sample.test/oauth1/authorize',
        accessTokenUrl: 'https://sample.test/oauth1/access_token',
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [{ in: 'subdomain', name: 'workspace', value: '{{workspace}}' }],
      }),
    ],
    actions: [
      defineAction({
        name: 'SAMPLE_GET_ITEM',
        description: 'Get one item by id.',
        input: z.object({ id: z.string().min(1), fields: z.string().min(1).optional() }),
        request: 'GET /items/{id}',
      }),
      defineAction({
        name: 'SAMPLE_CREATE_ITEM',
        description: 'Create an item in a folder.',
        input: z.object({ folder: z.string(), title: z.string().min(1), tags: z.array(z.string()).optional() }),
        request: { method: 'POST', path: '/folders/{folder}/items', bodyEncoding: 'form' },
      }),
      defineAction({
        name: 'SAMPLE_RENAME_ITEM',
        description: 'Read an item, then rename it.',
        input: z.object({ id: z.string(), title: z.string() }),
        run: async ({ input, request }) => {
          const before = await request<{ title: string }>({
            method: 'GET',
            path: '/items/{id}',
            pathParams: { id: input.id },
          });
          const after = await request({
            method: 'PATCH',
            path: '/items/{id}',
            pathParams: { id: input.id },
            body: { title: input.title },
          });
          return { before: before.data.title, after: after.data };
        },
      }),
    ],
  };
}

export const sampleFixtures: ConnectorFixtures = {
  fieldValues: { workspace: 'acme' },
  actions: {
    SAMPLE_GET_ITEM: {
      input: { id: 'it 1', fields: 'all' },
      request: { method: 'GET', path: '/items/it%201', query: { fields: 'all' } },
      response: { json: { id: 'it 1', title: 'One' } },
    },
    SAMPLE_CREATE_ITEM: {
      input: { folder: 'f1', title: 'A & B', tags: ['x', 'y'] },
      request: { method: 'POST', path: '/folders/f1/items', body: { title: 'A & B', tags: ['x', 'y'] } },
      response: { status: 201, json: { id: 'it2' } },
      invalidInputs: [{ folder: 'f1', title: '' }],
    },
    SAMPLE_RENAME_ITEM: {
      input: { id: 'it1', title: 'New' },
      request: [
        { method: 'GET', path: '/items/it1' },
        { method: 'PATCH', path: '/items/it1', body: { title: 'New' } },
      ],
      response: [{ json: { title: 'Old' } }, { json: { title: 'New' } }],
    },
  },
};

export const sample = defineConnector(sampleDefinition());
