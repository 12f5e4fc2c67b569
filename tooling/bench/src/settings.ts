import type { LoadOptions } from './measure.js';
import type { ServerLoadSettings } from './sections/server-load.js';
import type { CpuLoad } from './sections/client-cpu-upstream.js';

export const SECTIONS = [
  'execution',
  'client-cpu',
  'cold-start',
  'install-size',
  'refresh-storm',
  'catalogue',
  'memory',
  'search',
  'mcp-start',
  'github-catalogue',
  'server-load',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchSettings {
  quick: boolean;
  execution: { sequential: LoadOptions; concurrent: LoadOptions };
  /** Client CPU per call against the fake upstream. */
  clientCpu: CpuLoad;
  coldStart: { runs: number };
  refreshStorm: { executions: number; rounds: number };
  catalogue: { connectors: number; actionsPerConnector: number; executions: number; lookups: number };
  memory: { steps: number[]; executions: number };
  /** Rounds over the 30 queries of the synthetic catalogue. */
  search: { rounds: number };
  mcpStart: { runs: number };
  /** The HTTP server under load: seconds per concurrency level, and the soak at the highest. */
  serverLoad: ServerLoadSettings;
}

/**
 * The full run: about ten minutes on two cores, half of it filling the embedded store with
 * 100,000 connections, most of the rest npm installs and fresh processes.
 * Execution contenders take turns in many short rounds (20 of 0.1 s one at a time), so that a
 * noisy neighbour on a shared machine lands on every contender rather than on one.
 */
const FULL: BenchSettings = {
  quick: false,
  execution: {
    sequential: { concurrency: 1, rounds: 20, budgetMs: 2_000, maxOps: 10_000, warmupOps: 500 },
    concurrent: { concurrency: 64, rounds: 10, budgetMs: 2_000, maxOps: 40_000, warmupOps: 1_000 },
  },
  clientCpu: { rounds: 15, callsPerRound: 400, warmupCalls: 500 },
  coldStart: { runs: 11 },
  refreshStorm: { executions: 1_000, rounds: 3 },
  catalogue: { connectors: 100, actionsPerConnector: 100, executions: 2_000, lookups: 100_000 },
  memory: { steps: [1_000, 10_000, 100_000], executions: 300 },
  search: { rounds: 100 },
  mcpStart: { runs: 11 },
  serverLoad: { levels: [16, 32, 64], levelMs: 5_000, soakMs: 30_000, warmupMs: 2_000 },
};

/** A smoke run that checks every benchmark still works, in about a minute. Its numbers are rough. */
const QUICK: BenchSettings = {
  quick: true,
  execution: {
    sequential: { concurrency: 1, rounds: 1, budgetMs: 150, maxOps: 200, warmupOps: 20 },
    concurrent: { concurrency: 64, rounds: 1, budgetMs: 150, maxOps: 500, warmupOps: 64 },
  },
  clientCpu: { rounds: 3, callsPerRound: 50, warmupCalls: 20 },
  coldStart: { runs: 1 },
  refreshStorm: { executions: 1_000, rounds: 1 },
  catalogue: { connectors: 20, actionsPerConnector: 50, executions: 100, lookups: 10_000 },
  memory: { steps: [1_000, 10_000], executions: 30 },
  search: { rounds: 3 },
  mcpStart: { runs: 1 },
  serverLoad: { levels: [16, 32, 64], levelMs: 500, soakMs: 1_000, warmupMs: 300 },
};

export function settingsFor(quick: boolean): BenchSettings {
  return quick ? QUICK : FULL;
}
