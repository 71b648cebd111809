import { type AlgorithmDefinition, CONTAMINATION_INFO, type Detector } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { packRows } from './matrix.ts';
import { sampleWithoutReplacement, seededRandom } from './random.ts';
import { readMatrix, readNumber, readNumbers, readObject } from './state-reader.ts';
import type { Matrix } from './types.ts';

/**
 * One-class SVM (Schölkopf et al., 2001), ν formulation with an RBF kernel
 * K(x, z) = exp(-γ‖x - z‖²), solved as libsvm (and so scikit-learn's OneClassSVM) does:
 *
 *   min_α ½ αᵀQα   subject to 0 ≤ αᵢ ≤ 1, Σαᵢ = ν·l,   Q_ij = K(xᵢ, xⱼ)
 *
 * by SMO with second-order working-set selection (Fan, Chen & Lin, 2005), stopping when the
 * maximal KKT violation is below `tol`. ρ is the mean gradient over the free αᵢ (0 < α < 1),
 * or the midpoint of the bounds when none is free. The decision function is
 * f(x) = Σ αᵢK(xᵢ, x) - ρ (> 0 inside the support), scikit-learn's decision_function; the raw
 * anomaly score is -f(x), which the model's calibration maps to 0..1.
 *
 * ν is an upper bound on the share of training rows outside the support (f < 0) and a lower
 * bound on the share of support vectors. Only the support vectors (α > 0) are stored.
 *
 * The kernel matrix is computed in full, so training is O(l²) in memory: more than
 * MAX_TRAINING_ROWS rows are subsampled without replacement, seeded (random_state), to that
 * many; smaller sets use every row and are deterministic.
 */
export const MAX_TRAINING_ROWS = 2000;
/** libsvm's TAU: stands in for a non-positive curvature. */
const TAU = 1e-12;

interface SvmState {
  gamma: number;
  rho: number;
  support_vectors: number[][];
  dual_coef: number[];
}

/** γ as scikit-learn resolves it: 'scale' = 1 / (d·Var(X)) (1 when X is constant), 'auto' = 1 / d. */
export function resolveGamma(X: Matrix, gamma: unknown): number {
  const d = X[0].length;
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / d;
  let sum = 0;
  let count = 0;
  for (const row of X)
    for (const v of row) {
      sum += v;
      count++;
    }
  const mean = sum / count;
  let squares = 0;
  for (const row of X) for (const v of row) squares += (v - mean) ** 2;
  const variance = squares / count;
  return variance > 0 ? 1 / (d * variance) : 1;
}

function kernelMatrix(X: Matrix, gamma: number): Float64Array {
  const l = X.length;
  const d = X[0].length;
  const packed = packRows(X);
  const Q = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    Q[i * l + i] = 1;
    for (let j = i + 1; j < l; j++) {
      let sq = 0;
      for (let k = 0; k < d; k++) {
        const diff = packed[i * d + k] - packed[j * d + k];
        sq += diff * diff;
      }
      const value = Math.exp(-gamma * sq);
      Q[i * l + j] = value;
      Q[j * l + i] = value;
    }
  }
  return Q;
}

/** The dual solution α and ρ for the kernel matrix Q (l×l, row-major) and ν. */
export function solveOneClass(
  Q: Float64Array,
  l: number,
  nu: number,
  tol: number,
  maxIterations: number,
): { alpha: Float64Array; rho: number } {
  // libsvm's start: the first floor(ν·l) α at 1, the next one takes the remainder.
  const alpha = new Float64Array(l);
  const total = nu * l;
  const whole = Math.min(l, Math.floor(total));
  for (let i = 0; i < whole; i++) alpha[i] = 1;
  if (whole < l) alpha[whole] = total - whole;
  // G = Qα (the linear term of the one-class dual is 0).
  const G = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    if (alpha[i] === 0) continue;
    for (let k = 0; k < l; k++) G[k] += Q[i * l + k] * alpha[i];
  }
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // i: the most violating α that may grow (α < 1), by -G.
    let i = -1;
    let gMax = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < l; t++)
      if (alpha[t] < 1 && -G[t] >= gMax) {
        gMax = -G[t];
        i = t;
      }
    // j: among the α that may shrink (α > 0), the largest second-order gain.
    let j = -1;
    let gMin = Number.POSITIVE_INFINITY;
    let bestGain = Number.POSITIVE_INFINITY;
    for (let t = 0; t < l; t++) {
      if (!(alpha[t] > 0)) continue;
      if (-G[t] < gMin) gMin = -G[t];
      const b = gMax + G[t];
      if (i >= 0 && b > 0) {
        const a = Q[i * l + i] + Q[t * l + t] - 2 * Q[i * l + t];
        const gain = -(b * b) / (a > 0 ? a : TAU);
        if (gain <= bestGain) {
          bestGain = gain;
          j = t;
        }
      }
    }
    if (i < 0 || j < 0 || gMax - gMin < tol) break;
    // The two-variable subproblem along αᵢ + αⱼ = const, clipped to the box (libsvm's update).
    const quad = Q[i * l + i] + Q[j * l + j] - 2 * Q[i * l + j];
    const delta = (G[i] - G[j]) / (quad > 0 ? quad : TAU);
    const oldI = alpha[i];
    const oldJ = alpha[j];
    const sum = oldI + oldJ;
    let newI = oldI - delta;
    let newJ = oldJ + delta;
    if (sum > 1) {
      if (newI > 1) {
        newI = 1;
        newJ = sum - 1;
      }
    } else if (newJ < 0) {
      newJ = 0;
      newI = sum;
    }
    if (sum > 1) {
      if (newJ > 1) {
        newJ = 1;
        newI = sum - 1;
      }
    } else if (newI < 0) {
      newI = 0;
      newJ = sum;
    }
    alpha[i] = newI;
    alpha[j] = newJ;
    const dI = newI - oldI;
    const dJ = newJ - oldJ;
    for (let k = 0; k < l; k++) G[k] += Q[i * l + k] * dI + Q[j * l + k] * dJ;
  }
  // ρ: libsvm's calculate_rho for labels all +1.
  let free = 0;
  let freeSum = 0;
  let upper = Number.POSITIVE_INFINITY;
  let lower = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < l; t++) {
    if (alpha[t] >= 1) lower = Math.max(lower, G[t]);
    else if (alpha[t] <= 0) upper = Math.min(upper, G[t]);
    else {
      free++;
      freeSum += G[t];
    }
  }
  // With every α at one bound one side is unbounded: take the other (ν = 1 puts all at 1).
  const rho =
    free > 0
      ? freeSum / free
      : !Number.isFinite(upper)
        ? lower
        : !Number.isFinite(lower)
          ? upper
          : (upper + lower) / 2;
  return { alpha, rho };
}

