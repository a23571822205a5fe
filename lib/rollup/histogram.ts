// Fixed-bucket latency histograms: bucket i covers [100 µs · 2^((i-1)/2), 100 µs · 2^(i/2)), so
// two histograms merge exactly by adding counts, and any range's percentiles come from rollups.
// Relative error of a percentile read from a bucket is at most ~19% (half a √2 step).

export const HISTOGRAM_BUCKETS = 48;
const BASE_US = 100;

/** Upper bound (exclusive) of each bucket in microseconds; the last bucket is open-ended. */
export const BUCKET_UPPER_US: readonly number[] = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) =>
  i === HISTOGRAM_BUCKETS - 1 ? Infinity : BASE_US * 2 ** (i / 2),
);

export function bucketOf(durationUs: number): number {
  if (!(durationUs >= BASE_US)) return 0;
  // Found by comparison against the table, not by a logarithm, so every caller agrees at bounds.
  let lo = 1;
  let hi = HISTOGRAM_BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (durationUs < BUCKET_UPPER_US[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

export function addInto(target: number[], source: readonly number[]): number[] {
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) target[i]! += source[i] ?? 0;
  return target;
}

/**
 * The q-quantile in milliseconds, interpolated geometrically inside its bucket; null for an
 * empty histogram.
 */
export function quantileMs(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const count = hist[i] ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const lower = i === 0 ? 0 : BUCKET_UPPER_US[i - 1]!;
      const upper = i === HISTOGRAM_BUCKETS - 1 ? lower * Math.SQRT2 : BUCKET_UPPER_US[i]!;
      // The middle of the rank's share of the bucket: one sample reads as the bucket's midpoint.
      const within = (rank - seen - 0.5) / count;
      const us = i === 0 ? upper * within : lower * (upper / lower) ** within;
      return us / 1000;
    }
    seen += count;
  }
  return null;
}
