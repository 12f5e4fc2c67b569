import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, summarize } from './stats.js';

describe('percentile', () => {
  it('interpolates between ranks like NumPy (R-7)', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 0)).toBe(15);
    expect(percentile(samples, 100)).toBe(50);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 40)).toBeCloseTo(29, 10);
    expect(percentile(samples, 99)).toBeCloseTo(49.6, 10);
  });

  it('does not depend on the input order and does not sort the input', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it('takes the mean of the middle two for an even count', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });

  it('is NaN for no samples and refuses a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, median, p99, mean, min and max', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summarize(samples)).toEqual({
      count: 100,
      medianMs: 50.5,
      p99Ms: expect.closeTo(99.01, 10),
      meanMs: 50.5,
      minMs: 1,
      maxMs: 100,
    });
  });
});

describe('ratio', () => {
  it('divides by the floor, and is NaN without one', () => {
    expect(ratio(1.1, 1)).toBeCloseTo(1.1);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });
});
