import { describe, expect, test } from 'vitest';
import { averagePrecision, classificationMetrics, rocAuc } from '../../src/metrics/classification.ts';

describe('rocAuc (Mann-Whitney, average ranks for ties)', () => {
  test('perfect, reversed and chance orderings', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  test('by hand without ties: 5 of 6 positive-negative pairs ordered right', () => {
    // labels 0,1,0,1,0 with scores 0.1,0.4,0.35,0.8,0.5: pairs (pos, neg): 0.4 beats 0.1, 0.35, loses to 0.5;
    // 0.8 beats all three → 5 / 6.
    expect(rocAuc([0, 1, 0, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.5])).toBeCloseTo(5 / 6, 12);
  });

  test('by hand with ties: a tied positive-negative pair counts one half', () => {
    // scores 0.2(0) 0.5(1) 0.5(0) 0.9(1): ranks 1, 2.5, 2.5, 4 → positive rank sum 6.5,
    // U = 6.5 - 3 = 3.5 over 4 pairs = 0.875 (pairs: 0.5 vs 0.2 → 1, 0.5 vs 0.5 → ½, 0.9 → 1, 1).
    expect(rocAuc([0, 1, 0, 1], [0.2, 0.5, 0.5, 0.9])).toBe(0.875);
    // Three-way tie across classes: 0.3(1) 0.3(0) 0.3(0) 0.1(0) 0.7(1): ranks 3, 3, 3, 1, 5 → (8 - 3) / 6.
    expect(rocAuc([1, 0, 0, 0, 1], [0.3, 0.3, 0.3, 0.1, 0.7])).toBeCloseTo(5 / 6, 12);
  });

  test('a single class is undefined for ROC: 0.5 (chance), never NaN', () => {
    expect(rocAuc([0, 0, 0], [0.1, 0.5, 0.9])).toBe(0.5);
    expect(rocAuc([1, 1], [0.1, 0.5])).toBe(0.5);
    expect(rocAuc([], [])).toBe(0.5);
  });

  test('refuses mismatched lengths and non-finite scores', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(RangeError);
    expect(() => rocAuc([0, 1], [0.5, Number.NaN])).toThrow(/scores\[1\]/);
  });
});

describe('classificationMetrics', () => {
  test('by hand: TP 2, FP 1, FN 1, TN 2', () => {
    const labels = [1, 1, 1, 0, 0, 0];
    const predicted = [true, true, false, true, false, false];
    const scores = [0.9, 0.8, 0.3, 0.7, 0.2, 0.1];
    const metrics = classificationMetrics(labels, scores, predicted);
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 12);
    expect(metrics.precision).toBeCloseTo(2 / 3, 12);
    expect(metrics.recall).toBeCloseTo(2 / 3, 12);
    expect(metrics.f1_score).toBeCloseTo(2 / 3, 12);
    // Positives 0.9, 0.8, 0.3 against negatives 0.7, 0.2, 0.1: 0.3 loses to 0.7 → 8 / 9.
    expect(metrics.roc_auc).toBeCloseTo(8 / 9, 12);
  });

  test('unequal precision and recall: F1 is their harmonic mean', () => {
    const metrics = classificationMetrics(
      [1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1],
      [true, false, false, false, true],
    );
    expect(metrics.precision).toBe(0.5);
    expect(metrics.recall).toBe(0.25);
    expect(metrics.f1_score).toBeCloseTo((2 * 0.5 * 0.25) / 0.75, 12);
    expect(metrics.roc_auc).toBe(0.5);
  });

  test('nothing flagged and no anomalies: precision, recall and F1 are 0, not NaN', () => {
    const metrics = classificationMetrics([0, 0], [0.1, 0.2], [false, false]);
    expect(metrics).toEqual({ accuracy: 1, precision: 0, recall: 0, f1_score: 0, roc_auc: 0.5 });
  });

  test('only a label of exactly 1 is an anomaly', () => {
    const metrics = classificationMetrics([-1, 2, 1], [0.1, 0.2, 0.9], [false, false, true]);
    expect(metrics.accuracy).toBe(1);
    expect(metrics.roc_auc).toBe(1);
  });

  test('refuses predictions of another length', () => {
    expect(() => classificationMetrics([0, 1], [0.1, 0.2], [true])).toThrow(RangeError);
  });
});

describe('averagePrecision (precision at each threshold, weighted by the recall it adds)', () => {
  test('scikit-learn’s example, a perfect ranking, ties and no anomalies', () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333, 9);
    expect(averagePrecision([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])).toBe(1);
    // One threshold holding every row: precision 2/4 at recall 1.
    expect(averagePrecision([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(averagePrecision([0, 0], [0.1, 0.2])).toBe(0);
  });
});
