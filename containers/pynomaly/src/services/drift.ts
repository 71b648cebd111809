/**
 * Data drift of a model's recent inputs against its training rows, per feature: the population
 * stability index over ten training-quantile bins, and the two-sample Kolmogorov-Smirnov statistic.
 * Pure (runs in the compute pool).
 */
import type { Matrix } from '../algorithms/index.ts';

export interface FeatureDrift {
  psi: number;
  ks_statistic: number;
  /** KS critical value at alpha = 0.01 for these two sample sizes. */
  ks_critical_value: number;
  drifted: boolean;
}

export interface DriftInput {
  features: string[];
  training: Matrix;
  recent: Matrix;
}

export interface DriftOutput {
  features: Record<string, FeatureDrift>;
  drifted_features: string[];
  /** The largest KS statistic over the features (0..1). */
  drift_score: number;
}

const BINS = 10;
const EPSILON = 1e-4;

function column(X: Matrix, j: number): number[] {
  return X.map((row) => row[j]).sort((a, b) => a - b);
}

/** Share of sorted values <= x (binary search). */
function cdf(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

export function ksStatistic(a: number[], b: number[]): number {
  let d = 0;
  for (const x of [...a, ...b]) d = Math.max(d, Math.abs(cdf(a, x) - cdf(b, x)));
  return d;
}

export function psi(training: number[], recent: number[]): number {
  const edges = Array.from(
    { length: BINS - 1 },
    (_, i) => training[Math.floor(((i + 1) * training.length) / BINS)],
  );
  const shares = (values: number[]) => {
    const counts = new Array<number>(BINS).fill(0);
    for (const v of values) {
      let bin = 0;
      while (bin < edges.length && v > edges[bin]) bin++;
      counts[bin]++;
    }
    return counts.map((c) => Math.max(c / values.length, EPSILON));
  };
  const expected = shares(training);
  const actual = shares(recent);
  return expected.reduce((sum, e, i) => sum + (actual[i] - e) * Math.log(actual[i] / e), 0);
}

export function drift(input: DriftInput): DriftOutput {
  const n = input.training.length;
  const m = input.recent.length;
  const critical = 1.628 * Math.sqrt((n + m) / (n * m));
  const features: Record<string, FeatureDrift> = {};
  input.features.forEach((name, j) => {
    const a = column(input.training, j);
    const b = column(input.recent, j);
    const ks = ksStatistic(a, b);
    features[name] = {
      psi: psi(a, b),
      ks_statistic: ks,
      ks_critical_value: critical,
      drifted: ks > critical,
    };
  });
  const drifted = input.features.filter((f) => features[f].drifted);
  const score = Math.max(0, ...input.features.map((f) => features[f].ks_statistic));
  return { features, drifted_features: drifted, drift_score: score };
}
