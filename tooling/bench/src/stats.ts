/** Summary statistics of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * The `p`-th percentile (0..100) of `samples`, interpolated linearly between the two nearest ranks
 * (the "R-7" definition used by NumPy and spreadsheets). `samples` need not be sorted.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = Float64Array.from(samples).sort();
  return percentileOfSorted(sorted, p);
}

function percentileOfSorted(sorted: Float64Array, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0)
    return {
      count: 0,
      medianMs: Number.NaN,
      p99Ms: Number.NaN,
      meanMs: Number.NaN,
      minMs: Number.NaN,
      maxMs: Number.NaN,
    };
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const sample of sorted) sum += sample;
  return {
    count: sorted.length,
    medianMs: percentileOfSorted(sorted, 50),
    p99Ms: percentileOfSorted(sorted, 99),
    meanMs: sum / sorted.length,
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
  };
}

/** `value / floor`, or NaN when either is missing; 1.00 means "as fast as the floor". */
export function ratio(value: number, floor: number): number {
  return Number.isFinite(value) && Number.isFinite(floor) && floor > 0 ? value / floor : Number.NaN;
}
