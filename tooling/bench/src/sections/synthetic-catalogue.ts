// A synthetic catalogue the size of the four real ones together (about 2,100 actions) with names,
// descriptions and parameters shaped like generated actions: `FORGE_LIST_WEBHOOKS_FOR_A_REPOSITORY`,
// "List the webhooks of a repository, one page at a time.", a JSON Schema given as data and a zod
// input built on first use. It stands in for the generated GitHub, Gmail and Shopify catalogues
// until they are merged.

import {
  CONNECTOR_SPEC_VERSION,
  bearerTokenScheme,
  defineAction,
  defineConnector,
  type Action,
  type Connector,
} from '@plugboard/core';
import { z } from 'zod';

interface AppShape {
  id: string;
  name: string;
  /** Parent resources: each owns every resource below. */
  parents: string[];
  resources: string[];
}

// Five apps x 6 parents x 10 resources x 7 verbs = 2,100 actions.
const APPS: AppShape[] = [
  {
    id: 'forge',
    name: 'Forge',
    parents: ['repository', 'organization', 'project', 'team', 'enterprise', 'gist'],
    resources: [
      'webhook',
      'deploy key',
      'collaborator',
      'branch protection rule',
      'workflow run',
      'release asset',
      'commit comment',
      'secret',
      'environment',
      'check suite',
    ],
  },
  {
    id: 'mailer',
    name: 'Mailer',
    parents: ['mailbox', 'user', 'domain', 'delegate', 'shared drive', 'group'],
    resources: [
      'message',
      'draft',
      'thread',
      'label',
      'filter',
      'forwarding address',
      'vacation responder',
      'send-as alias',
      'attachment',
      'contact',
    ],
  },
  {
    id: 'store',
    name: 'Store',
    parents: ['shop', 'location', 'market', 'sales channel', 'collection', 'customer segment'],
    resources: [
      'product',
      'product variant',
      'order',
      'fulfillment',
      'refund',
      'discount code',
      'gift card',
      'inventory level',
      'price rule',
      'metafield',
    ],
  },
  {
    id: 'boards',
    name: 'Boards',
    parents: ['board', 'workspace', 'list', 'member', 'organization', 'enterprise'],
    resources: [
      'card',
      'checklist',
      'checklist item',
      'label',
      'attachment',
      'custom field',
      'power-up',
      'webhook',
      'sticker',
      'comment',
    ],
  },
  {
    id: 'helpdesk',
    name: 'Helpdesk',
    parents: ['account', 'brand', 'group', 'organization', 'view', 'macro'],
    resources: [
      'ticket',
      'ticket field',
      'satisfaction rating',
      'agent',
      'trigger',
      'automation',
      'sla policy',
      'tag',
      'article',
      'audit log entry',
    ],
  },
];

const VERBS = [
  { verb: 'LIST', method: 'GET', sentence: (r: string, p: string) => `List the ${r}s of a ${p}, one page at a time.` },
  { verb: 'GET', method: 'GET', sentence: (r: string, p: string) => `Get one ${r} of a ${p} by its id.` },
  { verb: 'CREATE', method: 'POST', sentence: (r: string, p: string) => `Create a ${r} for a ${p}.` },
  {
    verb: 'UPDATE',
    method: 'PATCH',
    sentence: (r: string, p: string) => `Update a ${r} of a ${p}: change its fields.`,
  },
  { verb: 'DELETE', method: 'DELETE', sentence: (r: string, p: string) => `Delete a ${r} from a ${p}.` },
  { verb: 'REPLACE', method: 'PUT', sentence: (r: string, p: string) => `Replace every setting of a ${r} of a ${p}.` },
  {
    verb: 'SEARCH',
    method: 'GET',
    sentence: (r: string, p: string) => `Search the ${r}s of a ${p} by text, date or state.`,
  },
] as const;

const upper = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
const snake = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '_');

