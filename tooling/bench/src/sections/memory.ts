// Memory: connections in the memory store, created through the public API
// (initiateConnection with a personal access token), heap measured after a full collection, a
// fresh store for each size. At each size the per-call costs that depend on the store are
// measured too: reading one connection, finding an entity's connection, and executing by
// connectedAccountId and by entityId.

import { createToolset, memoryStore } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';
import { compare, type ContenderResult, type LoadOptions } from '../measure.js';
import { BENCH_CREDENTIALS as CREDENTIALS } from '../upstream/credentials.js';
import { heapUsedAfterGc, microsPerCall } from './in-process.js';

export interface MemoryStep {
  connections: number;
  heapMiB: number;
  bytesPerConnection: number;
  /** store.getConnection(id): one map read and a deep copy. */
  getConnectionMicros: number;
  /** store.listConnections({ app, entityId, status }): what executing by entityId asks the store. */
  listForEntityMicros: number;
  /** executeAction against the fake upstream with { connectedAccountId } and with { entityId }. */
  executeByIdMedianMs: number;
  executeByEntityMedianMs: number;
}

export interface MemoryResult {
  store: 'memoryStore';
  /** initiateConnection calls per second while filling the store. */
  createPerSecond: number;
  steps: MemoryStep[];
  embeddedStore: { measured: false; reason: string };
}

export const EMBEDDED_STORE_MISSING =
  'not measured: @plugboard/store-embedded (packages/stores/embedded, being written in another session) is not in the workspace yet; only memoryStore() is measured';

const PULL = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };

export async function runMemory(upstreamUrl: string, settings: { steps: number[]; executions: number }, load: LoadOptions): Promise<MemoryResult> {
  const steps: MemoryStep[] = [];
  let created = 0;
  let createMs = 0;
  for (const size of settings.steps) {
    // A fresh store per size, so each heap number counts only its own connections.
    const store = memoryStore();
    const toolset = createToolset({ connectors: [githubConnector({ baseUrl: upstreamUrl, webUrl: upstreamUrl, userAgent: 'plugboard-bench' })], store });
    const integration = await toolset.createIntegration({ app: 'github', authMode: 'BEARER_TOKEN' });
    const heapEmpty = heapUsedAfterGc();
    let probeId = '';
    const started = performance.now();
    for (let index = 0; index < size; index++) {
      // One connection per end user, as an app with many users has.
      const request = await toolset.initiateConnection({ integrationId: integration.id, entityId: `user-${index}`, connectedAccountParams: { token: CREDENTIALS.githubToken } });
      if (index === 42) probeId = request.connectedAccountId;
    }
    createMs += performance.now() - started;
    created += size;
    const heap = heapUsedAfterGc() - heapEmpty;

    const getConnectionMicros = await microsPerCall(() => store.getConnection(probeId), 20_000);
    const listForEntityMicros = await microsPerCall(() => store.listConnections({ app: 'github', entityId: 'user-42', status: 'ACTIVE' }), Math.max(50, Math.floor(2_000_000 / size)));
    const [byId, byEntity] = (await compare(
      [
        { name: 'by connectedAccountId', role: 'floor', run: executeChecked(() => toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { connectedAccountId: probeId })) },
        { name: 'by entityId', role: 'plugboard', run: executeChecked(() => toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { entityId: 'user-42' })) },
      ],
      { ...load, maxOps: settings.executions },
    )) as [ContenderResult, ContenderResult];
    steps.push({
      connections: size,
      heapMiB: heap / 1024 / 1024,
      bytesPerConnection: heap / size,
      getConnectionMicros,
      listForEntityMicros,
      executeByIdMedianMs: byId.latency.medianMs,
      executeByEntityMedianMs: byEntity.latency.medianMs,
    });
  }
  return {
    store: 'memoryStore',
    createPerSecond: created / (createMs / 1000),
    steps,
    embeddedStore: { measured: false, reason: EMBEDDED_STORE_MISSING },
  };
}

function executeChecked(execute: () => Promise<{ successful: boolean; error: { code: string; message: string } | null }>) {
  return async () => {
    const result = await execute();
    if (!result.successful) throw new Error(`execution failed: ${result.error?.code} ${result.error?.message}`);
  };
}
