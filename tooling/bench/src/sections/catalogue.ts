// Catalogue scale: 100 synthetic connectors with 100 actions each (10,000 actions, each with its
// own zod input schema). Memory after a full garbage collection (run with --expose-gc),
// registration time, listActions with its JSON Schema export, and whether finding and running one
// action costs more in the big toolset than in a toolset with one connector.

import {
  CONNECTOR_SPEC_VERSION,
  bearerTokenScheme,
  createToolset,
  defineAction,
  defineConnector,
  type Connector,
  type Toolset,
} from '@plugboard/core';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { check, compare, type ContenderResult, type LoadOptions } from '../measure.js';
import { ratio } from '../stats.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';
import { heapUsedAfterGc, microsPerCall } from './in-process.js';

/** Which zod API the synthetic connectors build their input schemas with; `lazy` is classic zod built on first use. */
export type ZodFlavor = 'classic' | 'mini' | 'lazy';

/**
 * The same catalogue in another process, with its schemas built by zod/mini (the part of the cost
 * that is zod's API) or built lazily (`input: () => schema`, on first use).
 */
export interface CatalogueMiniResult {
  defineMs: number;
  registerMs: number;
  heapMiB: { connectorsDefined: number; afterJsonSchemas: number };
  listActionsColdMs: number;
}

export interface CatalogueResult {
  connectors: number;
  actionsPerConnector: number;
  actions: number;
  /** Building the connectors: defineConnector, defineAction and every zod schema. */
  defineMs: number;
  /** createToolset with all of them: spec checks and the action index. */
  registerMs: number;
  heapMiB: { connectorsDefined: number; registered: number; afterJsonSchemas: number; schemasOnly: number };
  /** The first listActions(): every input schema converted to JSON Schema. */
  listActionsColdMs: number;
  /** Later calls, served from the JSON Schema cache. */
  listActionsWarmMs: number;
  /** listActions({ app }) for one app of the hundred. */
  listActionsOneAppMs: number;
  /** JSON.stringify of the whole listActions() answer, as a tool list would be sent to a model. */
  exportJsonMs: number;
  exportJsonMiB: number;
  /** toolset.getAction(name) in the big toolset and in a one-connector toolset. */
  lookupMicros: { big: number; single: number; ratio: number };
  /** One execution against the fake upstream, in the big toolset and in a one-connector toolset. */
  execution: {
    bigMedianMs: number;
    singleMedianMs: number;
    medianRatio: number;
    bigP99Ms: number;
    singleP99Ms: number;
  };
  /** Filled in from a second process that builds the same catalogue with zod/mini. */
  zodMini?: CatalogueMiniResult;
  /** Filled in from a third process that defines every input schema lazily. */
  lazy?: CatalogueMiniResult;
}

const id = (index: number) => `synthetic-${String(index).padStart(3, '0')}`;
const actionName = (connector: number, action: number) =>
  `${id(connector).toUpperCase().replace(/-/g, '_')}_GET_ITEM_${String(action).padStart(3, '0')}`;

/** The same four described fields with either zod API; descriptions land in JSON Schema both ways. */
function inputSchema(flavor: ZodFlavor) {
  if (flavor === 'mini') {
    const described = <T extends zm.ZodMiniType>(schema: T, description: string): T => {
      zm.globalRegistry.add(schema, { description });
      return schema;
    };
    return zm.object({
      id: described(zm.string().check(zm.minLength(1), zm.maxLength(64)), 'The item id.'),
      include: described(zm.optional(zm.enum(['owner', 'history', 'links'])), 'What to expand in the answer.'),
      limit: described(
        zm.optional(zm.int().check(zm.minimum(1), zm.maximum(100))),
        'How many related records to include, at most 100.',
      ),
      verbose: described(zm.optional(zm.boolean()), 'Include every field, not only the common ones.'),
    });
  }
  return z.object({
    id: z.string().min(1).max(64).describe('The item id.'),
    include: z.enum(['owner', 'history', 'links']).optional().describe('What to expand in the answer.'),
    limit: z.number().int().min(1).max(100).optional().describe('How many related records to include, at most 100.'),
    verbose: z.boolean().optional().describe('Include every field, not only the common ones.'),
  });
}

function syntheticConnector(index: number, actions: number, baseUrl: string, flavor: ZodFlavor = 'classic'): Connector {
  return defineConnector({
    id: id(index),
    name: `Synthetic ${index}`,
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    authSchemes: [bearerTokenScheme()],
    actions: Array.from({ length: actions }, (_, action) =>
      defineAction({
        name: actionName(index, action),
        description: `Get one item of kind ${action} from ${id(index)}, with optional expansions and paging.`,
        tags: ['items', 'read'],
        input: flavor === 'lazy' ? () => inputSchema('classic') : inputSchema(flavor),
        request: `GET /synthetic/${id(index)}/items/{id}`,
      }),
    ),
  });
}

