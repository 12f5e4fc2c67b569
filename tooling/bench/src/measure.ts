import { summarize, type LatencySummary } from './stats.js';

/**
 * What a contender is in a comparison. `floor` is what the ratios divide by; `reference` and
 * `diagnostic` rows explain the gap (a lower bound, one layer alone); `plugboard` and
 * `competitor` are the libraries compared.
 */
export type ContenderRole = 'floor' | 'reference' | 'diagnostic' | 'plugboard' | 'competitor';

export interface Contender {
  name: string;
  role: ContenderRole;
  note?: string;
  /** One operation. It must throw when the answer is wrong, so a broken contender cannot look fast. */
  run(): Promise<unknown>;
}

export interface LoadOptions {
  /** Operations in flight at once (1: one after the other). */
  concurrency: number;
  /** The time is split into this many rounds, and the contenders take turns within each round. */
  rounds: number;
  /** Time each contender gets in total, across rounds. */
  budgetMs: number;
  /** Operations each contender runs at most in total, across rounds. */
  maxOps: number;
  /** Untimed operations before the first round, so every contender is warmed up (JIT, sockets). */
  warmupOps: number;
}

export interface ContenderResult {
  name: string;
  role: ContenderRole;
  note?: string;
  ops: number;
  wallMs: number;
  throughputPerS: number;
  latency: LatencySummary;
}

/**
 * Runs every contender under the same load, interleaved: round 1 runs A, B, C, round 2 runs B, C,
 * A, and so on, so that drift (a noisy neighbour, the heap growing) does not land on one contender.
 * Latency is measured per operation; throughput is operations over the wall time of the rounds.
 */
export async function compare(contenders: readonly Contender[], options: LoadOptions): Promise<ContenderResult[]> {
  for (const contender of contenders) {
    await withName(contender, () =>
      runLoad(contender, {
        concurrency: options.concurrency,
        budgetMs: Number.POSITIVE_INFINITY,
        maxOps: options.warmupOps,
      }),
    );
  }
  const totals = contenders.map(() => ({ latencies: [] as number[], ops: 0, wallMs: 0 }));
  for (let round = 0; round < options.rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const index = (turn + round) % contenders.length;
      const contender = contenders[index] as Contender;
      const total = totals[index] as (typeof totals)[number];
      const load = await withName(contender, () =>
        runLoad(contender, {
          concurrency: options.concurrency,
          budgetMs: options.budgetMs / options.rounds,
          maxOps: Math.ceil(options.maxOps / options.rounds),
        }),
      );
      for (const latency of load.latencies) total.latencies.push(latency);
      total.ops += load.latencies.length;
      total.wallMs += load.wallMs;
    }
  }
  return contenders.map((contender, index) => {
    const total = totals[index] as (typeof totals)[number];
    return {
      name: contender.name,
      role: contender.role,
      ...(contender.note ? { note: contender.note } : {}),
      ops: total.ops,
      wallMs: total.wallMs,
      throughputPerS: total.ops / (total.wallMs / 1000),
      latency: summarize(total.latencies),
    };
  });
}

/** Operations until `maxOps` have started or `budgetMs` has passed, `concurrency` at a time. */
export async function runLoad(
  contender: Contender,
  load: { concurrency: number; budgetMs: number; maxOps: number },
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + load.budgetMs;
  let launched = 0;
  const worker = async () => {
    while (launched < load.maxOps && performance.now() < deadline) {
      launched++;
      const before = performance.now();
      await contender.run();
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  return { latencies, wallMs: performance.now() - started };
}

async function withName<T>(contender: Contender, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw new Error(`contender "${contender.name}" failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** Throws with `message` unless `condition` holds: the check every contender's `run` makes on its answer. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
