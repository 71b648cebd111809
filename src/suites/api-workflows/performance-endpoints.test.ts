/**
 * api-workflows / performance endpoints: benchmarks (stored), side-by-side comparison on a
 * labelled dataset, a model's metrics and a bounded contamination search.
 *
 * Faults this file catches:
 * - a benchmark not answering 201 with one result per scenario, or not stored
 * - a benchmark larger than its bound accepted
 * - comparison metrics that differ from each model's own validation; ranking out of order
 * - model metrics not counting predict calls or not naming the latest benchmark
 * - optimize not finding a better contamination, or changing the model it searched for
 *   (api-optimize-no-search)
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectError } from '../fixtures/http-client.ts';
import { FEATURES, featureRows, sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';

describe('performance endpoints', { tags: ['api', 'integration', 'workflows'] }, () => {
  const db = useServiceDatabase();

  test('benchmark runs each scenario (201, stored) and model metrics name it', async ({ helper, client }) => {
    const { dataset, detector, training } = await helper.trainedDetector({ algorithm: 'zscore' });
    const scenarios = [
      { name: 'single_prediction', batch_size: 1, iterations: 50 },
      { name: 'batch_prediction', batch_size: 100, iterations: 5 },
    ];
    const result = await client.data(
      'POST',
      '/api/performance/benchmark',
      {
        json: { model_id: training.model_id, test_dataset_id: dataset.id, test_scenarios: scenarios },
        expected: 201,
      },
      'a benchmark is a create: 201',
    );
    expect(result, 'the benchmark answer').toMatchObject({
      benchmark_id: expect.stringMatching(UUID),
      model_id: training.model_id,
      test_dataset_id: dataset.id,
      status: 'completed',
    });
    expect(
      result.scenarios.map((s: any) => [s.name, s.batch_size, s.iterations]),
      'one result per scenario, as asked',
    ).toEqual(scenarios.map((s) => [s.name, s.batch_size, s.iterations]));
    for (const s of result.scenarios) {
      expect(s.mean_latency_ms, `${s.name}: mean latency is a non-negative number`).toBeGreaterThanOrEqual(0);
      expect(s.p95_latency_ms <= s.max_latency_ms, `${s.name}: p95 <= max`).toBe(true);
      expect(s.throughput_rows_per_second, `${s.name}: throughput is positive`).toBeGreaterThan(0);
    }
    const stored = await db.modelRecord(result.benchmark_id);
    expect(stored, 'the benchmark is stored').toMatchObject({
      kind: 'benchmark',
      model_id: training.model_id,
    });
    expect(stored?.body.scenarios.length, 'with its scenarios').toBe(2);

    await helper.predict(detector.id, featureRows(sampleDataset(3, 12), FEATURES));
    const metrics = await client.data(
      'GET',
      `/api/performance/models/${training.model_id}/metrics`,
      { expected: 200 },
      'model performance metrics: 200',
    );
    expect(metrics.latest_benchmark?.benchmark_id, 'metrics name the latest benchmark').toBe(
      result.benchmark_id,
    );
    expect(metrics.throughput_metrics, 'metrics count the predict call').toMatchObject({
      requests: 1,
      predictions: 12,
    });
    expect(typeof metrics.latency_metrics.mean_ms, 'latency_metrics carry the mean').toBe('number');
    expect(
      metrics.resource_usage.model_document_bytes,
      'resource_usage names the model size',
    ).toBeGreaterThan(0);

    expectError(
      await client.post('/api/performance/benchmark', {
        model_id: training.model_id,
        test_scenarios: [{ name: 'huge', batch_size: 10_000, iterations: 1_000 }],
      }),
      422,
      'VALIDATION_ERROR',
      'a benchmark over its row bound',
    );
    expectError(
      await client.post('/api/performance/benchmark', { model_id: dataset.id }),
      404,
      'NOT_FOUND',
      'a benchmark of an unknown model',
    );
  });

  test('compare scores each model on the dataset and ranks them by the asked metric', async ({
    helper,
    client,
  }) => {
    const good = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const poor = await helper.trainedDetector({
      dataset: good.dataset,
      algorithm: 'zscore',
      parameters: { contamination: 0.4 },
    });
    const ids = [poor.training.model_id, good.training.model_id];
    const comparison = await client.data(
      'POST',
      '/api/performance/compare',
      {
        json: {
          model_ids: ids,
          metrics: ['f1_score', 'prediction_latency'],
          test_dataset_id: good.dataset.id,
        },
      },
      'performance comparison: 200',
    );
    expect(
      comparison.model_comparisons.map((c: any) => c.model_id),
      'one entry per model, in order',
    ).toEqual(ids);
    for (const [c, d] of [
      [comparison.model_comparisons[0], poor.detector.id],
      [comparison.model_comparisons[1], good.detector.id],
    ]) {
      const own = await helper.validate(d);
      expect(c.metrics, `${c.model_id}: metrics equal the model's own validation`).toEqual(own.metrics);
      expect(c.prediction_latency_ms, 'each model carries its latency').toBeGreaterThanOrEqual(0);
    }
    expect(comparison.ranking_metric, 'ranked by the first asked metric').toBe('f1_score');
    expect(
      comparison.ranking.map((r: any) => [r.rank, r.model_id]),
      'the better f1 ranks first',
    ).toEqual([
      [1, good.training.model_id],
      [2, poor.training.model_id],
    ]);
    expectError(
      await client.post('/api/performance/compare', {
        model_ids: [ids[0]],
        test_dataset_id: good.dataset.id,
      }),
      422,
      'VALIDATION_ERROR',
      'a comparison of one model',
    );
    const unlabelled = await helper.uploadCsv(toCsv(featureRows(sampleDataset(8, 50), FEATURES)));
    expectError(
      await client.post('/api/performance/compare', { model_ids: ids, test_dataset_id: unlabelled.id }),
      422,
      'VALIDATION_ERROR',
      'a comparison on a dataset without labels',
    );
  });

  test('optimize searches contamination, finds a better one and leaves the model unchanged', async ({
    helper,
    client,
  }) => {
    const { training } = await helper.trainedDetector({
      algorithm: 'isolation_forest',
      parameters: { contamination: 0.3 },
    });
    const path = `/api/performance/models/${training.model_id}/optimize`;
    const result = await client.data(
      'POST',
      path,
      { json: { metric: 'f1_score' }, expected: 200 },
      'optimize: 200',
    );
    expect(result.baseline.parameters.contamination, "the first trial is the model's own contamination").toBe(
      0.3,
    );
    expect(result.trials.length, 'one trial per value of the search space').toBe(
      result.search_space.contamination.length,
    );
    expect(result.best_score, 'the best trial beats contamination 0.3 on 5% anomalies').toBeGreaterThan(
      result.baseline.score,
    );
    expect(
      result.best_parameters.contamination,
      'the best contamination is near the 5% anomaly rate',
    ).toBeLessThanOrEqual(0.1);
    expect(result.estimated_improvements.f1_score, 'the improvement is best minus baseline').toBeCloseTo(
      result.best_score - result.baseline.score,
      12,
    );
    expect(result.optimization_suggestions, 'one suggestion: the better contamination').toEqual([
      {
        parameter: 'contamination',
        current: 0.3,
        suggested: result.best_parameters.contamination,
        expected_gain: result.estimated_improvements.f1_score,
      },
    ]);
    const model = await client.data('GET', `/api/models/${training.model_id}`, { expected: 200 });
    expect(model.parameters.contamination, 'optimize must not change the model').toBe(0.3);
    const limited = await client.data('POST', path, { json: { max_trials: 2 }, expected: 200 });
    expect(limited.trials.length, 'max_trials bounds the search').toBe(2);
    expectError(await client.post(path, { max_trials: 13 }), 422, 'VALIDATION_ERROR', 'max_trials over 12');
  });
});
