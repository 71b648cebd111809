/** Median and p95 (nearest rank) of a sample, in the sample's unit. */
export function summary(values: readonly number[]): { n: number; median: number; p95: number; min: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, median: rank(0.5), p95: rank(0.95), min: sorted[0] };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
