/** Nearest-rank percentile (q in 0..1) of a sample: always one of the sample's values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The middle value; for an even count the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and p95 (nearest rank: of 10 samples, p95 is the slowest) of a sample, in its unit. */
export function summary(values: readonly number[]): { n: number; median: number; p95: number; min: number } {
  return {
    n: values.length,
    median: median(values),
    p95: percentile(values, 0.95),
    min: Math.min(...values),
  };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
