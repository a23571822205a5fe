import { describe, expect, it } from 'vitest';
import { addInto, BUCKET_UPPER_US, bucketOf, emptyHistogram, HISTOGRAM_BUCKETS, quantileMs } from './histogram';

describe('fixed-bucket latency histograms', () => {
  it('puts each duration in the bucket whose bounds hold it', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(99)).toBe(0);
    expect(bucketOf(100)).toBe(1);
    for (let i = 1; i < HISTOGRAM_BUCKETS - 1; i++) {
      expect(bucketOf(BUCKET_UPPER_US[i - 1]!)).toBe(i);
      expect(bucketOf(BUCKET_UPPER_US[i]! - 0.001)).toBe(i);
    }
    expect(bucketOf(1e12)).toBe(HISTOGRAM_BUCKETS - 1);
    expect(bucketOf(Number.NaN)).toBe(0);
  });

  it('merges exactly: the merged histogram equals one built from all samples', () => {
    const samples = Array.from({ length: 500 }, (_, i) => (i * 7919) % 3_000_000);
    const whole = emptyHistogram();
    const a = emptyHistogram();
    const b = emptyHistogram();
    samples.forEach((us, i) => {
      whole[bucketOf(us)]!++;
      (i % 2 ? a : b)[bucketOf(us)]!++;
    });
    expect(addInto(a, b)).toEqual(whole);
  });

  it('reads percentiles within one bucket step of the true value', () => {
    const hist = emptyHistogram();
    const ms = Array.from({ length: 1000 }, (_, i) => 1 + i); // 1..1000 ms
    for (const v of ms) hist[bucketOf(v * 1000)]!++;
    for (const [q, truth] of [[0.5, 500], [0.95, 950], [0.99, 990]] as const) {
      const estimate = quantileMs(hist, q)!;
      expect(estimate / truth).toBeGreaterThan(1 / Math.SQRT2);
      expect(estimate / truth).toBeLessThan(Math.SQRT2);
    }
    expect(quantileMs(emptyHistogram(), 0.5)).toBeNull();
  });
});
