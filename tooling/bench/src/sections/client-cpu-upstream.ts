// Client CPU per call against the fake upstream: the same GitHub request as the execution section,
// with the upstream in its own process, so the CPU this process spends (process.cpuUsage: user +
// system) is the client's alone: its library, undici and the sockets. Wall time says how long a
// call took; CPU time says what the client paid for it, which is what a busy server cares about.

import type { Contender } from '../measure.js';
import { ratio } from '../stats.js';
import type { Upstream } from '../upstream/start-upstream.js';
import { githubScenario } from './execution.js';

export interface CpuRow {
  name: string;
  role: Contender['role'];
  note?: string;
  calls: number;
  /** Median over the rounds of the CPU microseconds per call (user + system). */
  cpuMicrosPerCall: number;
  /** Lowest and highest round. */
  cpuMicrosRange: [number, number];
  /** `cpuMicrosPerCall` minus the floor's. */
  overFloorMicros: number;
  /** `cpuMicrosPerCall` over the floor's. */
  floorRatio: number;
}

export interface ClientCpuUpstreamResult {
  description: string;
  floor: string;
  rows: CpuRow[];
  /** Plugboard's CPU over the floor divided by @octokit/rest's (target: at most 1/3). */
  overFloorVersusOctokit: number;
}

export interface CpuLoad {
  /** Rounds in which every contender takes a turn (the order rotates). */
  rounds: number;
  /** Calls, one after the other, per contender per round. */
  callsPerRound: number;
  /** Untimed calls per contender first (JIT, sockets). */
  warmupCalls: number;
}

const CONTENDERS = ['fetch', 'ky alone', '@octokit/rest', 'plugboard'];

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export async function runClientCpuUpstream(upstream: Upstream, load: CpuLoad): Promise<ClientCpuUpstreamResult> {
  const scenario = await githubScenario(upstream);
  try {
    const contenders = CONTENDERS.map((name) => {
      const found = scenario.contenders.find((contender) => contender.name === name);
      if (!found) throw new Error(`the GitHub scenario has no contender "${name}"`);
      return found;
    });
    for (const contender of contenders) for (let call = 0; call < load.warmupCalls; call++) await contender.run();
    const perRound = contenders.map(() => [] as number[]);
    for (let round = 0; round < load.rounds; round++) {
      for (let turn = 0; turn < contenders.length; turn++) {
        const index = (turn + round) % contenders.length;
        const contender = contenders[index] as Contender;
        const before = cpuMicros();
        for (let call = 0; call < load.callsPerRound; call++) await contender.run();
        (perRound[index] as number[]).push((cpuMicros() - before) / load.callsPerRound);
      }
    }
    const medians = perRound.map((values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        median: sorted[Math.floor(sorted.length / 2)] as number,
        range: [sorted[0] as number, sorted.at(-1) as number] as [number, number],
      };
    });
    const floor = medians[0]?.median as number;
    const rows: CpuRow[] = contenders.map((contender, index) => {
      const { median, range } = medians[index] as (typeof medians)[number];
      return {
        name: contender.name,
        role: contender.role,
        ...(contender.note ? { note: contender.note } : {}),
        calls: load.rounds * load.callsPerRound,
        cpuMicrosPerCall: median,
        cpuMicrosRange: range,
        overFloorMicros: median - floor,
        floorRatio: ratio(median, floor),
      };
    });
    const over = (name: string) => rows.find((row) => row.name === name)?.overFloorMicros ?? Number.NaN;
    return {
      description: `Client CPU per call (process.cpuUsage, user + system) against the fake upstream in another process: ${scenario.title}, one call at a time, ${load.rounds} rounds of ${load.callsPerRound} calls per contender taken in turns; median round. Plugboard sends through ky (one instance per toolset).`,
      floor: 'fetch',
      rows,
      overFloorVersusOctokit: over('plugboard') / over('@octokit/rest'),
    };
  } finally {
    await scenario.close?.();
  }
}
