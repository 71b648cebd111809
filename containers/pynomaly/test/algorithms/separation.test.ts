import { describe, expect, test } from 'vitest';
import { ALGORITHM_NAMES, trainModel } from '../../src/algorithms/index.ts';
import { rocAuc } from '../../src/metrics/classification.ts';
import { upstreamSample } from './sample-data.ts';

const NORMAL = [0.5, 0.3, 0.1];
const ANOMALOUS = [5.0, 4.8, 3.2];

describe.each(ALGORITHM_NAMES)('%s on the upstream fixture (1000×3, 5 % anomalies)', (algorithm) => {
  const { X, labels } = upstreamSample(42, 1000, 0.05);
  const model = trainModel(algorithm, X, { contamination: 0.05 }, 42);

  test('predicts [0.5, 0.3, 0.1] normal and [5.0, 4.8, 3.2] anomalous', () => {
    const [normal, anomalous] = model.predict([NORMAL, ANOMALOUS]);
    expect(normal.is_anomaly).toBe(false);
    expect(anomalous.is_anomaly).toBe(true);
    expect(anomalous.anomaly_score).toBeGreaterThan(normal.anomaly_score);
  });

  test('labels the training rows with accuracy > 0.8 and ranks anomalies first (ROC AUC > 0.95)', () => {
    const predictions = model.predict(X);
    const accuracy = predictions.filter((p, i) => (p.is_anomaly ? 1 : 0) === labels[i]).length / X.length;
    expect(accuracy).toBeGreaterThan(0.8);
    expect(
      rocAuc(
        labels,
        predictions.map((p) => p.anomaly_score),
      ),
    ).toBeGreaterThan(0.95);
  });

  test('flags a far point and scores it higher than a nearer anomaly', () => {
    const [near, far] = model.predict([ANOMALOUS, [8, 8, 8]]);
    expect(far.is_anomaly).toBe(true);
    expect(far.anomaly_score).toBeGreaterThanOrEqual(near.anomaly_score);
  });

  test('scores, thresholds and confidences stay in 0..1; about contamination·n training rows are flagged', () => {
    const predictions = model.predict(X);
    for (const p of predictions) {
      expect(p.anomaly_score).toBeGreaterThanOrEqual(0);
      expect(p.anomaly_score).toBeLessThanOrEqual(1);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.is_anomaly).toBe(p.anomaly_score > model.threshold);
    }
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    const flagged = predictions.filter((p) => p.is_anomaly).length;
    expect(flagged).toBeGreaterThanOrEqual(45);
    expect(flagged).toBeLessThanOrEqual(55);
  });

  test('the threshold is the (1 - contamination) quantile of the training scores', () => {
    const sorted = model.scores(X).sort((a, b) => a - b);
    const position = (sorted.length - 1) * 0.95;
    const low = Math.floor(position);
    const expected = sorted[low] + (sorted[low + 1] - sorted[low]) * (position - low);
    expect(model.threshold).toBeCloseTo(expected, 12);
  });

  test("a row's score does not depend on the other rows of the batch", () => {
    const probe = [ANOMALOUS, NORMAL, [-2, 1, 0.5]];
    const alone = probe.map((row) => model.scores([row])[0]);
    // time_series_anomaly reads a batch of window_size rows or more as a series (its
    // neighbours count); shorter batches are scored row by row like every other detector.
    const series = algorithm === 'time_series_anomaly';
    const context = series ? [] : X.slice(0, 50);
    const after = series
      ? [[9, 9, 9]]
      : [
          [9, 9, 9],
          [-9, 0, 9],
        ];
    const batch = model.scores([...context, ...probe, ...after]);
    expect(batch.slice(context.length, context.length + 3)).toEqual(alone);
    expect(model.scores([probe[2], probe[1], probe[0]])).toEqual([...alone].reverse());
  });

  test('the same seed trains the same model', () => {
    const again = trainModel(algorithm, X, { contamination: 0.05 }, 42);
    expect(again.toDocument()).toEqual(model.toDocument());
  });
});
