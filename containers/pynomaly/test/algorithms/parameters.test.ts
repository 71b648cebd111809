import { describe, expect, test } from 'vitest';
import { InvalidDataError, InvalidParametersError } from '../../src/algorithms/errors.ts';
import {
  ALGORITHM_NAMES,
  listAlgorithms,
  resolveParameters,
  trainModel,
} from '../../src/algorithms/index.ts';

const defaults = { contamination: 0.1 };

describe('algorithm catalogue', () => {
  test('lists every algorithm with display name, description and a contamination parameter in (0, 0.5]', () => {
    const listed = listAlgorithms();
    expect(listed.map((a) => a.name)).toEqual([...ALGORITHM_NAMES]);
    expect(ALGORITHM_NAMES).toEqual(
      expect.arrayContaining([
        'isolation_forest',
        'local_outlier_factor',
        'zscore',
        'hbos',
        'ecod',
        'elliptic_envelope',
        'ensemble',
      ]),
    );
    for (const info of listed) {
      expect(info.display_name.length).toBeGreaterThan(0);
      expect(info.description.length).toBeGreaterThan(0);
      expect(info.parameters.contamination).toMatchObject({ type: 'number', minimum: 0, maximum: 0.5 });
    }
  });

  test('documents the defaults the brief names', () => {
    const byName = Object.fromEntries(listAlgorithms().map((a) => [a.name, a.parameters]));
    expect(byName.isolation_forest.n_estimators.default).toBe(100);
    expect(byName.isolation_forest.max_samples.default).toBe(256);
    expect(byName.local_outlier_factor.n_neighbors.default).toBe(20);
    expect(byName.hbos.n_bins.default).toBe(10);
    expect(byName.ensemble.algorithms.default).toEqual([
      'isolation_forest',
      'local_outlier_factor',
      'zscore',
    ]);
  });

  test("shows the service's configured contamination as its default when given", () => {
    expect(
      listAlgorithms({ contamination: 0.03 }).every((a) => a.parameters.contamination.default === 0.03),
    ).toBe(true);
  });

  test('listing returns copies: changing one does not change the next', () => {
    const first = listAlgorithms();
    first[0].parameters.contamination.default = 0.4;
    expect(listAlgorithms()[0].parameters.contamination.default).toBe(0.1);
  });
});

describe('resolveParameters', () => {
  test('fills defaults, contamination from the given default', () => {
    expect(resolveParameters('isolation_forest', {}, { contamination: 0.07 })).toEqual({
      ok: true,
      algorithm: 'isolation_forest',
      parameters: {
        n_estimators: 100,
        max_samples: 256,
        max_features: 1,
        bootstrap: false,
        contamination: 0.07,
      },
    });
    expect(resolveParameters('zscore', undefined, defaults)).toEqual({
      ok: true,
      algorithm: 'zscore',
      parameters: { contamination: 0.1 },
    });
  });

  test('keeps valid values', () => {
    const resolved = resolveParameters(
      'ensemble',
      { algorithms: ['hbos', 'ecod'], contamination: 0.5 },
      defaults,
    );
    expect(resolved).toEqual({
      ok: true,
      algorithm: 'ensemble',
      parameters: { algorithms: ['hbos', 'ecod'], contamination: 0.5 },
    });
  });

  test('refuses an unknown algorithm, naming the known ones', () => {
    const resolved = resolveParameters('magic_forest', {}, defaults);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok)
      expect(resolved.errors[0]).toMatch(/unknown algorithm "magic_forest".*isolation_forest/);
  });

  test.each([[null], [[]], ['n_estimators=5'], [42]])('refuses non-object parameters %j', (params) => {
    expect(resolveParameters('hbos', params, defaults)).toEqual({
      ok: false,
      errors: ['parameters must be a JSON object'],
    });
  });

  test('lists every problem at once: unknown names, wrong types, out-of-range values', () => {
    const resolved = resolveParameters(
      'isolation_forest',
      { n_estimators: 'many', max_samples: 1.5, contamination: 0.7, depth: 3 },
      defaults,
    );
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.errors).toHaveLength(4);
    expect(resolved.errors.join('\n')).toMatch(/unknown parameter "depth"/);
    expect(resolved.errors.join('\n')).toMatch(/n_estimators must be a finite number/);
    expect(resolved.errors.join('\n')).toMatch(/max_samples must be an integer/);
    expect(resolved.errors.join('\n')).toMatch(/contamination must be <= 0.5/);
  });

  test.each([
    ['contamination', 0, /contamination must be > 0/],
    ['contamination', -0.1, /contamination must be > 0/],
    ['contamination', '0.1', /contamination must be a finite number/],
    ['contamination', null, /contamination must be a finite number/],
    ['n_estimators', 0, /n_estimators must be >= 1/],
    ['n_estimators', 1e9, /n_estimators must be <= 1000/],
  ])('refuses %s = %j', (name, value, message) => {
    const resolved = resolveParameters('isolation_forest', { [name]: value }, defaults);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) expect(resolved.errors.join('\n')).toMatch(message);
  });

  test('refuses bad ensemble member lists', () => {
    for (const algorithms of [[], ['ensemble'], ['hbos', 'hbos'], ['nope'], 'hbos', [1]]) {
      const resolved = resolveParameters('ensemble', { algorithms }, defaults);
      expect(resolved.ok, JSON.stringify(algorithms)).toBe(false);
    }
  });
});

describe('trainModel input checks', () => {
  test('refuses bad parameters with every error listed', () => {
    expect(() => trainModel('hbos', [[1], [2]], { n_bins: 1, bins: 3 }, 1)).toThrow(InvalidParametersError);
  });

  test('refuses data that is not a rectangular matrix of finite numbers, or too small', () => {
    expect(() => trainModel('zscore', [[1]], {}, 1)).toThrow(InvalidDataError);
    expect(() => trainModel('zscore', [[1, 2], [3]], {}, 1)).toThrow(/row 1 has 1 features, expected 2/);
    expect(() => trainModel('zscore', [[1], [Number.NaN]], {}, 1)).toThrow(/row 1, feature 0/);
    const model = trainModel(
      'zscore',
      [
        [1, 2],
        [3, 4],
        [5, 7],
      ],
      {},
      1,
    );
    expect(() => model.scores([[1]])).toThrow(InvalidDataError);
    expect(model.scores([])).toEqual([]);
  });

  test('trains on tiny or degenerate data without producing NaN', () => {
    const constant = [
      [1, 1],
      [1, 1],
      [1, 1],
    ];
    for (const algorithm of ALGORITHM_NAMES) {
      const model = trainModel(algorithm, constant, {}, 1);
      const scores = model.scores([
        [1, 1],
        [5, -5],
      ]);
      for (const s of scores) expect(Number.isFinite(s), algorithm).toBe(true);
      expect(scores[1], algorithm).toBeGreaterThanOrEqual(scores[0]);
      expect(Number.isFinite(model.threshold), algorithm).toBe(true);
      expect(JSON.parse(JSON.stringify(model.toDocument()))).toEqual(model.toDocument());
    }
  });
});
