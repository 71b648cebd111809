import { describe, expect, test } from 'vitest';
import { trainModel } from '../../src/algorithms/index.ts';
import { MAX_TRAINING_ROWS, oneClassSvm, resolveGamma } from '../../src/algorithms/one-class-svm.ts';
import { normalSource } from './sample-data.ts';

/** The SVM definition alone (no calibration): fit, restore, and f(x) = -raw score. */
function fitSvm(X: number[][], parameters: Record<string, unknown>, seed = 1) {
  const full = { kernel: 'rbf', gamma: 'scale', nu: 0.5, tol: 1e-3, max_iter: -1, ...parameters };
  const state = oneClassSvm.fit(X, full, seed, undefined as never) as {
    gamma: number;
    rho: number;
    support_vectors: number[][];
    dual_coef: number[];
  };
  const detector = oneClassSvm.restore(state, X[0].length, undefined as never);
  return { state, decision: (rows: number[][]) => detector.rawScores(rows).map((r) => -r) };
}

// Ten points in the unit square and two far ones.
const TINY = [
  [0, 0],
  [0.5, 0.2],
  [0.1, 0.9],
  [1, 1],
  [0.8, 0.3],
  [0.3, 0.6],
  [0.9, 0.8],
  [0.2, 0.1],
  [0.6, 0.7],
  [0.4, 0.4],
  [3, 3],
  [-2, 1.5],
];
const PROBES = [
  [0.5, 0.5],
  [3, 3],
  [-2, 1.5],
  [5, -5],
];

describe('one_class_svm against scikit-learn 1.2.1 (libsvm) on a 12-point set', () => {
  // Reference: sklearn.svm.OneClassSVM(kernel='rbf', nu=0.25, gamma=0.5, tol=1e-6).fit(TINY)
  // (Debian python3-sklearn 1.2.1): support_ [0, 3, 10, 11], dual_coef_, offset_ (= ρ) and
  // decision_function(PROBES) as below.
  test('the same support vectors, dual coefficients, ρ and decision values', () => {
    const { state, decision } = fitSvm(TINY, { nu: 0.25, gamma: 0.5, tol: 1e-6 });
    expect(state.support_vectors, 'support vectors are rows 0, 3, 10, 11').toEqual([
      [0, 0],
      [1, 1],
      [3, 3],
      [-2, 1.5],
    ]);
    const reference = [0.6193391190677947, 0.6403850210380277, 0.8809797339497756, 0.859296125944402];
    state.dual_coef.forEach((a, i) => {
      expect(a, `α of support vector ${i}`).toBeCloseTo(reference[i], 6);
    });
    expect(
      state.dual_coef.reduce((a, b) => a + b, 0),
      'Σα = ν·l = 3',
    ).toBeCloseTo(3, 10);
    expect(state.rho, 'ρ (scikit-learn offset_)').toBeCloseTo(0.8927869269003121, 6);
    const expected = [0.11288737694043638, -6.600019496483256e-7, 2.4051375302480693e-7, -0.8927869268884375];
    decision(PROBES).forEach((f, i) => {
      expect(f, `decision_function of probe ${i}`).toBeCloseTo(expected[i], 6);
    });
  });

  // Reference: OneClassSVM(nu=0.5).fit(TINY): _gamma 0.5592775997669677 (1 / (2·X.var())),
  // 8 support vectors, decision_function(PROBES) as below (default tol 1e-3).
  test("gamma 'scale' is 1 / (d·Var(X)) and the defaults decide as scikit-learn's", () => {
    expect(resolveGamma(TINY, 'scale')).toBeCloseTo(0.5592775997669677, 12);
    expect(resolveGamma(TINY, 'auto')).toBe(0.5);
    const { state, decision } = fitSvm(TINY, {});
    expect(state.support_vectors).toHaveLength(8);
    const expected = [0.30745680853764634, -1.9328616956194336, -1.8418563705962303, -2.94805292507732];
    decision(PROBES).forEach((f, i) => {
      expect(f, `decision_function of probe ${i}`).toBeCloseTo(expected[i], 4);
    });
  });
});

describe('one_class_svm properties', () => {
  const draw = normalSource(3);
  const X = Array.from({ length: 200 }, () => [draw(0, 1), draw(0, 1)]);

  test.each([0.05, 0.2, 0.5])(
    'ν = %s bounds the share of training outliers above and of support vectors below',
    (nu) => {
      const { state, decision } = fitSvm(X, { nu, gamma: 0.5 });
      // Outside by more than the stopping tolerance: α = 1, and at most ν·l α can be 1.
      const outside = decision(X).filter((f) => f < -1e-3).length / X.length;
      expect(outside, 'share of training rows outside the support').toBeLessThanOrEqual(nu);
      expect(state.dual_coef.length / X.length, 'share of support vectors').toBeGreaterThanOrEqual(nu);
    },
  );

  test('a far point is outside, the centre inside; the model scores them in that order', () => {
    const model = trainModel('one_class_svm', X, { nu: 0.1, gamma: 0.5 }, 1);
    const [centre, far] = model.predict([
      [0, 0],
      [6, 6],
    ]);
    expect(far.is_anomaly).toBe(true);
    expect(centre.is_anomaly).toBe(false);
  });

  test(`more than ${MAX_TRAINING_ROWS} rows are subsampled by the seed: bounded, reproducible, seed-dependent`, () => {
    const many = Array.from({ length: MAX_TRAINING_ROWS + 500 }, () => [draw(0, 1)]);
    const parameters = { nu: 0.5, gamma: 1 };
    const first = fitSvm(many, parameters, 7).state;
    expect(fitSvm(many, parameters, 7).state, 'same seed, same model').toEqual(first);
    expect(fitSvm(many, parameters, 8).state, 'another seed draws another subsample').not.toEqual(first);
    // ν·2000 = 1000 α are positive at least, never more than the subsample.
    expect(first.dual_coef.length).toBeGreaterThanOrEqual(MAX_TRAINING_ROWS / 2);
    expect(first.dual_coef.length).toBeLessThanOrEqual(MAX_TRAINING_ROWS);
  });
});
