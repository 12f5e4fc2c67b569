import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  createToolset,
  defineAction,
  defineConnector,
  type Action,
  type Toolset,
} from '@plugboard/core';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';

/** Acme's two actions: `ACME_GET_THING`, tagged `read`, and `ACME_DELETE_THING`, tagged `write`. */
function acmeActions(): Action[] {
  return [
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
  ];
}

/**
 * Acme, a third-party API with an API key in `X-Api-Key`: a sample connector for tests of code that
 * serves a toolset to agents (the MCP adapter, the CLI's `plugboard mcp`), with `startAcmeApi()` as
 * its API. `actions` replaces its two actions (`ACME_GET_THING`, tagged `read`, and
 * `ACME_DELETE_THING`, tagged `write`) when a test needs others.
 */
export function acmeConnector(baseUrl: string, actions: Action[] = acmeActions()) {
  return defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] })],
    actions,
  });
}

/** The entities `acmeToolset` connects, each with the API key `key-<entity>`. */
export type AcmeEntity = 'user-1' | 'user-2';

/** A toolset over `acmeConnector(baseUrl)` with user-1 (`key-user-1`) and user-2 (`key-user-2`) connected. */
export async function acmeToolset(
  baseUrl: string,
): Promise<{ toolset: Toolset; connections: Record<AcmeEntity, string> }> {
  const toolset = createToolset({ connectors: [acmeConnector(baseUrl)] });
  const connections = {} as Record<AcmeEntity, string>;
  for (const entityId of ['user-1', 'user-2'] as const) {
    const request = await toolset.initiateConnection({
      app: 'acme',
      entityId,
      connectedAccountParams: { api_key: `key-${entityId}` },
    });
    connections[entityId] = request.connectedAccountId;
  }
  return { toolset, connections };
}

export interface AcmeApiOptions {
  /** Each request waits (up to `holdMs`) until this many are in flight, so a test can prove calls ran at the same time. @default 1 */
  holdUntil?: number;
  /** @default 2000 */
  holdMs?: number;
}

/**
 * Acme's API on a recording server: `/things/{id}` answers `{ id, calledWith }` with the API key it
 * was called with; thing 404 does not exist, and any other path is a 404.
 */
export function startAcmeApi({ holdUntil = 1, holdMs = 2_000 }: AcmeApiOptions = {}): Promise<RecordingServer> {
  let held = 0;
  const waiting: (() => void)[] = [];
  return startRecordingServer(async (request) => {
    held += 1;
    if (held >= holdUntil) for (const release of waiting.splice(0)) release();
    else
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, holdMs);
      });
    held -= 1;
    const match = /^\/things\/(\d+)$/.exec(request.path);
    if (!match) return { status: 404, json: { message: 'No route' } };
    if (match[1] === '404') return { status: 404, json: { message: 'Thing not found' } };
    return { json: { id: Number(match[1]), calledWith: request.headers['x-api-key'] ?? null } };
  });
}
