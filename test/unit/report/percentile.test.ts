import { describe, expect, it } from 'vitest';
import { nearestRank, spreadOf } from '../../../src/report/percentile.js';

describe('nearestRank', () => {
  it.each([
    // [sample, p, answer]: rank = ceil(p / 100 x n), counted from 1 in the sorted sample.
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 91, 10],
    [[5, 1, 4, 2, 3], 90, 5],
    [[5, 1, 4, 2, 3], 50, 3],
    [[3, 1, 2, 4], 50, 2], // an even count: the lower middle value, no interpolation
    [[42], 90, 42],
    [[42], 1, 42],
    [[7, 7, 7], 100, 7],
  ])('%j at p%i is %d', (sample, p, answer) => {
    expect(nearestRank(sample, p)).toBe(answer);
  });

  it('computes the rank exactly where floating point would round it up (p55 of 100 values)', () => {
    // 0.55 * 100 is 55.00000000000001 in floating point, which would take the 56th value.
    const sample = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(sample, 55)).toBe(55);
  });

  it('gives null for an empty sample and leaves out values that are not numbers', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([Number.NaN, Number.POSITIVE_INFINITY], 50)).toBeNull();
    expect(nearestRank([Number.NaN, 4, 2], 50)).toBe(2);
  });

  it.each([0, 101, 50.5])('refuses the percentile %d', (p) => {
    expect(() => nearestRank([1], p)).toThrow(RangeError);
  });
});

describe('spreadOf', () => {
  it('gives the median, p90 and count, rounded to two decimals', () => {
    expect(spreadOf([1 / 3, 2 / 3, 1])).toEqual({ median: 0.67, p90: 1, count: 3 });
    expect(spreadOf([])).toEqual({ median: null, p90: null, count: 0 });
  });
});
