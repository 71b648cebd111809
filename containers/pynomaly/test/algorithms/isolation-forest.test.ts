import { describe, expect, test } from 'vitest';
import { trainModel } from '../../src/algorithms/index.ts';
import { averagePathLength, isolationScore } from '../../src/algorithms/isolation-forest.ts';
import { upstreamSample } from './sample-data.ts';

describe('isolation forest', () => {
  test('c(n) follows Liu et al.: c(256) = 10.2448, c(2) = 1, c(1) = 0', () => {
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 4);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(1)).toBe(0);
    // 2H(n-1) - 2(n-1)/n with H(i) = ln i + γ, by hand for n = 10: 2(ln 9 + γ) - 1.8.
    expect(averagePathLength(10)).toBeCloseTo(2 * (Math.log(9) + 0.5772156649) - 1.8, 12);
  });

  test('a point whose average path length equals c(ψ) scores exactly 0.5', () => {
    expect(isolationScore(averagePathLength(256), 256)).toBe(0.5);
    expect(isolationScore(averagePathLength(100), 100)).toBe(0.5);
    expect(isolationScore(0, 256)).toBe(1);
    expect(isolationScore(2 * averagePathLength(256), 256)).toBe(0.25);
  });

  test('the same data, parameters and seed give the same model; another seed another one', () => {
    const { X } = upstreamSample(3, 300);
    const a = trainModel('isolation_forest', X, { n_estimators: 20 }, 11);
    const b = trainModel('isolation_forest', X, { n_estimators: 20 }, 11);
    const c = trainModel('isolation_forest', X, { n_estimators: 20 }, 12);
    expect(b.toDocument()).toEqual(a.toDocument());
    expect(b.scores(X)).toEqual(a.scores(X));
    expect(c.scores(X)).not.toEqual(a.scores(X));
  });

  test('trees obey the height limit ceil(log2 ψ) and the subsample size', () => {
    const { X } = upstreamSample(5, 1000);
    const doc = trainModel('isolation_forest', X, { n_estimators: 5, max_samples: 64 }, 1).toDocument();
    const detector = (
      doc.state as { detector: { sample_size: number; trees: { feature: number[]; value: number[] }[] } }
    ).detector;
    expect(detector.sample_size).toBe(64);
    for (const tree of detector.trees) {
      // Leaf sizes add up to the subsample; depth (via preorder walk) stays within 6.
      let leafTotal = 0;
      let deepest = 0;
      const walk = (i: number, depth: number): number => {
        deepest = Math.max(deepest, depth);
        if (tree.feature[i] === -1) {
          leafTotal += tree.value[i];
          return i + 1;
        }
        return walk(walk(i + 1, depth + 1), depth + 1);
      };
      expect(walk(0, 0)).toBe(tree.feature.length);
      expect(leafTotal).toBe(64);
      expect(deepest).toBeLessThanOrEqual(Math.ceil(Math.log2(64)));
    }
  });

  test('max_samples above the row count uses every row', () => {
    const { X } = upstreamSample(5, 40);
    const doc = trainModel('isolation_forest', X, { n_estimators: 2 }, 1).toDocument();
    expect((doc.state as { detector: { sample_size: number } }).detector.sample_size).toBe(40);
  });
});
