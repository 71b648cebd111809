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
 * - create not echoing algorithm_configurations (one per algorithm) and evaluation_metrics
 *   (api-experiment-no-algorithm-configurations); GET /api/experiments/{id} missing
 * - PUT …/metadata not replacing the stored metadata, or touching another experiment
 *   (api-experiment-metadata-merged)
 * - POST …/export without a download_url holding the results in the asked format
 *   (api-experiment-export-wrong-format); comparison best_algorithm not {algorithm_name, model_id}
 *   of the best result (api-comparison-best-model-id-wrong)
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { type ApiClient, expectError, expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';

const ALGORITHMS = ['isolation_forest', 'zscore', 'hbos'];

interface AlgorithmResult {
  algorithm_name: string;
  metrics: Record<string, number>;
  cross_validation_scores: number[];
  model_id: string;
  training_time: number;
}

/** The results of an experiment, read until it has ended (completed or failed), for 90 s at most. */
function resultsOnceEnded(client: ApiClient, experimentId: string) {
  return vi.waitFor(
    async () => {
      const data = await client.data(
        'GET',
        `/api/experiments/${experimentId}/results`,
        { expected: 200 },
        'results',
      );
      expect(data.status, 'experiment completion').toMatch(/^(completed|failed)$/);
      return data;
    },
    { timeout: 90_000, interval: 250 },
  );
}

describe('experiments and comparison', { tags: ['api', 'integration', 'workflows'] }, () => {
  const db = useServiceDatabase();

  test('create → run → results → comparison → history → list → delete', async ({ helper, client }) => {
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

    const results = await vi.waitFor(
      async () => {
        const res = await client.get(`/api/experiments/${experiment.id}/results`);
        const data = res.status === 200 ? res.body.data : null;
        expect(
          Array.isArray(data?.algorithm_results) && data.algorithm_results.length,
          'experiment results for all three algorithms',
        ).toBe(ALGORITHMS.length);
        return data;
      },
      { timeout: 90_000, interval: 500 },
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
    expect(
      comparison.best_algorithm,
      'comparison best_algorithm is {algorithm_name, model_id, score} of the results’ best algorithm',
    ).toEqual({
      algorithm_name: results.best_algorithm,
      model_id: byName.get(results.best_algorithm)!.model_id,
      score: byName.get(results.best_algorithm)!.metrics.roc_auc,
    });
    expect(comparison.best_algorithm_name, 'comparison best_algorithm_name is the plain name').toBe(
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
  test.for([
    ['precision', 'isolation_forest'],
    ['recall', 'hbos'],
  ])('ranked by the first evaluation metric (%s)', async ([metric, expectedBest], { helper, client }) => {
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
    const results = await resultsOnceEnded(client, experiment.id);
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
      [comparison.best_algorithm?.algorithm_name, comparison.best_algorithm_name],
      `comparison best_algorithm (object and plain name) must be the top of the ${metric} ranking`,
    ).toEqual([expectedBest, expectedBest]);
  });

  // Upstream's end-to-end test asks for these two; they are computed under cross-validation.
  test('average_precision and matthews_corrcoef: computed when asked, ranked by, absent when not asked', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    // 5% anomalies: flagging 5% fits them (high MCC), flagging 45% cannot (MCC far lower).
    const algorithms = [
      { name: 'hbos', parameters: { contamination: 0.45 } },
      { name: 'isolation_forest', parameters: { contamination: 0.05 } },
    ];
    const run = async (metrics: string[]) => {
      const experiment = await helper.createExperiment(dataset.id, algorithms, { metrics, folds: 3 });
      expectStatus(await client.post(`/api/experiments/${experiment.id}/run`), 202, 'run answers 202');
      const results = await resultsOnceEnded(client, experiment.id);
      expect(results.status, 'the experiment must complete').toBe('completed');
      return { experiment, results };
    };
    const asked = await run(['matthews_corrcoef', 'average_precision']);
    const metricsOf = (r: { algorithm_results: AlgorithmResult[] }, name: string) =>
      r.algorithm_results.find((x) => x.algorithm_name === name)!.metrics;
    for (const { name } of algorithms) {
      const m = metricsOf(asked.results, name);
      expect(m.matthews_corrcoef, `${name}: matthews_corrcoef in [-1, 1]`).toBeGreaterThanOrEqual(-1);
      expect(m.matthews_corrcoef).toBeLessThanOrEqual(1);
      expect(m.average_precision, `${name}: average_precision in [0, 1]`).toBeGreaterThanOrEqual(0);
      expect(m.average_precision).toBeLessThanOrEqual(1);
    }
    expect(
      metricsOf(asked.results, 'isolation_forest').matthews_corrcoef,
      'flagging the 5% that are anomalies must correlate better than flagging 45%',
    ).toBeGreaterThan(metricsOf(asked.results, 'hbos').matthews_corrcoef + 0.2);
    const comparison = await client.data(
      'GET',
      `/api/experiments/${asked.experiment.id}/comparison`,
      { expected: 200 },
      'comparison',
    );
    expect(
      [comparison.ranking_metric, comparison.best_algorithm_name],
      'ranked by the first asked metric, matthews_corrcoef',
    ).toEqual(['matthews_corrcoef', 'isolation_forest']);

    const plain = await run(['roc_auc']);
    expect(
      Object.keys(metricsOf(plain.results, 'hbos')).filter(
        (k) => k === 'average_precision' || k === 'matthews_corrcoef',
      ),
      'an experiment that does not ask for them keeps its metric keys',
    ).toEqual([]);
  });

  test('an experiment on an unknown dataset or with an unknown algorithm is refused', async ({
    helper,
    client,
  }) => {
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

  test('create echoes algorithm_configurations and evaluation_metrics; GET by id; PUT metadata replaces it', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const algorithms = [
      { name: 'isolation_forest', parameters: { contamination: 0.05, n_estimators: 50 } },
      { name: 'zscore', parameters: { contamination: 0.05 } },
      { name: 'hbos', parameters: { contamination: 0.05, n_bins: 12 } },
    ];
    const metrics = ['f1_score', 'roc_auc', 'precision'];
    const experiment = (await helper.createExperiment(dataset.id, algorithms, { metrics })) as unknown as {
      id: string;
      algorithm_configurations: { algorithm_name: string; name: string; parameters: object }[];
      evaluation_metrics: string[];
      metadata: object;
    };
    const neighbour = await helper.createExperiment(dataset.id, [{ name: 'zscore' }]);
    expect(
      experiment.algorithm_configurations?.map((c) => [c.algorithm_name, c.name]),
      'create echoes one algorithm configuration per algorithm, in the order given',
    ).toEqual(algorithms.map((a) => [a.name, a.name]));
    for (const [i, a] of algorithms.entries())
      expect(
        experiment.algorithm_configurations[i].parameters,
        `the configuration of ${a.name} carries the parameters given`,
      ).toMatchObject(a.parameters);
    expect(experiment.evaluation_metrics, 'create echoes evaluation_metrics at top level').toEqual(metrics);
    expect(experiment.metadata, 'a new experiment has empty metadata').toEqual({});

    const read = await client.data('GET', `/api/experiments/${experiment.id}`, { expected: 200 }, 'GET');
    expect(read, 'GET /api/experiments/{id} answers the experiment as created').toEqual(experiment);

    const first = { owner: 'research', tags: ['a', 'b'], score_floor: 0.8 };
    const put1 = await client.put(`/api/experiments/${experiment.id}/metadata`, { metadata: first });
    expectStatus(put1, 200, 'PUT …/metadata answers 200');
    expect(put1.body.data.metadata, 'PUT answers the experiment with its new metadata').toEqual(first);
    expect(await db.experimentMetadata(experiment.id), 'the metadata must be stored').toEqual(first);
    const second = { owner: 'ops' };
    const put2 = await client.put(`/api/experiments/${experiment.id}/metadata`, { metadata: second });
    expectStatus(put2, 200, 'a second PUT …/metadata answers 200');
    expect(
      await db.experimentMetadata(experiment.id),
      'PUT replaces the metadata object (keys not sent are gone), it does not merge',
    ).toEqual(second);
    expect(
      { ...put2.body.data, metadata: undefined },
      'PUT …/metadata changes nothing but the metadata',
    ).toEqual({ ...experiment, metadata: undefined });
    expect(await db.experimentMetadata(neighbour.id), 'another experiment’s metadata stays empty').toEqual(
      {},
    );
    const history = await client.data('GET', `/api/experiments/${experiment.id}/history`, {}, 'history');
    expect(
      history.events.filter((e: { event_type: string }) => e.event_type === 'metadata_updated').length,
      'each metadata change is a metadata_updated history event',
    ).toBe(2);

    for (const [what, body] of [
      ['no metadata', {}],
      ['metadata that is not an object', { metadata: 'x' }],
      ['metadata that is a list', { metadata: [1] }],
    ] as const) {
      const res = await client.put(`/api/experiments/${experiment.id}/metadata`, body);
      expectError(res, 422, 'VALIDATION_ERROR', `PUT …/metadata with ${what}`);
    }
    expect(await db.experimentMetadata(experiment.id), 'refused PUTs leave the metadata').toEqual(second);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(
      await client.get(`/api/experiments/${unknown}`),
      404,
      'NOT_FOUND',
      'GET of an unknown experiment',
    );
    expectError(
      await client.put(`/api/experiments/${unknown}/metadata`, { metadata: {} }),
      404,
      'NOT_FOUND',
      'PUT …/metadata of an unknown experiment',
    );
  });

  test('export answers a data: download_url holding the results as JSON, CSV or a research report', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const experiment = await helper.createExperiment(dataset.id, [
      { name: 'zscore', parameters: { contamination: 0.05 } },
      { name: 'hbos', parameters: { contamination: 0.05 } },
    ]);
    expectStatus(await client.post(`/api/experiments/${experiment.id}/run`), 202, 'run answers 202');
    await expect
      .poll(
        async () =>
          (await client.data('GET', `/api/experiments/${experiment.id}`, { expected: 200 }, 'GET experiment'))
            .status,
        { timeout: 90_000, interval: 250, message: 'experiment completion' },
      )
      .toMatch(/^(completed|failed)$/);
    const results = await client.data('GET', `/api/experiments/${experiment.id}/results`, {}, 'results');
    expect(results.status, 'the experiment must complete').toBe('completed');
    const comparison = await client.data('GET', `/api/experiments/${experiment.id}/comparison`, {}, 'cmp');
    const best = results.algorithm_results.find(
      (r: AlgorithmResult) => r.algorithm_name === results.best_algorithm,
    ) as AlgorithmResult;
    expect(
      comparison.best_algorithm,
      'comparison best_algorithm: the best result’s name, the model its run trained and its score',
    ).toEqual({ algorithm_name: best.algorithm_name, model_id: best.model_id, score: best.metrics.roc_auc });

    const decode = (url: string, type: string) => {
      const prefix = `data:${type};base64,`;
      expect(url.startsWith(prefix), `download_url must be a ${prefix}… URL`).toBe(true);
      return Buffer.from(url.slice(prefix.length), 'base64');
    };
    const exportAs = async (body: Record<string, unknown>) => {
      const res = await client.post(`/api/experiments/${experiment.id}/export`, body);
      expectStatus(res, 200, `export ${JSON.stringify(body)} answers 200`);
      return res.body.data;
    };

    const json = await exportAs({ format: 'json', include_models: true });
    const jsonBytes = decode(json.download_url, 'application/json');
    expect(
      { ...json, download_url: undefined, exported_at: undefined },
      'the JSON export answer names the experiment, format, content type, models flag and size',
    ).toEqual({
      experiment_id: experiment.id,
      format: 'json',
      content_type: 'application/json',
      include_models: true,
      size_bytes: jsonBytes.length,
      download_url: undefined,
      exported_at: undefined,
    });
    const document = JSON.parse(jsonBytes.toString('utf8'));
    expect(
      {
        experiment: document.experiment?.id,
        best: document.best_algorithm,
        results: document.algorithm_results?.map((r: AlgorithmResult & { model?: { id: string } }) => ({
          algorithm_name: r.algorithm_name,
          metrics: r.metrics,
          model_id: r.model_id,
          model: r.model?.id,
        })),
      },
      'the JSON document holds the experiment, its best algorithm and every result with its model',
    ).toEqual({
      experiment: experiment.id,
      best: results.best_algorithm,
      results: results.algorithm_results.map((r: AlgorithmResult) => ({
        algorithm_name: r.algorithm_name,
        metrics: r.metrics,
        model_id: r.model_id,
        model: r.model_id,
      })),
    });
    const plain = JSON.parse(decode((await exportAs({})).download_url, 'application/json').toString('utf8'));
    expect(
      plain.algorithm_results.map((r: { model?: unknown }) => r.model),
      'the default export is JSON without the models',
    ).toEqual(results.algorithm_results.map(() => undefined));

    const csv = await exportAs({ format: 'csv' });
    const lines = decode(csv.download_url, 'text/csv').toString('utf8').trim().split('\n');
    expect(csv.format, 'the CSV export says its format').toBe('csv');
    expect(lines[0].split(',').slice(0, 2), 'the CSV header starts algorithm_name,model_id').toEqual([
      'algorithm_name',
      'model_id',
    ]);
    expect(
      lines.slice(1).map((l) => l.split(',').slice(0, 2)),
      'one CSV row per algorithm result with its model id',
    ).toEqual(results.algorithm_results.map((r: AlgorithmResult) => [r.algorithm_name, r.model_id]));

    const report = await exportAs({ format: 'research_report', include_models: true });
    const text = decode(report.download_url, 'text/markdown').toString('utf8');
    expect(report.format, 'the report export says its format').toBe('research_report');
    expect(text, 'the report names the best algorithm').toContain(
      `best algorithm: ${results.best_algorithm}`,
    );

    expectError(
      await client.post(`/api/experiments/${experiment.id}/export`, { format: 'pdf' }),
      422,
      'VALIDATION_ERROR',
      'export in an unknown format',
    );
    expectError(
      await client.post('/api/experiments/00000000-0000-4000-8000-000000000000/export', {}),
      404,
      'NOT_FOUND',
      'export of an unknown experiment',
    );
  });
});
