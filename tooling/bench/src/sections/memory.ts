// Memory: connections in the memory store, created through the public API
// (initiateConnection with a personal access token), heap measured after a full collection, a
// fresh store for each size. At each size the per-call costs that depend on the store are
// measured too: reading one connection, finding an entity's connection, and executing by
// connectedAccountId and by entityId.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolset, memoryStore } from '@plugboard/core';
import { embeddedStore } from '@plugboard/store-embedded';
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

/** One size of the embedded store (@plugboard/store-embedded): a fresh directory each. */
export interface EmbeddedStep {
  connections: number;
  /** Filling it through initiateConnection, one connection per entity. */
  writeMs: number;
  writesPerSecond: number;
  heapMiB: number;
  /** Every file in the store directory (the log and the key file). */
  fileMiB: number;
  bytesPerConnectionOnDisk: number;
  /** A second embeddedStore({ dir }) on the same directory, and its first read (which loads the log). */
  reopenMs: number;
  getConnectionMicros: number;
  listForEntityMicros: number;
}

export interface EmbeddedResult {
  measured: true;
  steps: EmbeddedStep[];
  /** Sizes left out because the previous one took too long to fill. */
  skipped: number[];
}

export interface MemoryResult {
  store: 'memoryStore';
  /** initiateConnection calls per second while filling the store. */
  createPerSecond: number;
  steps: MemoryStep[];
  embeddedStore: EmbeddedResult | { measured: false; reason: string };
}

const PULL = { owner: 'octocat', repo: 'Hello-World', pull_number: 1347 };

export async function runMemory(
  upstreamUrl: string,
  settings: { steps: number[]; executions: number },
  load: LoadOptions,
): Promise<MemoryResult> {
  const steps: MemoryStep[] = [];
  let created = 0;
  let createMs = 0;
  for (const size of settings.steps) {
    // A fresh store per size, so each heap number counts only its own connections.
    const store = memoryStore();
    const toolset = createToolset({
      connectors: [githubConnector({ baseUrl: upstreamUrl, webUrl: upstreamUrl, userAgent: 'plugboard-bench' })],
      store,
    });
    const integration = await toolset.createIntegration({ app: 'github', authMode: 'BEARER_TOKEN' });
    const heapEmpty = heapUsedAfterGc();
    let probeId = '';
    const started = performance.now();
    for (let index = 0; index < size; index++) {
      // One connection per end user, as an app with many users has.
      const request = await toolset.initiateConnection({
        integrationId: integration.id,
        entityId: `user-${index}`,
        connectedAccountParams: { token: CREDENTIALS.githubToken },
      });
      if (index === 42) probeId = request.connectedAccountId;
    }
    createMs += performance.now() - started;
    created += size;
    const heap = heapUsedAfterGc() - heapEmpty;

    const getConnectionMicros = await microsPerCall(() => store.getConnection(probeId), 20_000);
    const listForEntityMicros = await microsPerCall(
      () => store.listConnections({ app: 'github', entityId: 'user-42', status: 'ACTIVE' }),
      Math.max(50, Math.floor(2_000_000 / size)),
    );
    const [byId, byEntity] = (await compare(
      [
        {
          name: 'by connectedAccountId',
          role: 'floor',
          run: executeChecked(() =>
            toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { connectedAccountId: probeId }),
          ),
        },
        {
          name: 'by entityId',
          role: 'plugboard',
          run: executeChecked(() => toolset.executeAction('GITHUB_GET_A_PULL_REQUEST', PULL, { entityId: 'user-42' })),
        },
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
    embeddedStore: await runEmbedded(upstreamUrl, settings.steps),
  };
}

// A size whose filling takes longer than this is the last one measured.
const EMBEDDED_STEP_BUDGET_MS = 90_000;

/**
 * The embedded store at each size, in a fresh temporary directory with its own key file (the
 * environment's PLUGBOARD_SECRET_KEY is not read): fill it through the toolset, heap after a full
 * collection, size on disk, reopening the directory in a second store, and reads.
 */
async function runEmbedded(upstreamUrl: string, sizes: number[]): Promise<EmbeddedResult> {
  const steps: EmbeddedStep[] = [];
  const skipped: number[] = [];
  for (const size of sizes) {
    if (steps.length > 0 && (steps.at(-1) as EmbeddedStep).writeMs > EMBEDDED_STEP_BUDGET_MS) {
      skipped.push(size);
      continue;
    }
    const dir = await mkdtemp(join(tmpdir(), 'plugboard-bench-embedded-'));
    try {
      const heapEmpty = heapUsedAfterGc();
      const store = await embeddedStore({ dir, env: {} });
      const toolset = createToolset({
        connectors: [githubConnector({ baseUrl: upstreamUrl, webUrl: upstreamUrl, userAgent: 'plugboard-bench' })],
        store,
      });
      const integration = await toolset.createIntegration({ app: 'github', authMode: 'BEARER_TOKEN' });
      let probeId = '';
      const started = performance.now();
      for (let index = 0; index < size; index++) {
        const request = await toolset.initiateConnection({
          integrationId: integration.id,
          entityId: `user-${index}`,
          connectedAccountParams: { token: CREDENTIALS.githubToken },
        });
        if (index === 42) probeId = request.connectedAccountId;
      }
      const writeMs = performance.now() - started;
      const heap = heapUsedAfterGc() - heapEmpty;
      let fileBytes = 0;
      for (const name of await readdir(dir)) fileBytes += (await stat(join(dir, name))).size;

      const reopenStarted = performance.now();
      const reopened = await embeddedStore({ dir, env: {} });
      const first = await reopened.getConnection(probeId);
      const reopenMs = performance.now() - reopenStarted;
      if (first?.credentials['token'] !== CREDENTIALS.githubToken)
        throw new Error('the reopened embedded store lost a connection');
      const getConnectionMicros = await microsPerCall(() => reopened.getConnection(probeId), 20_000);
      const listForEntityMicros = await microsPerCall(
        () => reopened.listConnections({ app: 'github', entityId: 'user-42', status: 'ACTIVE' }),
        5_000,
      );
      await reopened.close();
      await store.close();
      steps.push({
        connections: size,
        writeMs,
        writesPerSecond: size / (writeMs / 1000),
        heapMiB: heap / 1024 / 1024,
        fileMiB: fileBytes / 1024 / 1024,
        bytesPerConnectionOnDisk: fileBytes / size,
        reopenMs,
        getConnectionMicros,
        listForEntityMicros,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { measured: true, steps, skipped };
}

function executeChecked(
  execute: () => Promise<{ successful: boolean; error: { code: string; message: string } | null }>,
) {
  return async () => {
    const result = await execute();
    if (!result.successful) throw new Error(`execution failed: ${result.error?.code} ${result.error?.message}`);
  };
}
