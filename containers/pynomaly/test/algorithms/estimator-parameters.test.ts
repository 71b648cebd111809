import { describe, expect, test } from 'vitest';
import {
  ALGORITHM_NAMES,
  listAlgorithms,
  resolveParameters,
  trainModel,
} from '../../src/algorithms/index.ts';
import { upstreamSample } from './sample-data.ts';

const defaults = { contamination: 0.1 };
const { X } = upstreamSample(5, 300, 0.05);

function errorsOf(algorithm: string, parameters: Record<string, unknown>): string[] {
  const resolved = resolveParameters(algorithm, parameters, defaults);
  return resolved.ok ? [] : resolved.errors;
}

describe('random_state (scikit-learn name) on every algorithm', () => {
  test.each(ALGORITHM_NAMES)('%s lists and accepts random_state; unset it is not echoed', (algorithm) => {
    const info = listAlgorithms().find((a) => a.name === algorithm);
    expect(info?.parameters.random_state).toMatchObject({ type: 'integer', default: null, minimum: 0 });
    const given = resolveParameters(algorithm, { random_state: 42 }, defaults);
    expect(given.ok && given.parameters.random_state).toBe(42);
    const unset = resolveParameters(algorithm, { random_state: null }, defaults);
    expect(unset.ok && Object.hasOwn(unset.parameters, 'random_state')).toBe(false);
    expect(errorsOf(algorithm, { random_state: -1 })).toEqual(['random_state must be >= 0']);
    expect(errorsOf(algorithm, { random_state: 1.5 })).toEqual(['random_state must be an integer']);
  });

  test('it replaces the service seed: same random_state, same model whatever the seed', () => {
    const a = trainModel('isolation_forest', X, { random_state: 7, n_estimators: 20 }, 1);
    const b = trainModel('isolation_forest', X, { random_state: 7, n_estimators: 20 }, 2);
    expect(b.toDocument()).toEqual(a.toDocument());
    expect(b.scores(X)).toEqual(a.scores(X));
  });

  test('another random_state grows another forest; another seed does not matter once it is set', () => {
    const a = trainModel('isolation_forest', X, { random_state: 7, n_estimators: 20 }, 1);
    const c = trainModel('isolation_forest', X, { random_state: 8, n_estimators: 20 }, 1);
    expect(c.scores(X)).not.toEqual(a.scores(X));
    const unseeded = trainModel('isolation_forest', X, { n_estimators: 20 }, 7);
    expect(unseeded.scores(X), 'random_state 7 = service seed 7').toEqual(a.scores(X));
  });
});

describe('scikit-learn / PyOD parameter names', () => {
  test('isolation forest: max_features, bootstrap and max_samples "auto" are accepted and change the forest', () => {
    expect(errorsOf('isolation_forest', { max_features: 0.5, bootstrap: true, max_samples: 'auto' })).toEqual(
      [],
    );
    const base = trainModel('isolation_forest', X, { n_estimators: 20 }, 3).scores(X);
    const share = trainModel('isolation_forest', X, { n_estimators: 20, max_features: 0.34 }, 3);
    const boot = trainModel('isolation_forest', X, { n_estimators: 20, bootstrap: true }, 3);
    expect(share.scores(X)).not.toEqual(base);
    expect(boot.scores(X)).not.toEqual(base);
    // max_features 0.34 of 3 features: each tree splits on one feature only.
    const trees = (share.toDocument().state as { detector: { trees: { feature: number[] }[] } }).detector
      .trees;
    for (const tree of trees) expect(new Set(tree.feature.filter((f) => f >= 0)).size).toBeLessThanOrEqual(1);
    const auto = trainModel('isolation_forest', X, { n_estimators: 20, max_samples: 'auto' }, 3);
    expect(auto.scores(X), "'auto' is 256").toEqual(
      trainModel('isolation_forest', X, { n_estimators: 20, max_samples: 256 }, 3).scores(X),
    );
  });

  test('one_class_svm: nu, kernel rbf, gamma number / scale / auto, tol, max_iter', () => {
    expect(
      errorsOf('one_class_svm', { nu: 0.05, kernel: 'rbf', gamma: 0.1, tol: 1e-4, max_iter: 1000 }),
    ).toEqual([]);
    expect(errorsOf('one_class_svm', { gamma: 'auto' })).toEqual([]);
    expect(errorsOf('one_class_svm', { gamma: 'bogus' })).toEqual([
      'gamma must be a number or one of scale, auto',
    ]);
    expect(errorsOf('one_class_svm', { gamma: 0 })).toEqual(['gamma must be > 0']);
    expect(errorsOf('one_class_svm', { nu: 0 })).toEqual(['nu must be > 0']);
    expect(errorsOf('one_class_svm', { kernel: 'linear' })).toEqual(['kernel must be one of rbf']);
  });

  test('a name that means nothing to the algorithm is refused, naming it', () => {
    expect(errorsOf('isolation_forest', { n_neighbors: 5 })[0]).toMatch(
      /^unknown parameter "n_neighbors" for isolation_forest \(accepted: .*random_state\)$/,
    );
    expect(errorsOf('local_outlier_factor', { n_estimators: 5 })[0]).toMatch(
      /unknown parameter "n_estimators"/,
    );
    expect(errorsOf('one_class_svm', { n_neighbors: 5 })[0]).toMatch(/unknown parameter "n_neighbors"/);
    expect(errorsOf('time_series_anomaly', { nu: 0.1 })[0]).toMatch(/unknown parameter "nu"/);
    expect(errorsOf('isolation_forest', { bootstrap: 'yes' })).toEqual(['bootstrap must be true or false']);
  });
});
