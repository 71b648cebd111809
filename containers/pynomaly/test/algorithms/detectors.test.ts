import { describe, expect, test } from 'vitest';
import type { AlgorithmDefinition, MemberFactory } from '../../src/algorithms/definition.ts';
import { ecod } from '../../src/algorithms/ecod.ts';
import { ellipticEnvelope } from '../../src/algorithms/elliptic-envelope.ts';
import { hbos } from '../../src/algorithms/hbos.ts';
import { localOutlierFactor, neighbourhoodSizes } from '../../src/algorithms/local-outlier-factor.ts';
import { zscore } from '../../src/algorithms/zscore.ts';
import { normalSource } from './sample-data.ts';

/** Raw scores of a definition fitted on X (no calibration), for checks against hand computation. */
function rawScorer(definition: AlgorithmDefinition, X: number[][], parameters: Record<string, unknown>) {
  const noMembers = {} as MemberFactory;
  const detector = definition.restore(definition.fit(X, parameters, 1, noMembers), X[0].length, noMembers);
  return (rows: number[][]) => detector.rawScores(rows);
}

describe('local outlier factor, by hand on 1-D points {0, 1, 2, 4} with k = 2', () => {
  const score = rawScorer(localOutlierFactor, [[0], [1], [2], [4]], { n_neighbors: 2, contamination: 0.1 });

  test('a far point: reach-dists 6 and 8, lrd 1/7, neighbours lrd 0.4 and 2/3 → LOF 3.7333', () => {
    // k-distances: 0→2, 1→1, 2→2, 4→3; lrd: 2/3, 1/2, 2/3, 2/5.
    expect(score([[10]])[0]).toBeCloseTo(((0.4 + 2 / 3) / 2) * 7, 6);
  });

  test('a training point (novelty mode includes it at distance 0): LOF 0.875', () => {
    expect(score([[1]])[0]).toBeCloseTo(((0.5 + 2 / 3) / 2) * 1.5, 6);
  });

  test('neighbourhood sizes double from n_neighbors up to 2·contamination·n, capped', () => {
    expect(neighbourhoodSizes(20, 0.1, 1000)).toEqual([20, 40, 80, 160, 200]);
    expect(neighbourhoodSizes(20, 0.05, 100)).toEqual([20]);
    expect(neighbourhoodSizes(20, 0.5, 10_000)).toEqual([20, 40, 80, 160, 256]);
    expect(neighbourhoodSizes(20, 0.1, 8)).toEqual([7]);
  });
});

describe('robust z-score, by hand', () => {
  const score = rawScorer(
    zscore,
    [
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [100, 5],
    ],
    { contamination: 0.1 },
  );

  test('|x - median| / (1.4826·MAD), largest over features; a constant feature uses scale 1', () => {
    // Feature 1: median 3, MAD 1 → (6 - 3) / 1.4826. Feature 2: constant 5 → |7 - 5| / 1 = 2.
    expect(score([[6, 5]])[0]).toBeCloseTo(3 / 1.4826, 12);
    expect(score([[3, 7]])[0]).toBe(2);
    expect(score([[6, 7]])[0]).toBeCloseTo(3 / 1.4826, 12);
  });
});

describe('HBOS, by hand on [0, 1, 1, 2, 2, 2, 3, 3, 3, 3] with 4 bins', () => {
  const X = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((v) => [v]);
  const score = rawScorer(hbos, X, { n_bins: 4, alpha: 0.1, contamination: 0.1 });

  test('log(1 / height) with heights relative to the fullest bin (counts 1, 2, 3, 4; alpha 0.1)', () => {
    expect(score([[3]])[0]).toBeCloseTo(0, 12);
    expect(score([[0.5]])[0]).toBeCloseTo(-Math.log(1.1 / 4.1), 12);
    expect(score([[1.6]])[0]).toBeCloseTo(-Math.log(3.1 / 4.1), 12);
  });

  test('past the edge tolerance an empty bin, decaying further with distance', () => {
    // width 0.75; 4.125 lies 1 bin width past the half-bin tolerance.
    expect(score([[4.125]])[0]).toBeCloseTo(-Math.log(0.1 / 4.1) + Math.log(2), 12);
    expect(score([[3.2]])[0]).toBeCloseTo(0, 12);
    expect(score([[50]])[0]).toBeGreaterThan(score([[10]])[0]);
  });
});

describe('ECOD, by hand on [1, 2, 3, 4, 5]', () => {
  const score = rawScorer(
    ecod,
    [1, 2, 3, 4, 5].map((v) => [v]),
    { contamination: 0.1 },
  );

  test('max of summed -log left, right and skew-chosen tail probabilities', () => {
    // x = 4: left 4/5, right 2/5 → max(-ln 0.8, -ln 0.4).
    expect(score([[4]])[0]).toBeCloseTo(-Math.log(0.4), 12);
    expect(score([[1]])[0]).toBeCloseTo(-Math.log(0.2), 12);
  });

  test('past the training range the tail keeps shrinking: 1/(n+1) · s / (s + distance)', () => {
    const s = 1.4826;
    expect(score([[10]])[0]).toBeCloseTo(-Math.log((1 / 6) * (s / (s + 5))), 12);
    expect(score([[20]])[0]).toBeGreaterThan(score([[10]])[0]);
  });

  test('uses only the training ECDF: a point scores the same alone and inside any batch', () => {
    const alone = score([[4.5]])[0];
    expect(score([[4.5], [4.6], [4.7], [100]])[0]).toBe(alone);
    expect(score([[-3], [4.5]])[1]).toBe(alone);
  });
});

describe('elliptic envelope', () => {
  const draw = normalSource(17);
  const inliers = Array.from({ length: 200 }, () => [draw(0, 1), draw(0, 2)]);
  const outliers = Array.from({ length: 40 }, () => [draw(20, 0.5), draw(20, 0.5)]);
  const X = [...inliers, ...outliers];
  const fitted = ellipticEnvelope.fit(
    X,
    { support_fraction: 0.5, contamination: 0.1 },
    3,
    {} as MemberFactory,
  ) as {
    location: number[];
    precision: number[][];
  };

  test('the robust location ignores a 17 % cluster of outliers (the plain mean would be near 3.3)', () => {
    expect(Math.abs(fitted.location[0])).toBeLessThan(0.4);
    expect(Math.abs(fitted.location[1])).toBeLessThan(0.8);
  });

  test('distances follow the covariance: 2 sd along either axis score alike, outliers far higher', () => {
    const score = rawScorer(ellipticEnvelope, X, { support_fraction: 0.5, contamination: 0.1 });
    const [alongFirst, alongSecond, outlier] = score([
      [fitted.location[0] + 2, fitted.location[1]],
      [fitted.location[0], fitted.location[1] + 4],
      [20, 20],
    ]);
    expect(alongSecond / alongFirst).toBeGreaterThan(0.6);
    expect(alongSecond / alongFirst).toBeLessThan(1.6);
    expect(outlier).toBeGreaterThan(20 * alongFirst);
  });
});
