/**
 * api-workflows / algorithms and estimator parameters as upstream's harness sends them:
 * one_class_svm ({nu, kernel: 'rbf', gamma}) and time_series_anomaly trained over HTTP,
 * random_state on every algorithm, scikit-learn names where they mean something, 422 where not.
 *
 * Faults this file catches (faults/catalog/api-workflows.ts):
 * - one_class_svm deciding with the wrong sign or no kernel (api-ocsvm-sign-flipped)
 * - time_series_anomaly not removing the seasonal component (api-time-series-no-seasonal-lag)
 * - random_state ignored, the service seed used instead (api-random-state-ignored)
 * - a name foreign to the algorithm accepted (api-unknown-parameter-accepted)
 * - export → import of a new algorithm not scoring identically (checked with every new model)
 */
import { describe, expect } from 'vitest';
import { expectError } from '../fixtures/http-client.ts';
import type { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { importAndScore } from '../fixtures/models.ts';
import {
  FEATURES,
  featureRows,
  rocAuc,
  sampleDataset,
  seededNormal,
  seededRandom,
  toCsv,
} from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

/**
 * A seasonal series (amplitude 10, period 48, noise sd 0.3) with 12 bursts of 3 consecutive
 * points shifted by ±3..4, well inside the seasonal range. Only a detector that compares a
 * value with the same phase of neighbouring seasons separates them: the level of a value
 * alone does not, nor does a median of its 5 nearest neighbours in time (3 of them are the
 * burst) — that one reaches ROC AUC about 0.8 here.
 */
const PERIOD = 48;
function seasonalSeries(seed: number) {
  const noise = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  const starts = new Set<number>();
  // The detector compares a value with the same phase up to two periods either side (window_size
  // 5). Two bursts there would outvote it: the median moves with them, a burst scores as normal,
  // and the contamination threshold falls to noise (seed 241327: bursts at 124, 220 and 316 put
  // a trough at 612 over it). So no burst shares its phase with another within two periods.
  const clashes = (start: number) =>
    [...starts].some((s) => (start - s) % PERIOD === 0 && Math.abs(start - s) <= 2 * PERIOD);
  while (starts.size < 12) {
    const start = PERIOD + 4 * Math.floor((uniform() * (1200 - 3 * PERIOD)) / 4);
    if (!clashes(start)) starts.add(start);
  }
  const shift = new Map<number, number>();
  for (const start of starts) {
    const height = (uniform() < 0.5 ? -1 : 1) * (3 + uniform());
    for (let k = 0; k < 3; k++) shift.set(start + k, height);
  }
  return Array.from({ length: 1200 }, (_, t) => ({
    timestamp: new Date(Date.UTC(2024, 0, 1) + t * 60_000).toISOString(),
    value:
      Math.round((10 * Math.sin((2 * Math.PI * t) / PERIOD) + noise(0, 0.3) + (shift.get(t) ?? 0)) * 1e6) /
      1e6,
    label: shift.has(t) ? 1 : 0,
  }));
}

/** Export the detector's model, import it, and check the import scores `points` identically. */
async function expectRoundTrip(
  helper: IntegrationHelper,
  modelId: string,
  algorithm: string,
  points: Record<string, number>[],
  scores: number[],
) {
  const document = await helper.client.data('POST', `/api/models/${modelId}/export`, {}, 'export of a model');
  expect(document.algorithm, `the exported document must name ${algorithm}`).toBe(algorithm);
  const imported = await importAndScore(helper, document, points);
  expect(imported.scores, `an imported ${algorithm} model must score exactly as the original`).toEqual(
    scores,
  );
}

const NORMAL = { feature1: 0.5, feature2: 0.3, feature3: 0.1 };
const ANOMALOUS = { feature1: 5.0, feature2: 4.8, feature3: 3.2 };

describe('algorithms and estimator parameters', { tags: ['api', 'integration', 'workflows'] }, () => {
  test('GET /api/detectors/algorithms lists one_class_svm and time_series_anomaly with their parameters', async ({
    client,
  }) => {
    const listed = await client.data('GET', '/api/detectors/algorithms', {}, 'list algorithms');
    const byName = Object.fromEntries(
      listed.algorithms.map((a: { name: string; parameters: object }) => [a.name, a.parameters]),
    );
    expect(byName.one_class_svm, 'one_class_svm must list nu, kernel, gamma, random_state').toMatchObject({
      nu: { type: 'number', default: 0.5 },
      kernel: { type: 'string', default: 'rbf', enum: ['rbf'] },
      gamma: { default: 'scale', alternatives: ['scale', 'auto'] },
      random_state: { type: 'integer', default: null },
    });
    expect(byName.time_series_anomaly, 'time_series_anomaly must list window_size and period').toMatchObject({
      window_size: { type: 'integer', default: 5 },
      period: { type: 'integer', default: 0 },
      random_state: { type: 'integer', default: null },
    });
    for (const [name, parameters] of Object.entries(byName))
      expect(parameters, `${name} must accept random_state`).toHaveProperty('random_state');
  });

  // ν = 0.5 (scikit-learn's default): with ν = 0.05 the SVM rightly gives the tight 5 % cluster
  // of anomalies at (4, 4, 4) a support of its own (scikit-learn's does the same).
  test('one_class_svm (upstream: nu, kernel rbf) trains, separates the anomalies and round-trips', async ({
    helper,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const parameters = { nu: 0.5, kernel: 'rbf', gamma: 'scale', contamination: 0.05 };
    const detector = await helper.createDetector(dataset.id, { algorithm: 'one_class_svm', parameters });
    expect(detector.algorithm).toBe('one_class_svm');
    expect(detector.status).toBe('created');
    expect(detector.parameters, 'the detector must keep the parameters sent, defaults filled').toEqual({
      ...parameters,
      tol: 0.001,
      max_iter: -1,
    });
    const training = await helper.train(detector.id);
    expect(training.metrics?.roc_auc, 'one_class_svm must rank the training anomalies first').toBeGreaterThan(
      0.95,
    );

    const heldOut = sampleDataset(9001, 200);
    const points = featureRows(heldOut, FEATURES);
    const predictions = await helper.predict(detector.id, points);
    const scores = predictions.map((p) => p.anomaly_score);
    expect(
      rocAuc(
        heldOut.map((r) => r.label),
        scores,
      ),
      'one_class_svm must separate held-out anomalies (ROC AUC > 0.95)',
    ).toBeGreaterThan(0.95);
    const [normal, anomalous] = await helper.predict(detector.id, [NORMAL, ANOMALOUS]);
    expect(normal.is_anomaly, 'one_class_svm: [0.5, 0.3, 0.1] is normal').toBe(false);
    expect(anomalous.is_anomaly, 'one_class_svm: [5.0, 4.8, 3.2] is an anomaly').toBe(true);
    await expectRoundTrip(helper, training.model_id, 'one_class_svm', points, scores);
  });

  test('time_series_anomaly with a period flags bursts inside the seasonal range, not the peaks, and round-trips', async ({
    helper,
  }) => {
    const series = seasonalSeries(helper.stack.seed);
    const dataset = await helper.uploadCsv(toCsv(series), { targetColumn: 'label' });
    const detector = await helper.createDetector(dataset.id, {
      algorithm: 'time_series_anomaly',
      parameters: { period: PERIOD, contamination: 0.03 },
      featureColumns: ['value'],
    });
    expect(detector.parameters, 'the detector must keep period and fill window_size').toEqual({
      period: PERIOD,
      window_size: 5,
      contamination: 0.03,
    });
    const training = await helper.train(detector.id);
    expect(
      training.metrics?.roc_auc,
      'time_series_anomaly must rank the training bursts first',
    ).toBeGreaterThan(0.95);
    // The whole series in one batch, in time order: the detector reads it as a series.
    const points = series.map((p) => ({ value: p.value }));
    const predictions = await helper.predict(detector.id, points);
    const scores = predictions.map((p) => p.anomaly_score);
    expect(
      rocAuc(
        series.map((p) => p.label),
        scores,
      ),
      'time_series_anomaly with a period must separate bursts inside the seasonal range (ROC AUC > 0.95)',
    ).toBeGreaterThan(0.95);
    const peaks = series.flatMap((p, t) =>
      p.label === 0 && (t % PERIOD === PERIOD / 4 || t % PERIOD === (3 * PERIOD) / 4) ? [t] : [],
    );
    const flaggedPeaks = peaks.filter((t) => predictions[t].is_anomaly);
    expect(flaggedPeaks, 'seasonal peaks and troughs must not be flagged').toEqual([]);
    await expectRoundTrip(helper, training.model_id, 'time_series_anomaly', points, scores);
  });

  test('random_state seeds the detector: same value same scores, another value another forest', async ({
    helper,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const points = featureRows(sampleDataset(77, 100), FEATURES);
    const scoresWith = async (randomState: number) => {
      const parameters = { contamination: 0.05, random_state: randomState, n_estimators: 50 };
      const { detector } = await helper.trainedDetector({
        dataset,
        algorithm: 'isolation_forest',
        parameters,
      });
      expect(detector.parameters.random_state, 'random_state must be kept as sent').toBe(randomState);
      return (await helper.predict(detector.id, points)).map((p) => p.anomaly_score);
    };
    const first = await scoresWith(42);
    expect(await scoresWith(42), 'the same random_state and data must give identical scores').toEqual(first);
    expect(await scoresWith(43), 'another random_state must grow another forest').not.toEqual(first);
  });

  test('scikit-learn names that mean something to the algorithm are accepted, in detectors and experiments', async ({
    helper,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const accepted: [string, Record<string, unknown>][] = [
      ['isolation_forest', { n_estimators: 50, max_samples: 'auto', max_features: 0.5, bootstrap: true }],
      ['local_outlier_factor', { n_neighbors: 10, random_state: 3 }],
      ['one_class_svm', { nu: 0.1, gamma: 0.2, kernel: 'rbf', tol: 0.0001 }],
      ['time_series_anomaly', { window_size: 7, period: 24 }],
    ];
    for (const [algorithm, parameters] of accepted) {
      const detector = await helper.createDetector(dataset.id, { algorithm, parameters });
      expect(detector.parameters, `${algorithm} must keep ${JSON.stringify(parameters)}`).toMatchObject(
        parameters,
      );
    }
    // Upstream's experiment: random_state on isolation_forest, nu and kernel on one_class_svm.
    const experiment = (await helper.createExperiment(dataset.id, [
      { name: 'isolation_forest', parameters: { contamination: 0.05, random_state: 42 } },
      { name: 'one_class_svm', parameters: { nu: 0.05, kernel: 'rbf' } },
      { name: 'local_outlier_factor', parameters: { n_neighbors: 20, contamination: 0.05 } },
    ])) as unknown as { configuration: { algorithms: { name: string; parameters: object }[] } };
    expect(
      experiment.configuration.algorithms.map((a) => a.parameters),
      'the experiment keeps them',
    ).toEqual([
      expect.objectContaining({ random_state: 42 }),
      expect.objectContaining({ nu: 0.05, kernel: 'rbf' }),
      expect.objectContaining({ n_neighbors: 20 }),
    ]);
  });

  test('a name that means nothing to the algorithm, or a value it cannot take, is 422 VALIDATION_ERROR', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const refused: [string, Record<string, unknown>, string][] = [
      ['isolation_forest', { n_neighbors: 5 }, 'unknown parameter "n_neighbors" for isolation_forest'],
      [
        'local_outlier_factor',
        { n_estimators: 5 },
        'unknown parameter "n_estimators" for local_outlier_factor',
      ],
      ['one_class_svm', { kernel: 'linear' }, 'kernel must be one of rbf'],
      ['one_class_svm', { gamma: 'bogus' }, 'gamma must be a number or one of scale, auto'],
      ['time_series_anomaly', { nu: 0.1 }, 'unknown parameter "nu" for time_series_anomaly'],
      ['zscore', { random_state: -1 }, 'random_state must be >= 0'],
    ];
    for (const [algorithm, parameters, message] of refused) {
      const name = helper.name('refused');
      const res = await client.post(
        '/api/detectors/create',
        { name, algorithm, parameters, feature_columns: FEATURES },
        { query: { dataset_id: dataset.id } },
      );
      const what = `${algorithm} with ${JSON.stringify(parameters)}`;
      expectError(res, 422, 'VALIDATION_ERROR', `${what} must be refused`);
      expect(res.body.error.message, `the 422 for ${what} must say why`).toContain(message);
    }
    const res = await client.post('/api/experiments/create', {
      name: helper.name('refused-experiment'),
      dataset_id: dataset.id,
      algorithms: [{ name: 'one_class_svm', parameters: { n_estimators: 10 } }],
    });
    expectError(
      res,
      422,
      'VALIDATION_ERROR',
      'an experiment with a name foreign to one_class_svm must be refused',
    );
  });
});
