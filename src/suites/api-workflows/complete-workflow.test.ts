/**
 * api-workflows / the complete workflow: upload → detector → train → validate → predict → results.
 *
 * Faults this file catches:
 * - upload loses rows or columns, or answers without the success envelope
 * - dataset stats wrong (means/missing values of the seeded data)
 * - detector parameters ignored (contamination not stored / default not applied)
 * - training does not complete, returns no model_id, or the detector is not marked trained
 * - training or validation metrics missing or wrong (ROC AUC of a separable data set below 0.9)
 * - predict scores outside 0..1, inverted (anomalies score lower), flags wrong, not deterministic,
 *   depends on the other rows of the batch, or returns a different number of rows
 *   (checked by faults/catalog.ts: api-score-inverted)
 * - an algorithm of the contract missing or not separating the seeded anomalies
 * - predict before training or with missing features accepted (or a 500)
 */
import { describe, expect } from 'vitest';
import { expectError, expectStatus } from '../fixtures/http-client.ts';
import { FEATURES, featureRows, rocAuc, sampleDataset } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';

const CONTRACT_ALGORITHMS = [
  'isolation_forest',
  'local_outlier_factor',
  'zscore',
  'hbos',
  'ecod',
  'ensemble',
];
const NORMAL_POINT = { feature1: 0.1, feature2: -0.2, feature3: 0.05 };
const ANOMALOUS_POINT = { feature1: 5, feature2: 4.8, feature3: 3.2 };

