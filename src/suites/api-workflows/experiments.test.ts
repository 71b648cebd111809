/**
 * api-workflows / experiments and comparison.
 *
 * Faults this file catches:
 * - an experiment not created with status "created", or run never completing
 * - results missing an algorithm, its metrics, its cross-validation scores (one per fold) or its model
 * - best_algorithm not the one with the best metric; ranking not ordered; comparison disagreeing with results
 *   (checked by faults/catalog/api-workflows.ts: api-best-algorithm-worst); ranking and best_algorithm
 *   by another metric than the first of evaluation_metrics (api-experiment-best-by-roc-auc)
 * - run not answering 202 (api-experiment-run-answers-200)
 * - history without its lifecycle events
 * - experiment list filters (status) ignoring the filter; DELETE not deleting
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { pollUntil, UUID } from '../fixtures/poll.ts';

const ALGORITHMS = ['isolation_forest', 'zscore', 'hbos'];

interface AlgorithmResult {
  algorithm_name: string;
  metrics: Record<string, number>;
  cross_validation_scores: number[];
  model_id: string;
  training_time: number;
}

describe('experiments and comparison', { tags: ['api', 'integration', 'workflows'] }, () => {
  const it = useIntegrationHelper();

  test('create → run → results → comparison → history → list → delete', async () => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    const experiment = await helper.createExperiment(
      dataset.id,
      ALGORITHMS.map((name) => ({ name, parameters: { contamination: 0.05 } })),
      { folds: 3 },
    );
    expect(experiment.id, 'experiment id must be a UUID').toMatch(UUID);
    expect(experiment.status, 'a new experiment must be "created"').toBe('created');

    const run = await client.post(`/api/experiments/${experiment.id}/run`);
    expectStatus(run, 202, 'running an experiment must be accepted with 202 (it runs in the background)');

    const results = await pollUntil(
      async () => {
        const res = await client.get(`/api/experiments/${experiment.id}/results`);
        return res.status === 200 ? res.body.data : null;
      },
      (data) => Array.isArray(data?.algorithm_results) && data.algorithm_results.length === ALGORITHMS.length,
      'experiment results for all three algorithms',
      90_000,
      500,
    );
    expect(results.experiment_id, 'results must name their experiment').toBe(experiment.id);
    const byName = new Map<string, AlgorithmResult>(
      results.algorithm_results.map((r: AlgorithmResult) => [r.algorithm_name, r]),
    );
    for (const name of ALGORITHMS) {
      const result = byName.get(name);
      expect(result, `results must include ${name}`).toBeDefined();
      expect(result!.metrics.roc_auc, `${name} roc_auc must be in 0..1`).toBeGreaterThanOrEqual(0);
      expect(result!.metrics.roc_auc, `${name} roc_auc must be in 0..1`).toBeLessThanOrEqual(1);
      expect(
        result!.metrics.roc_auc,
        `${name} must separate the seeded anomalies (roc_auc ≥ 0.9)`,
      ).toBeGreaterThanOrEqual(0.9);
      expect(result!.cross_validation_scores, `${name} must have one CV score per fold (3)`).toHaveLength(3);
      expect(result!.model_id, `${name} must leave a model`).toMatch(UUID);
      expect(result!.training_time, `${name} training_time must be ≥ 0`).toBeGreaterThanOrEqual(0);
    }
    const bestScore = Math.max(...ALGORITHMS.map((n) => byName.get(n)!.metrics.roc_auc));
    expect(
      byName.get(results.best_algorithm)?.metrics.roc_auc,
      'best_algorithm must be the algorithm with the highest roc_auc',
    ).toBe(bestScore);

    const model = await client.data(
      'GET',
      `/api/models/${byName.get(ALGORITHMS[0])!.model_id}`,
      {},
      'an experiment model',
    );
    expect(model.algorithm, 'the model of an experiment result must be of that algorithm').toBe(
      ALGORITHMS[0],
    );

    const comparison = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/comparison`,
      {},
      'comparison',
    );
    expect(comparison.best_algorithm, 'comparison and results must agree on the best algorithm').toBe(
      results.best_algorithm,
    );
    const ranking: string[] = comparison.ranking.map(
      (r: string | { algorithm_name?: string; algorithm?: string }) =>
        typeof r === 'string' ? r : (r.algorithm_name ?? r.algorithm),
    );
    expect([...ranking].sort(), 'the ranking must list every algorithm once').toEqual([...ALGORITHMS].sort());
    expect(ranking[0], 'the ranking must start with the best algorithm').toBe(results.best_algorithm);
    expect(comparison.metric_comparison, 'comparison must carry metric_comparison').toBeTruthy();

    const history = await client.data('GET', `/api/experiments/${experiment.id}/history`, {}, 'history');
    const types: string[] = history.events.map((e: { event_type: string }) => e.event_type);
    expect(types.length, 'history must record the experiment lifecycle (≥ 2 events)').toBeGreaterThanOrEqual(
      2,
    );
    expect(
      types.some((t) => /creat/.test(t)),
      'history must include a created event',
    ).toBe(true);
    expect(
      types.some((t) => /complet/.test(t)),
      'history must include a completed event',
    ).toBe(true);

    const completed = await client.data(
      'GET',
      '/api/experiments',
      { query: { status: 'completed', limit: 500 } },
      'list',
    );
    const ids = completed.experiments.map((e: { id: string }) => e.id);
    expect(ids, 'the status filter must list the completed experiment').toContain(experiment.id);
    expect(
      completed.experiments.every((e: { status: string }) => e.status === 'completed'),
      'status=completed must list only completed experiments',
    ).toBe(true);
    const created = await client.data(
      'GET',
      '/api/experiments',
      { query: { status: 'created', limit: 500 } },
      'list',
    );
    expect(
      created.experiments.map((e: { id: string }) => e.id),
      'status=created must not list a completed experiment',
    ).not.toContain(experiment.id);

    expectStatus(await client.delete(`/api/experiments/${experiment.id}`), 200, 'DELETE of an experiment');
    expectStatus(
      await client.get(`/api/experiments/${experiment.id}/results`),
      404,
      'a deleted experiment must be gone',
    );
    helper.forget('experiment', experiment.id);
  });

  // Contamination 0.02 flags few rows (high precision, low recall), 0.15 many (the reverse): the
  // two metrics rank the two algorithms in opposite orders, so one of them differs from roc_auc's.
  test.each([
    ['precision', 'isolation_forest'],
    ['recall', 'hbos'],
  ])('ranked by the first evaluation metric (%s)', async (metric, expectedBest) => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    const experiment = await helper.createExperiment(
      dataset.id,
      [
        { name: 'isolation_forest', parameters: { contamination: 0.02 } },
        { name: 'hbos', parameters: { contamination: 0.15 } },
      ],
      { metrics: [metric, 'roc_auc'] },
    );
    expectStatus(
      await client.post(`/api/experiments/${experiment.id}/run`),
      202,
      'running an experiment must answer 202',
    );
    const results = await pollUntil(
      async () =>
        client.data('GET', `/api/experiments/${experiment.id}/results`, { expected: 200 }, 'results'),
      (data) => data.status === 'completed' || data.status === 'failed',
      'experiment completion',
      90_000,
      250,
    );
    expect(results.status, 'the experiment must complete').toBe('completed');
    const value = new Map<string, number>(
      results.algorithm_results.map((r: AlgorithmResult) => [r.algorithm_name, r.metrics[metric]]),
    );
    const comparison = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/comparison`,
      { expected: 200 },
      'comparison must answer 200',
    );
    expect(
      comparison.ranking_metric,
      `the ranking metric must be the first evaluation metric (${metric})`,
    ).toBe(metric);
    const ranking = comparison.ranking as { rank: number; algorithm_name: string; score: number }[];
    const byMetric = [...value.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    expect(
      ranking.map((r) => r.algorithm_name),
      `the ranking must be ordered by ${metric}, best first`,
    ).toEqual(byMetric);
    expect(
      ranking.map((r) => [r.rank, r.score]),
      `each ranking entry carries its rank and its ${metric}`,
    ).toEqual(byMetric.map((name, i) => [i + 1, value.get(name)]));
    expect(byMetric[0], `by ${metric} the seeded data must favour ${expectedBest}`).toBe(expectedBest);
    expect(results.best_algorithm, `best_algorithm must be the top of the ${metric} ranking`).toBe(
      expectedBest,
    );
    expect(
      comparison.best_algorithm,
      `comparison best_algorithm must be the top of the ${metric} ranking`,
    ).toBe(expectedBest);
  });

  test('an experiment on an unknown dataset or with an unknown algorithm is refused', async () => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    const base = {
      name: helper.name('bad'),
      evaluation_metrics: ['roc_auc'],
      cross_validation: { enabled: false, folds: 3 },
    };
    const unknownDataset = await client.post('/api/experiments/create', {
      ...base,
      dataset_id: '00000000-0000-4000-8000-000000000000',
      algorithms: [{ name: 'zscore', parameters: {} }],
    });
    expectStatus(unknownDataset, 404, 'an experiment on an unknown dataset must be refused');
    const unknownAlgorithm = await client.post('/api/experiments/create', {
      ...base,
      dataset_id: dataset.id,
      algorithms: [{ name: 'no_such_algorithm', parameters: {} }],
    });
    expectStatus(unknownAlgorithm, 422, 'an experiment with an unknown algorithm must be refused');
  });
});