/** Define, register and list the catalogue with zod/mini or lazily built schemas; nothing else. */
export function runCatalogueVariant(
  upstreamUrl: string,
  settings: { connectors: number; actionsPerConnector: number },
  flavor: 'mini' | 'lazy',
): CatalogueMiniResult {
  const heapStart = heapUsedAfterGc();
  let started = performance.now();
  const connectors = Array.from({ length: settings.connectors }, (_, index) =>
    syntheticConnector(index, settings.actionsPerConnector, upstreamUrl, flavor),
  );
  const defineMs = performance.now() - started;
  const heapDefined = heapUsedAfterGc();
  started = performance.now();
  const toolset = createToolset({ connectors });
  const registerMs = performance.now() - started;
  started = performance.now();
  const all = toolset.listActions();
  const listActionsColdMs = performance.now() - started;
  check(
    all.length === settings.connectors * settings.actionsPerConnector,
    `listActions returned ${all.length} actions`,
  );
  check(
    (all[0]!.inputJsonSchema as { properties?: { id?: { description?: string } } }).properties?.id?.description ===
      'The item id.',
    `${flavor} descriptions are missing from the JSON Schema`,
  );
  const heapSchemas = heapUsedAfterGc();
  const mib = (bytes: number) => bytes / 1024 / 1024;
  return {
    defineMs,
    registerMs,
    heapMiB: { connectorsDefined: mib(heapDefined - heapStart), afterJsonSchemas: mib(heapSchemas - heapStart) },
    listActionsColdMs,
  };
}

export async function runCatalogue(
  upstreamUrl: string,
  settings: { connectors: number; actionsPerConnector: number; executions: number; lookups: number },
  load: LoadOptions,
): Promise<CatalogueResult> {
  const { connectors: connectorCount, actionsPerConnector } = settings;
  const heapStart = heapUsedAfterGc();

  let started = performance.now();
  const connectors = Array.from({ length: connectorCount }, (_, index) =>
    syntheticConnector(index, actionsPerConnector, upstreamUrl),
  );
  const defineMs = performance.now() - started;
  const heapDefined = heapUsedAfterGc();

  started = performance.now();
  const big = createToolset({ connectors });
  const registerMs = performance.now() - started;
  const heapRegistered = heapUsedAfterGc();

  started = performance.now();
  const all = big.listActions();
  const listActionsColdMs = performance.now() - started;
  check(all.length === connectorCount * actionsPerConnector, `listActions returned ${all.length} actions`);
  const heapSchemas = heapUsedAfterGc();

  started = performance.now();
  const warmRounds = 5;
  for (let round = 0; round < warmRounds; round++) big.listActions();
  const listActionsWarmMs = (performance.now() - started) / warmRounds;

  const middle = Math.floor(connectorCount / 2);
  started = performance.now();
  for (let round = 0; round < warmRounds; round++)
    check(big.listActions({ app: id(middle) }).length === actionsPerConnector, 'listActions({ app }) missed actions');
  const listActionsOneAppMs = (performance.now() - started) / warmRounds;

  started = performance.now();
  const exported = JSON.stringify(big.listActions());
  const exportJsonMs = performance.now() - started;

  // The one-connector toolset holds the same connector object the big one runs.
  const target = connectors[middle] as Connector;
  const single = createToolset({ connectors: [target] });
  const name = actionName(middle, Math.floor(actionsPerConnector / 2));
  const lookupBig = await microsPerCall(() => big.getAction(name), settings.lookups);
  const lookupSingle = await microsPerCall(() => single.getAction(name), settings.lookups);

  const connect = async (toolset: Toolset) =>
    (
      await toolset.initiateConnection({
        app: target.id,
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token: CREDENTIALS.syntheticToken },
      })
    ).connectedAccountId;
  const run = (toolset: Toolset, connectedAccountId: string) => async () => {
    const result = await toolset.executeAction(name, { id: 'item-1', limit: 10 }, { connectedAccountId });
    if (!result.successful) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  };
  const bigRun = run(big, await connect(big));
  const singleRun = run(single, await connect(single));
  const [singleResult, bigResult] = (await compare(
    [
      { name: 'one connector', role: 'floor', run: singleRun },
      { name: `${connectorCount} connectors`, role: 'plugboard', run: bigRun },
    ],
    { ...load, maxOps: settings.executions },
  )) as [ContenderResult, ContenderResult];

  const mib = (bytes: number) => bytes / 1024 / 1024;
  return {
    connectors: connectorCount,
    actionsPerConnector,
    actions: connectorCount * actionsPerConnector,
    defineMs,
    registerMs,
    heapMiB: {
      connectorsDefined: mib(heapDefined - heapStart),
      registered: mib(heapRegistered - heapStart),
      afterJsonSchemas: mib(heapSchemas - heapStart),
      schemasOnly: mib(heapSchemas - heapRegistered),
    },
    listActionsColdMs,
    listActionsWarmMs,
    listActionsOneAppMs,
    exportJsonMs,
    exportJsonMiB: mib(Buffer.byteLength(exported)),
    lookupMicros: { big: lookupBig, single: lookupSingle, ratio: ratio(lookupBig, lookupSingle) },
    execution: {
      bigMedianMs: bigResult.latency.medianMs,
      singleMedianMs: singleResult.latency.medianMs,
      medianRatio: ratio(bigResult.latency.medianMs, singleResult.latency.medianMs),
      bigP99Ms: bigResult.latency.p99Ms,
      singleP99Ms: singleResult.latency.p99Ms,
    },
  };
}