function fitSvm(X: Matrix, parameters: Record<string, unknown>, seed: number): SvmState {
  const gamma = resolveGamma(X, parameters.gamma);
  const rows =
    X.length > MAX_TRAINING_ROWS
      ? sampleWithoutReplacement(seededRandom(seed), X.length, MAX_TRAINING_ROWS)
          .sort((a, b) => a - b)
          .map((r) => X[r])
      : X;
  const l = rows.length;
  const Q = kernelMatrix(rows, gamma);
  const requested = parameters.max_iter as number;
  const maxIterations = requested > 0 ? requested : Math.max(10_000_000, 100 * l);
  const { alpha, rho } = solveOneClass(
    Q,
    l,
    parameters.nu as number,
    parameters.tol as number,
    maxIterations,
  );
  const support_vectors: number[][] = [];
  const dual_coef: number[] = [];
  for (let i = 0; i < l; i++)
    if (alpha[i] > 0) {
      support_vectors.push([...rows[i]]);
      dual_coef.push(alpha[i]);
    }
  return { gamma, rho, support_vectors, dual_coef };
}

function restoreSvm(state: unknown, featureCount: number): Detector {
  const fields = readObject(state, 'state.detector');
  const gamma = readNumber(fields.gamma, 'state.detector.gamma');
  if (!(gamma > 0)) throw new ModelFormatError('state.detector.gamma must be positive');
  const rho = readNumber(fields.rho, 'state.detector.rho');
  const vectors = readMatrix(fields.support_vectors, 'state.detector.support_vectors', featureCount);
  if (vectors.length === 0) throw new ModelFormatError('state.detector.support_vectors must not be empty');
  const coef = readNumbers(fields.dual_coef, 'state.detector.dual_coef', vectors.length);
  const packed = packRows(vectors);
  return {
    rawScores: (X) =>
      X.map((row) => {
        let sum = 0;
        for (let s = 0; s < vectors.length; s++) {
          let sq = 0;
          for (let k = 0; k < featureCount; k++) {
            const diff = packed[s * featureCount + k] - row[k];
            sq += diff * diff;
          }
          sum += coef[s] * Math.exp(-gamma * sq);
        }
        return rho - sum;
      }),
  };
}

export const oneClassSvm: AlgorithmDefinition = {
  info: {
    name: 'one_class_svm',
    display_name: 'One-Class SVM',
    description:
      'ν one-class SVM with an RBF kernel (Schölkopf et al., 2001), solved by SMO as libsvm does; score is the negated decision function.',
    parameters: {
      nu: {
        type: 'number',
        default: 0.5,
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 1,
        description:
          'ν in (0, 1]: an upper bound on the share of training rows outside the support and a lower bound on the share of support vectors.',
      },
      kernel: {
        type: 'string',
        default: 'rbf',
        enum: ['rbf'],
        description: "Kernel; only 'rbf', exp(-γ‖x - z‖²).",
      },
      gamma: {
        type: 'number',
        default: 'scale',
        minimum: 0,
        exclusiveMinimum: true,
        alternatives: ['scale', 'auto'],
        description: "RBF γ > 0, or 'scale' (1 / (d·Var(X)), scikit-learn's default) or 'auto' (1 / d).",
      },
      tol: {
        type: 'number',
        default: 0.001,
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 1,
        description: 'Stopping tolerance on the largest KKT violation.',
      },
      max_iter: {
        type: 'integer',
        default: -1,
        minimum: -1,
        description: 'Most SMO iterations; -1 or 0: no limit beyond max(10^7, 100·l).',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: false,
  fit: (X, parameters, seed) => fitSvm(X, parameters, seed),
  restore: (state, featureCount) => restoreSvm(state, featureCount),
};
