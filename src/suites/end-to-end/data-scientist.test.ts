/**
 * end-to-end / a data scientist's research on real labelled data (the Wisconsin breast-cancer
 * table shipped by Debian's python3-sklearn; malignant cases are the anomalies).
 *
 * Faults this file catches:
 * - dataset exploration (stats, sample, validate) wrong on a real 30-feature table
 * - an algorithm comparison that does not rank by the metric, or models no better than chance on
 *   real data (ROC AUC of the best algorithm below 0.85)
 * - AutoML not finishing, or its best model worse than chance
 * - export of the dataset (CSV/JSON) or of the best model not giving back the data / a document
 */
import { describe, expect, vi } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { breastCancerAnomalies } from '../fixtures/real-data.ts';
import { toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

describe('data-scientist research', { tags: ['integration', 'workflows', 'slow'] }, () => {
  test('explore → compare algorithms → AutoML → export results', async ({ helper, client }) => {
    const table = breastCancerAnomalies();
    const dataset = await helper.uploadCsv(toCsv(table.rows, [...table.features, 'label']), {
      targetColumn: 'label',
      filename: 'breast_cancer.csv',
      description: `Wisconsin breast cancer, ${table.source}`,
    });
    expect(
      { rows: dataset.rows, columns: dataset.columns, status: dataset.status },
      'the upload reports every row and column of the real table',
    ).toEqual({ rows: table.rows.length, columns: [...table.features, 'label'], status: 'uploaded' });

    const stats = await client.data(
      'GET',
      `/api/datasets/${dataset.id}/stats`,
      { expected: 200 },
      'explore: stats',
    );
    const feature = table.features[0];
    const expectedMean = table.rows.reduce((s, r) => s + r[feature], 0) / table.rows.length;
    const reported =
      stats.column_stats[feature] ?? stats.column_stats.find?.((c: { name: string }) => c.name === feature);
    expect(reported?.mean, `explore: the mean of ${feature} must match the table`).toBeCloseTo(
      expectedMean,
      6,
    );
    const validation = await client.data(
      'POST',
      `/api/datasets/${dataset.id}/validate`,
      { expected: 200 },
      'explore: validate',
    );
    expect(validation.is_valid, 'the real table is valid').toBe(true);

    const algorithms = ['isolation_forest', 'ecod', 'hbos', 'local_outlier_factor'];
    const experiment = await helper.createExperiment(
      dataset.id,
      algorithms.map((name) => ({ name, parameters: { contamination: table.contamination } })),
      { folds: 3 },
    );
    expectStatus(
      await client.post(`/api/experiments/${experiment.id}/run`),
      202,
      'run the comparison (202, runs in the background)',
    );
    const results = await vi.waitFor(
      async () => {
        const data = (await client.get(`/api/experiments/${experiment.id}/results`)).body?.data;
        expect(data?.algorithm_results?.length, 'comparison results on the real table').toBe(
          algorithms.length,
        );
        return data;
      },
      { timeout: 120_000, interval: 1_000 },
    );
    const best = results.algorithm_results.find(
      (r: { algorithm_name: string }) => r.algorithm_name === results.best_algorithm,
    );
    expect(results.experiment_id, 'the results are those of this experiment').toBe(experiment.id);
    expect(
      best?.metrics.roc_auc,
      'best_algorithm must be the compared algorithm with the highest roc_auc (the first evaluation metric)',
    ).toBe(
      Math.max(...results.algorithm_results.map((r: { metrics: { roc_auc: number } }) => r.metrics.roc_auc)),
    );
    expect(
      best.metrics.roc_auc,
      'the best algorithm must find malignant cases well above chance (ROC AUC ≥ 0.85)',
    ).toBeGreaterThanOrEqual(0.85);
    const comparison = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/comparison`,
      { expected: 200 },
      'comparison',
    );
    expect(
      [comparison.best_algorithm?.algorithm_name, comparison.best_algorithm_name],
      'comparison agrees with results (best_algorithm object and plain name)',
    ).toEqual([results.best_algorithm, results.best_algorithm]);

    const job = await helper.startAutoml(dataset.id, algorithms, 4);
    const status = await vi.waitFor(
      async () => {
        const s = await client.data('GET', `/api/autonomous/automl/${job.id}/status`, {}, 'AutoML status');
        expect(s.status, 'AutoML on the real table').toMatch(/^(completed|failed)$/);
        return s;
      },
      { timeout: 90_000, interval: 1_000 },
    );
    expect(status.status, 'AutoML must complete').toBe('completed');
    expect(status.best_score, 'AutoML best model must be well above chance (≥ 0.85)').toBeGreaterThanOrEqual(
      0.85,
    );

    const exportedJson = await client.post(`/api/datasets/${dataset.id}/export`, { format: 'json' });
    expectStatus(exportedJson, 200, 'export the dataset as JSON');
    expect(exportedJson.text, 'the JSON export must carry the data').toContain(
      String(table.rows[0][feature]),
    );
    const exportedCsv = await client.post(`/api/datasets/${dataset.id}/export`, { format: 'csv' });
    expectStatus(exportedCsv, 200, 'export the dataset as CSV');
    expect(exportedCsv.text, 'the CSV export must carry the header').toContain(feature);
    const document = await client.data(
      'POST',
      `/api/models/${best.model_id}/export`,
      { expected: 200 },
      'export the best model',
    );
    expect(document.algorithm, 'the exported model is the best algorithm').toBe(results.best_algorithm);
    expect(document.feature_count, 'the exported model has one input per feature').toBe(
      table.features.length,
    );
  });
});
