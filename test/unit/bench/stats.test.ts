import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, median, percentile, summarize } from '../../../bench/stats.js';

describe('Bench: percentile', () => {
  it('interpolates linearly between the two closest ranks', () => {
    // Prepare
    const samples = [1, 2, 3, 4];

    // Act
    const p50 = percentile(samples, 50);

    // Assess
    expect(p50).toBe(2.5);
  });

  it('gives the smallest sample at 0 and the largest at 100', () => {
    // Prepare
    const samples = [7, -2, 40, 3];

    // Act
    const extremes = [percentile(samples, 0), percentile(samples, 100)];

    // Assess
    expect(extremes).toEqual([-2, 40]);
  });

  it('never decreases as p grows and stays within the samples', () => {
    // Prepare
    const samples = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 50,
    });
    const ps = fc.tuple(
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
    );

    // Act
    const property = fc.property(samples, ps, (values, [a, b]) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      const lower = percentile(values, low);
      const upper = percentile(values, high);
      return lower <= upper && lower >= Math.min(...values) && upper <= Math.max(...values);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('refuses a percentile outside 0-100 with a RangeError', () => {
    // Prepare
    const samples = [1, 2, 3];

    // Act
    const act = () => percentile(samples, 101);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('refuses an empty sample set with a RangeError', () => {
    // Prepare
    const samples: number[] = [];

    // Act
    const act = () => percentile(samples, 50);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('refuses a sample that is not a finite number with a RangeError', () => {
    // Prepare
    const samples = [1, Number.NaN, 3];

    // Act
    const act = () => percentile(samples, 50);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('Bench: median', () => {
  it('gives the middle sample of an odd count, whatever the order', () => {
    // Prepare
    const samples = [9, 1, 5];

    // Act
    const middle = median(samples);

    // Assess
    expect(middle).toBe(5);
  });

  it('leaves the caller’s array in its order', () => {
    // Prepare
    const samples = [9, 1, 5];

    // Act
    median(samples);

    // Assess
    expect(samples).toEqual([9, 1, 5]);
  });
});

describe('Bench: mean', () => {
  it('gives the arithmetic mean', () => {
    // Prepare
    const samples = [1, 2, 3, 10];

    // Act
    const average = mean(samples);

    // Assess
    expect(average).toBe(4);
  });
});

describe('Bench: summarize', () => {
  it('gives count, extremes, quartiles, p95, p99 and mean', () => {
    // Prepare
    const samples = Array.from({ length: 101 }, (_, index) => 101 - index);

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).toEqual({
      count: 101,
      min: 1,
      p25: 26,
      p50: 51,
      p75: 76,
      p95: 96,
      p99: 100,
      max: 101,
      mean: 51,
    });
  });
});
