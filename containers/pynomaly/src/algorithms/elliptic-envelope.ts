import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import {
  cholesky,
  covarianceOf,
  inverseFromCholesky,
  logDeterminant,
  meanOf,
  squaredMahalanobis,
} from './linear-algebra.ts';
import { column, median } from './matrix.ts';
import { sampleWithoutReplacement, seededRandom } from './random.ts';
import { robustScale } from './robust-scale.ts';
import { readMatrix, readNumbers, readObject } from './state-reader.ts';
import type { Matrix } from './types.ts';

/**
 * Elliptic envelope: a robust location and covariance in the spirit of the Minimum
 * Covariance Determinant (Rousseeuw & Van Driessen's C-steps). From several starts (the h
 * rows nearest the coordinate-wise median in robust units, plus seeded random (d+1)-row
 * subsets) it repeatedly refits mean and covariance on the h rows with the smallest
 * Mahalanobis distance until the subset stops changing, and keeps the fit of smallest
 * determinant. h = max(ceil(support_fraction·n), floor((n + d + 1) / 2)). A ridge of 1e-6 ×
 * the mean variance on the diagonal keeps nearly collinear data invertible. The raw score is
 * the squared Mahalanobis distance to that fit.
 */
const RANDOM_STARTS = 6;
const MAX_C_STEPS = 30;
const RIDGE = 1e-6;

interface Fit {
  rows: number[];
  mean: number[];
  precision: number[][];
  logDet: number;
}

function fitSubset(X: Matrix, rows: number[], ridge: number): Fit | null {
  const mean = meanOf(X, rows);
  const L = cholesky(covarianceOf(X, rows, mean, ridge));
  if (L === null) return null;
  return { rows, mean, precision: inverseFromCholesky(L), logDet: logDeterminant(L) };
}

function closest(X: Matrix, fit: { mean: number[]; precision: number[][] }, h: number): number[] {
  const distances = X.map((row) => squaredMahalanobis(row, fit.mean, fit.precision));
  return distances
    .map((d, i) => [d, i] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, h)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

function concentrate(X: Matrix, start: Fit, h: number, ridge: number): Fit {
  let fit = start;
  for (let step = 0; step < MAX_C_STEPS; step++) {
    const rows = closest(X, fit, h);
    const next = fitSubset(X, rows, ridge);
    if (next === null || next.logDet >= fit.logDet - 1e-12)
      return next !== null && next.logDet < fit.logDet ? next : fit;
    fit = next;
  }
  return fit;
}

function fitEnvelope(X: Matrix, parameters: Record<string, unknown>, seed: number) {
  const n = X.length;
  const d = X[0].length;
  const h = Math.min(
    n,
    Math.max(Math.ceil((parameters.support_fraction as number) * n), Math.floor((n + d + 1) / 2)),
  );
  const all = X.map((_, i) => i);
  const everything = meanOf(X, all);
  const variances = covarianceOf(X, all, everything, 0).map((row, j) => row[j]);
  const meanVariance = variances.reduce((a, b) => a + b, 0) / d;
  const ridge = RIDGE * (meanVariance > 0 ? meanVariance : 1);

  const centres = X[0].map((_, j) => median(column(X, j)));
  const spreads = X[0].map((_, j) => robustScale(column(X, j), centres[j]));
  const robustDiagonal = {
    mean: centres,
    precision: spreads.map((s, a) => spreads.map((_, b) => (a === b ? 1 / (s * s) : 0))),
  };
  const starts: number[][] = [closest(X, robustDiagonal, h)];
  const random = seededRandom(seed);
  for (let s = 0; s < RANDOM_STARTS; s++) {
    const seedFit = fitSubset(X, sampleWithoutReplacement(random, n, Math.min(n, d + 1)), ridge);
    if (seedFit !== null) starts.push(closest(X, seedFit, h));
  }
  let best: Fit | null = null;
  for (const rows of starts) {
    const start = fitSubset(X, rows, ridge);
    if (start === null) continue;
    const fit = concentrate(X, start, h, ridge);
    if (best === null || fit.logDet < best.logDet) best = fit;
  }
  // The ridge makes every covariance positive definite, so some start always fits.
  const chosen = best as Fit;
  return { location: chosen.mean, precision: chosen.precision, support_size: chosen.rows.length };
}

export const ellipticEnvelope: AlgorithmDefinition = {
  info: {
    name: 'elliptic_envelope',
    display_name: 'Elliptic Envelope',
    description:
      'Squared Mahalanobis distance to a robust (MCD-style) estimate of location and covariance; assumes roughly elliptical normal data.',
    parameters: {
      support_fraction: {
        type: 'number',
        default: 0.5,
        minimum: 0.5,
        maximum: 1,
        description: 'Share of rows the robust fit is computed on (at least (n + d + 1) / 2 rows).',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: false,
  fit: (X, parameters, seed) => fitEnvelope(X, parameters, seed),
  restore: (state, featureCount) => {
    const fields = readObject(state, 'state.detector');
    const location = readNumbers(fields.location, 'state.detector.location', featureCount);
    const precision = readMatrix(fields.precision, 'state.detector.precision', featureCount, featureCount);
    for (let a = 0; a < featureCount; a++)
      if (!(precision[a][a] > 0))
        throw new ModelFormatError(`state.detector.precision[${a}][${a}] must be positive`);
    return { rawScores: (X) => X.map((row) => squaredMahalanobis(row, location, precision)) };
  },
};
