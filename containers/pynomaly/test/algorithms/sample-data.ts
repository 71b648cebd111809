import { seededRandom } from '../../src/algorithms/random.ts';

/** Standard normal draws (Box-Muller) from the algorithms' own seeded generator. */
export function normalSource(seed: number): (mean: number, sd: number) => number {
  const uniform = seededRandom(seed);
  return (mean, sd) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * The upstream fixture's shape: `rows` rows of three features, a share `anomalyRate` of them
 * anomalies. Normal rows ~ N(0, 1) per feature, anomalies ~ N(4, 0.5); label 1 = anomaly.
 * Anomalies are interleaved (every 20th row at 5 %) so any prefix has both classes.
 */
export function upstreamSample(
  seed = 42,
  rows = 1000,
  anomalyRate = 0.05,
): { X: number[][]; labels: number[] } {
  const draw = normalSource(seed);
  const every = Math.round(1 / anomalyRate);
  const labels = Array.from({ length: rows }, (_, i) => (i % every === every - 1 ? 1 : 0));
  const X = labels.map((label) => [0, 0, 0].map(() => (label === 1 ? draw(4, 0.5) : draw(0, 1))));
  return { X, labels };
}
