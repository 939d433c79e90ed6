/**
 * Statistics over benchmark samples. Pure: no clock, no I/O.
 */

/** What a set of samples reduces to in the report. */
export type Summary = {
  count: number;
  min: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
};

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('no samples');
  if (!samples.every(Number.isFinite)) throw new RangeError('samples must be finite numbers');
  return [...samples].sort((a, b) => a - b);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be from 0 to 100, found ${p}`);
  // Linear interpolation between the closest ranks (Hyndman-Fan type 7, numpy's default).
  const rank = (p / 100) * (sorted.length - 1);
  const lower = sorted[Math.floor(rank)];
  const upper = sorted[Math.ceil(rank)];
  if (lower === undefined || upper === undefined) throw new RangeError('no samples');
  return lower + (upper - lower) * (rank - Math.floor(rank));
}

/** The `p`th percentile (0-100) of the samples, interpolated between the closest ranks. */
export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(sortedCopy(samples), p);
}

/** The middle sample, or the mean of the two middle samples. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** The arithmetic mean. */
export function mean(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
}

/** Count, extremes, quartiles, p95, p99 and mean of the samples, sorting once. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = sortedCopy(samples);
  return {
    count: sorted.length,
    min: percentileOfSorted(sorted, 0),
    p25: percentileOfSorted(sorted, 25),
    p50: percentileOfSorted(sorted, 50),
    p75: percentileOfSorted(sorted, 75),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: percentileOfSorted(sorted, 100),
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}