describe('complete anomaly-detection workflow', { tags: ['api', 'integration', 'workflows'] }, () => {
  test('upload → detector → train → validate → predict → results', async ({ helper, client, stack }) => {
    const rows = sampleDataset(stack.seed);

    const dataset = await helper.uploadSampleDataset();
    expect(dataset.id, 'dataset id must be a UUID').toMatch(UUID);
    expect(dataset.status, 'a new dataset must have status "uploaded"').toBe('uploaded');
    expect(dataset.rows, 'upload must keep all 1,000 rows').toBe(1000);
    expect(dataset.columns, 'upload must keep every column').toEqual(
      expect.arrayContaining(['feature1', 'feature2', 'feature3', 'label', 'timestamp']),
    );

    const fetched = await client.data('GET', `/api/datasets/${dataset.id}`, {}, 'GET of an uploaded dataset');
    expect(fetched.id, 'GET /api/datasets/{id} must return that dataset').toBe(dataset.id);
    expect(fetched.rows, 'stored row count must match the upload').toBe(1000);

    const stats = await client.data('GET', `/api/datasets/${dataset.id}/stats`, {}, 'dataset stats');
    expect(stats, 'stats must carry column_stats, data_quality, missing_values').toEqual(
      expect.objectContaining({ column_stats: expect.anything(), data_quality: expect.anything() }),
    );
    const mean1 = rows.reduce((s, r) => s + r.feature1, 0) / rows.length;
    const statsOf1 =
      stats.column_stats.feature1 ??
      stats.column_stats.find?.((c: { name: string }) => c.name === 'feature1');
    expect(statsOf1?.mean, 'stats must report the mean of feature1 of the uploaded rows').toBeCloseTo(
      mean1,
      4,
    );
    const missing = stats.missing_values;
    const missingTotal =
      typeof missing === 'number'
        ? missing
        : Object.values(missing ?? {}).reduce((s: number, v) => s + Number(v), 0);
    expect(missingTotal, 'the seeded dataset has no missing values').toBe(0);

    const validation = await client.data(
      'POST',
      `/api/datasets/${dataset.id}/validate`,
      {},
      'dataset validate',
    );
    expect(validation.is_valid, 'a clean numeric dataset must validate').toBe(true);

    const sample = await client.data(
      'GET',
      `/api/datasets/${dataset.id}/data`,
      { query: { limit: 5 } },
      'sample rows',
    );
    const sampleRows = Array.isArray(sample) ? sample : (sample.rows ?? sample.data);
    expect(sampleRows?.length, 'GET /data?limit=5 must return 5 rows').toBe(5);
    expect(Number(sampleRows[0].feature1), 'the first sample row must be the first uploaded row').toBeCloseTo(
      rows[0].feature1,
      6,
    );

    const detector = await helper.createDetector(dataset.id, { parameters: { contamination: 0.05 } });
    expect(detector.status, 'a new detector must have status "created"').toBe('created');
    expect(detector.parameters.contamination, 'the detector must keep contamination 0.05').toBe(0.05);
    expect(detector.feature_columns, 'the detector must keep its feature columns').toEqual([...FEATURES]);

    const training = await helper.train(detector.id);
    expect(training.model_id, 'training must return a model_id').toMatch(UUID);
    expect(training.training_time, 'training_time must be a non-negative number').toBeGreaterThanOrEqual(0);
    expect(
      training.metrics?.roc_auc,
      'training metrics (labelled data) must include roc_auc ≥ 0.9',
    ).toBeGreaterThanOrEqual(0.9);

    const trained = await client.data(
      'GET',
      `/api/detectors/${detector.id}`,
      {},
      'GET of a trained detector',
    );
    expect(trained.status, 'after training the detector must be "trained"').toBe('trained');
    expect(trained.model_id, 'the detector must point at the model training made').toBe(training.model_id);

    const validated = await helper.validate(detector.id, dataset.id);
    expect(validated.status, 'validation must complete').toBe('completed');
    for (const metric of ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'] as const) {
      expect(validated.metrics[metric], `validation metric ${metric} must be in 0..1`).toBeGreaterThanOrEqual(
        0,
      );
      expect(validated.metrics[metric], `validation metric ${metric} must be in 0..1`).toBeLessThanOrEqual(1);
    }
    expect(
      validated.metrics.roc_auc,
      'validation roc_auc on the seeded data must be ≥ 0.9',
    ).toBeGreaterThanOrEqual(0.9);

    const [normal, anomalous] = await helper.predict(detector.id, [NORMAL_POINT, ANOMALOUS_POINT]);
    expect(anomalous.is_anomaly, 'predict must flag [5, 4.8, 3.2] as anomalous').toBe(true);
    expect(normal.is_anomaly, 'predict must not flag [0.1, -0.2, 0.05]').toBe(false);
    expect(anomalous.anomaly_score, 'an anomaly must score higher than a normal point').toBeGreaterThan(
      normal.anomaly_score,
    );

    // Results: the whole labelled dataset scored and judged against its labels.
    const predictions = await helper.predict(detector.id, featureRows(rows, FEATURES));
    for (const p of predictions) {
      expect(p.anomaly_score, 'anomaly_score must be in 0..1').toBeGreaterThanOrEqual(0);
      expect(p.anomaly_score, 'anomaly_score must be in 0..1').toBeLessThanOrEqual(1);
      expect(p.confidence, 'confidence must be in 0..1').toBeGreaterThanOrEqual(0);
      expect(p.confidence, 'confidence must be in 0..1').toBeLessThanOrEqual(1);
    }
    const labels = rows.map((r) => r.label);
    const auc = rocAuc(
      labels,
      predictions.map((p) => p.anomaly_score),
    );
    expect(
      auc,
      'predict scores must rank the labelled anomalies first (ROC AUC ≥ 0.95)',
    ).toBeGreaterThanOrEqual(0.95);
    const flagged = predictions.filter((p) => p.is_anomaly).length;
    expect(
      flagged / rows.length,
      'with contamination 0.05 about 5% of the training rows must be flagged',
    ).toBeGreaterThan(0.02);
    expect(
      flagged / rows.length,
      'with contamination 0.05 about 5% of the training rows must be flagged',
    ).toBeLessThan(0.1);
    const caught = predictions.filter((p, i) => p.is_anomaly && labels[i] === 1).length;
    // The data differ with the run's seed: over 150 seeds a correct isolation forest flagged
    // 66% to 100% of them (median 90%); a broken score flags almost none.
    expect(caught / 50, 'at least 60% of the labelled anomalies must be flagged').toBeGreaterThanOrEqual(0.6);
  });

  test('predict is deterministic and a row scores the same alone or in a batch', async ({ helper }) => {
    const { detector } = await helper.trainedDetector();
    const batch = [NORMAL_POINT, ANOMALOUS_POINT, { feature1: 1.5, feature2: -1, feature3: 0.7 }];
    const first = await helper.predict(detector.id, batch);
    const second = await helper.predict(detector.id, batch);
    expect(second, 'the same rows must get the same predictions twice').toEqual(first);
    const [alone] = await helper.predict(detector.id, [batch[2]]);
    expect(alone.anomaly_score, 'a row must score the same alone and in a batch').toBe(
      first[2].anomaly_score,
    );
  });

  test('the algorithms of the contract are listed', async ({ helper, client, stack }) => {
    const listed = await client.data('GET', '/api/detectors/algorithms', {}, 'list algorithms');
    const names = (Array.isArray(listed) ? listed : listed.algorithms).map((a: { name: string } | string) =>
      typeof a === 'string' ? a : a.name,
    );
    expect(names, 'every algorithm of the contract must be listed').toEqual(
      expect.arrayContaining(CONTRACT_ALGORITHMS),
    );
    const boundary = names.find((n: string) => n === 'one_class_svm' || n === 'elliptic_envelope');
    expect(boundary, 'one_class_svm or elliptic_envelope must be listed').toBeDefined();
    const rows = sampleDataset(stack.seed);
    const { detector } = await helper.trainedDetector({ algorithm: boundary });
    const predictions = await helper.predict(detector.id, featureRows(rows, FEATURES));
    const auc = rocAuc(
      rows.map((r) => r.label),
      predictions.map((p) => p.anomaly_score),
    );
    expect(auc, `${boundary} must rank the seeded anomalies first (ROC AUC ≥ 0.9)`).toBeGreaterThanOrEqual(
      0.9,
    );
  });

  test.for(CONTRACT_ALGORITHMS)(
    '%s trains and separates the seeded anomalies',
    { tags: ['slow'] },
    async (algorithm, { helper, stack }) => {
      const rows = sampleDataset(stack.seed);
      const { detector } = await helper.trainedDetector({ algorithm });
      const predictions = await helper.predict(detector.id, featureRows(rows, FEATURES));
      const auc = rocAuc(
        rows.map((r) => r.label),
        predictions.map((p) => p.anomaly_score),
      );
      expect(auc, `${algorithm} must rank the seeded anomalies first (ROC AUC ≥ 0.9)`).toBeGreaterThanOrEqual(
        0.9,
      );
      const [anomalous] = await helper.predict(detector.id, [{ feature1: 8, feature2: 8, feature3: 8 }]);
      expect(anomalous.is_anomaly, `${algorithm} must flag [8, 8, 8]`).toBe(true);
    },
  );

  test('bad requests are refused with 4xx, never 500', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const untrained = await helper.createDetector(dataset.id);
    const early = await client.post(`/api/detection/predict/${untrained.id}`, { data: [NORMAL_POINT] });
    expectError(
      early,
      409,
      'DETECTOR_NOT_TRAINED',
      'predict with an untrained detector must be refused with 409',
    );

    await helper.train(untrained.id);
    const missing = await client.post(`/api/detection/predict/${untrained.id}`, { data: [{ feature1: 1 }] });
    expectStatus(missing, 422, 'predict with missing features must be refused');
    const notNumeric = await client.post(`/api/detection/predict/${untrained.id}`, {
      data: [{ feature1: 'x', feature2: 1, feature3: 1 }],
    });
    expectStatus(notNumeric, 422, 'predict with a non-numeric feature must be refused');

    const unknownAlgorithm = await client.post(
      '/api/detectors/create',
      {
        name: helper.name('bad'),
        algorithm: 'no_such_algorithm',
        parameters: {},
        feature_columns: [...FEATURES],
      },
      { query: { dataset_id: dataset.id } },
    );
    expectStatus(unknownAlgorithm, 422, 'an unknown algorithm must be refused');
    const emptyName = await client.post(
      '/api/detectors/create',
      { name: '', algorithm: 'zscore', parameters: {}, feature_columns: [...FEATURES] },
      { query: { dataset_id: dataset.id } },
    );
    expectStatus(emptyName, 422, 'an empty detector name must be refused');
    const badParameters = await client.post(
      '/api/detectors/create',
      {
        name: helper.name('bad'),
        algorithm: 'zscore',
        parameters: { contamination: 'lots' },
        feature_columns: [...FEATURES],
      },
      { query: { dataset_id: dataset.id } },
    );
    expectStatus(badParameters, 422, 'a non-numeric contamination must be refused');
    const notUuid = await client.get('/api/detectors/not-a-uuid');
    expectStatus(notUuid, 404, 'a non-UUID id must give 404 like an unknown one (README)');
    const unknown = await client.get('/api/detectors/00000000-0000-4000-8000-000000000000');
    expectStatus(unknown, 404, 'an unknown detector must give 404');
  });
});