export const SYNTHETIC_ACTION_COUNT = APPS.reduce(
  (total, app) => total + app.parents.length * app.resources.length * VERBS.length,
  0,
);

function generated(app: AppShape): Action[] {
  const actions: Action[] = [];
  for (const parent of app.parents) {
    for (const resource of app.resources) {
      for (const { verb, method, sentence } of VERBS) {
        const one = verb === 'GET' || verb === 'UPDATE' || verb === 'DELETE' || verb === 'REPLACE';
        const parentId = `${snake(parent)}_id`;
        const resourceId = `${snake(resource)}_id`;
        const properties: Record<string, object> = {
          [parentId]: { type: 'string', description: `The id of the ${parent}.` },
          ...(one ? { [resourceId]: { type: 'string', description: `The id of the ${resource}.` } } : {}),
          ...(verb === 'LIST' || verb === 'SEARCH'
            ? {
                per_page: { type: 'integer', description: 'Results per page (max 100).' },
                page: { type: 'integer', description: 'Page number of the results to fetch.' },
              }
            : {}),
          ...(verb === 'SEARCH' ? { q: { type: 'string', description: 'The search text.' } } : {}),
          ...(verb === 'CREATE' || verb === 'UPDATE' || verb === 'REPLACE'
            ? { name: { type: 'string', description: `The ${resource}'s name.` } }
            : {}),
        };
        const required = one ? [parentId, resourceId] : [parentId];
        const path = `/${snake(parent)}s/{${parentId}}/${snake(resource)}s${one ? `/{${resourceId}}` : ''}`;
        const article = /^[aeiou]/.test(resource) ? 'AN' : 'A';
        const noun = verb === 'LIST' || verb === 'SEARCH' ? `${upper(resource)}S` : `${article}_${upper(resource)}`;
        actions.push(
          defineAction({
            name: `${upper(app.id)}_${verb}_${noun}_FOR_${/^[aeiou]/.test(parent) ? 'AN' : 'A'}_${upper(parent)}`,
            description: sentence(resource, parent),
            tags: [snake(resource), snake(parent)],
            input: () =>
              z.object(
                Object.fromEntries(
                  Object.entries(properties).map(([key, schema]) => {
                    const type = (schema as { type: string }).type === 'integer' ? z.number().int() : z.string();
                    return [key, required.includes(key) ? type : type.optional()];
                  }),
                ),
              ),
            inputJsonSchema: { type: 'object', properties, required, additionalProperties: false },
            request: `${method} ${path}`,
          }),
        );
      }
    }
  }
  return actions;
}

/** The synthetic apps: no curated actions, every action generated on first use. */
export function syntheticCatalogue(baseUrl: string): Connector[] {
  return APPS.map((app) =>
    defineConnector({
      id: app.id,
      name: app.name,
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl,
      authSchemes: [bearerTokenScheme()],
      actions: [],
      generatedActions: () => generated(app),
    }),
  );
}

/** Queries as users type them, over the synthetic apps. */
export const SEARCH_QUERIES = [
  'list the webhooks of my repository',
  'rerun the failed workflow run',
  'delete a deploy key',
  'who collaborates on the project',
  'protect the main branch',
  'download a release asset',
  'set a secret for the organization',
  'send a draft from my mailbox',
  'turn on my out of office vacation responder',
  'forward mail to another address',
  'create a filter for newsletters',
  'find messages with attachments',
  'add a contact to the group',
  'refund an order',
  'create a discount code for the summer sale',
  'how many items are left in stock at the warehouse location',
  'update the price of a product variant',
  'list unfulfilled orders',
  'issue a gift card',
  'add a card to the board',
  'tick a checklist item',
  'comment on a card',
  'move a card to another list',
  'add a custom field to the workspace',
  'open a support ticket',
  'assign the ticket to an agent',
  'what did customers rate us',
  'create an automation for the group',
  'tag tickets about billing',
  'search the audit log',
];
