// Helpers for the benchmarks that measure inside one process: heap after a full collection, and
// the time of a call repeated many times.

/** `process.memoryUsage().heapUsed` after two full collections; needs `node --expose-gc`. */
export function heapUsedAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run this benchmark with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Median of 5 batches of the mean time per call, in microseconds, after a warm-up batch. */
export async function microsPerCall(run: () => unknown, iterations: number): Promise<number> {
  const batch = Math.max(1, Math.floor(iterations / 5));
  for (let index = 0; index < Math.min(batch, 1_000); index++) await run();
  const means: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let index = 0; index < batch; index++) await run();
    means.push(((performance.now() - started) * 1000) / batch);
  }
  return means.sort((a, b) => a - b)[2] as number;
}

/**
 * Microseconds per call of several operations, measured in turns (a batch of each, then again)
 * so that drift in the machine lands on all of them alike. Each result is the median batch mean.
 */
export async function interleavedMicrosPerCall(
  runs: ReadonlyArray<() => unknown>,
  iterations: number,
  rounds = 7,
): Promise<number[]> {
  const batch = Math.max(1, Math.floor(iterations / rounds));
  for (const run of runs) for (let index = 0; index < Math.min(batch, 1_000); index++) await run();
  const means = runs.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [position, run] of runs.entries()) {
      const started = performance.now();
      for (let index = 0; index < batch; index++) await run();
      (means[position] as number[]).push(((performance.now() - started) * 1000) / batch);
    }
  }
  return means.map((values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number);
}
