/**
 * The p-th percentile of a sample by the nearest-rank method: sort ascending, take the value at
 * rank ceil(p/100 x n), counting from 1. Every answer is a value of the sample, never an
 * interpolation; the median is the 50th percentile by the same rule, so for an even count it is
 * the lower of the two middle values. Null for an empty sample, never NaN. `p` is a whole
 * number from 1 to 100, so the rank is computed exactly.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (!Number.isInteger(p) || p < 1 || p > 100)
    throw new RangeError(`a percentile is a whole number from 1 to 100, not ${p}`);
  const sample = values.filter((value) => Number.isFinite(value));
  if (sample.length === 0) return null;
  const sorted = Float64Array.from(sample).sort();
  // p and n are integers, so p * n / 100 is exact whenever it is a whole number.
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.max(rank, 1) - 1]!;
}

/** The median and 90th percentile of a sample (nearest rank), and its size. */
export interface Spread {
  median: number | null;
  p90: number | null;
  count: number;
}

/** {@link nearestRank} at 50 and 90, rounded to two decimals, with the sample's size. */
export function spreadOf(values: readonly number[]): Spread {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return {
    median: round(nearestRank(values, 50)),
    p90: round(nearestRank(values, 90)),
    count: values.filter((value) => Number.isFinite(value)).length,
  };
}
