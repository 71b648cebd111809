/**
 * api-workflows / AutoML to completion.
 *
 * Faults this file catches:
 * - an AutoML job not starting, never completing within its budget, or exceeding max_trials
 * - progress that is not 0..100 or not 100 at the end
 * - best_score / best_model not the trial with the best score in trial_results (checked by
 *   faults/catalog/api-workflows.ts: api-automl-picks-last-trial); model_comparison wrong;
 *   trials of algorithms not asked for; start not answering 201, an unknown dataset not 404
 * - a job lost when the client that started it goes away (it runs in the background)
 * - optimization_metric other than roc_auc refused, or the best trial not chosen by it
 *   (api-automl-metric-ignored); a new job not `created`/`running` (api-automl-new-job-pending)
 * - results without feature_importance of the best model (api-automl-feature-importance-unnormalised)
 * - deploy not making a trained detector that scores with the best model (api-automl-deploy-wrong-model),
 *   deploying an unfinished job or twice not 409, an unknown job not 404
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { type ApiClient, expectError, expectStatus } from '../fixtures/http-client.ts';
import { breastCancerAnomalies } from '../fixtures/real-data.ts';
import { toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

const ALGORITHMS = ['isolation_forest', 'zscore', 'hbos'];

interface Trial {
  trial: number;
  algorithm: string;
  parameters: Record<string, unknown>;
  score: number;
}

const METRICS = ['roc_auc', 'f1_score', 'precision', 'recall', 'average_precision'] as const;

/** |Pearson correlation| of each feature with the scores, normalised to sum 1 (the README's definition). */
function importanceOf(features: readonly string[], rows: Record<string, number>[], scores: number[]) {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const ms = mean(scores);
  const raw = features.map((f) => {
    const col = rows.map((r) => r[f]);
    const mc = mean(col);
    let cov = 0;
    let vc = 0;
    let vs = 0;
    col.forEach((c, i) => {
      cov += (c - mc) * (scores[i] - ms);
      vc += (c - mc) ** 2;
      vs += (scores[i] - ms) ** 2;
    });
    return vc > 0 && vs > 0 ? Math.abs(cov / Math.sqrt(vc * vs)) : 0;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  return Object.fromEntries(features.map((f, j) => [f, raw[j] / total]));
}

describe('AutoML', { tags: ['api', 'integration', 'workflows', 'slow'] }, () => {
  const db = useServiceDatabase();

  /** Starts a job (201) and waits for it to end; returns its start answer, final status and results. */
  async function runJob(client: ApiClient, body: Record<string, unknown>) {
    const res = await client.post('/api/autonomous/automl/start', body);
    expectStatus(res, 201, 'starting an AutoML job answers 201');
    const status = await vi.waitFor(
      async () => {
        const s = await client.data(
          'GET',
          `/api/autonomous/automl/${res.body.data.id}/status`,
          { expected: 200 },
          'status',
        );
        expect(s.status, 'AutoML job completion').toMatch(/^(completed|failed)$/);
        return s;
      },
      { timeout: 90_000, interval: 250 },
    );
    expect(status.status, 'the AutoML job must complete').toBe('completed');
    const results = await client.data(
      'GET',
      `/api/autonomous/automl/${res.body.data.id}/results`,
      { expected: 200 },
      'results',
    );
    return { started: res.body.data, status, results };
  }

  test('a job runs in the background to completion within its budget', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    // Start it and drop the connection at once: the job must not depend on the client.
    const started = await helper.startAutoml(dataset.id, ALGORITHMS, 6, { connection: 'close' });
    expect(['created', 'running'], 'a started job reports created or running').toContain(started.status);

    const seenProgress: number[] = [];
    const status = await vi.waitFor(
      async () => {
        const s = await client.data(
          'GET',
          `/api/autonomous/automl/${started.id}/status`,
          {},
          'AutoML status',
        );
        seenProgress.push(s.progress_percentage);
        expect(s.status, 'AutoML job completion (budget 1 minute)').toMatch(/^(completed|failed)$/);
        return s;
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(status.status, 'the AutoML job must complete, not fail').toBe('completed');
    expect(status.progress_percentage, 'a completed job is at 100%').toBe(100);
    for (const p of seenProgress) {
      expect(p, 'progress must stay within 0..100').toBeGreaterThanOrEqual(0);
      expect(p, 'progress must stay within 0..100').toBeLessThanOrEqual(100);
    }
    expect(status.current_trial, 'no more trials than max_trials').toBeLessThanOrEqual(6);

    const results = await client.data(
      'GET',
      `/api/autonomous/automl/${started.id}/results`,
      {},
      'AutoML results',
    );
    expect(results.trial_results.length, 'at least one trial ran').toBeGreaterThanOrEqual(1);
    expect(results.trial_results.length, 'no more trials than max_trials (6)').toBeLessThanOrEqual(6);
    const trials: Trial[] = results.trial_results;
    const scores = trials.map((t) => t.score);
    for (const trial of trials)
      expect(ALGORITHMS, 'every trial uses one of the algorithms asked for').toContain(trial.algorithm);
    // roc_auc: higher is better; on a tie the earlier trial stays best.
    const bestTrial = trials.reduce((best, t) => (t.score > best.score ? t : best));
    expect(
      {
        trial: results.best_model.trial,
        algorithm: results.best_model.algorithm,
        parameters: results.best_model.parameters,
        score: results.best_model.score,
      },
      `best_model must be the trial with the highest roc_auc in trial_results (trial ${bestTrial.trial})`,
    ).toEqual({
      trial: bestTrial.trial,
      algorithm: bestTrial.algorithm,
      parameters: bestTrial.parameters,
      score: bestTrial.score,
    });
    expect(status.best_score, 'best_score must be the best trial score').toBe(Math.max(...scores));
    const model = await client.data(
      'GET',
      `/api/models/${results.best_model.model_id}`,
      { expected: 200 },
      'the best model of an AutoML job must be readable',
    );
    expect(model.algorithm, 'the stored best model must be of the best trial').toBe(bestTrial.algorithm);
    for (const algorithm of ALGORITHMS) {
      const own = trials.filter((t) => t.algorithm === algorithm);
      const row = results.model_comparison.find((c: { algorithm: string }) => c.algorithm === algorithm);
      expect(
        { trials: row?.trials, best_score: row?.best_score },
        `model_comparison of ${algorithm} must count its trials and keep its best score`,
      ).toEqual({ trials: own.length, best_score: own.length ? Math.max(...own.map((t) => t.score)) : null });
    }
    expect(
      status.best_score,
      'the best model must separate the seeded anomalies (roc_auc ≥ 0.9)',
    ).toBeGreaterThanOrEqual(0.9);
    expect(ALGORITHMS, 'best_model must name one of the algorithms').toContain(results.best_model.algorithm);
    expect(results.model_comparison, 'results must carry model_comparison').toBeTruthy();
  });

  // Two jobs of the same two default trials in opposite orders: the best must be the same
  // algorithm in both, so a job that keeps its first or its last trial is caught either way.
  test('best_model is the best trial whatever the order the trials ran in', async ({ helper, client }) => {
    // Real data, the same whatever the run's seed: on the synthetic sample both defaults can
    // reach ROC-AUC 1, and then the order of equal trials decides nothing.
    const table = breastCancerAnomalies();
    const dataset = await helper.uploadCsv(toCsv(table.rows, [...table.features, 'label']), {
      targetColumn: 'label',
    });
    const bests = [];
    for (const algorithms of [
      ['zscore', 'hbos'],
      ['hbos', 'zscore'],
    ]) {
      const started = await helper.startAutoml(dataset.id, algorithms, 2);
      await expect
        .poll(
          async () =>
            (
              await client.data(
                'GET',
                `/api/autonomous/automl/${started.id}/status`,
                { expected: 200 },
                'status',
              )
            ).status,
          { timeout: 90_000, interval: 250, message: 'AutoML job completion' },
        )
        .toMatch(/^(completed|failed)$/);
      const results = await client.data(
        'GET',
        `/api/autonomous/automl/${started.id}/results`,
        { expected: 200 },
        'AutoML results must answer 200',
      );
      const trials: Trial[] = results.trial_results;
      expect(
        trials.map((t) => t.algorithm),
        'the first trials use each asked algorithm in order',
      ).toEqual(algorithms);
      expect(trials[0].score, 'precondition: the two default trials must score differently').not.toBe(
        trials[1].score,
      );
      const best = trials.reduce((b, t) => (t.score > b.score ? t : b));
      expect(
        { algorithm: results.best_model.algorithm, score: results.best_model.score },
        `best_model must be the trial with the highest roc_auc in trial_results (${best.algorithm})`,
      ).toEqual({ algorithm: best.algorithm, score: best.score });
      bests.push(results.best_model.algorithm);
    }
    expect(bests[1], 'best_model must not depend on the order of the trials').toBe(bests[0]);
  });

  test('an AutoML job on an unknown dataset is refused', async ({ client }) => {
    const res = await client.post('/api/autonomous/automl/start', {
      job_name: 'x',
      dataset_id: '00000000-0000-4000-8000-000000000000',
      algorithms: ALGORITHMS,
      optimization_metric: 'roc_auc',
      max_trials: 2,
      max_duration_minutes: 1,
    });
    expectError(res, 404, 'NOT_FOUND', 'AutoML on an unknown dataset must be refused with 404');
  });

  test.for(METRICS)(
    'optimization_metric %s: every trial is scored and the best one chosen by it',
    async (metric, { helper, client }) => {
      const table = breastCancerAnomalies();
      const dataset = await helper.uploadCsv(toCsv(table.rows, [...table.features, 'label']), {
        targetColumn: 'label',
      });
      const { started, status, results } = await runJob(client, {
        job_name: helper.name(`automl-${metric}`),
        dataset_id: dataset.id,
        algorithms: ['zscore', 'hbos'],
        optimization_metric: metric,
        max_trials: 3,
        max_duration_minutes: 1,
      });
      expect(['created', 'running'], 'a new job reports created or running').toContain(started.status);
      expect(started.configuration.optimization_metric, 'the job keeps its optimization metric').toBe(metric);
      expect(results.optimization_metric, 'results name the optimization metric').toBe(metric);
      const trials: (Trial & { metrics: Record<string, number> })[] = results.trial_results;
      expect(trials.length, 'every planned trial ran').toBe(3);
      for (const t of trials) {
        expect(Object.keys(t.metrics).sort(), `trial ${t.trial} reports every optimisable metric`).toEqual(
          [...METRICS].sort(),
        );
        expect(t.score, `trial ${t.trial}'s score is its ${metric}`).toBe(t.metrics[metric]);
      }
      const best = trials.reduce((b, t) => (t.metrics[metric] > b.metrics[metric] ? t : b));
      expect(
        { trial: results.best_model.trial, score: results.best_model.score, best_score: status.best_score },
        `the best trial is the one with the highest ${metric} (trial ${best.trial})`,
      ).toEqual({ trial: best.trial, score: best.metrics[metric], best_score: best.metrics[metric] });
      const model = await client.data('GET', `/api/models/${results.best_model.model_id}`, {}, 'best model');
      expect(model.metrics[metric], `the stored best model carries its ${metric}`).toBe(best.metrics[metric]);
    },
  );

  test('an unknown optimization_metric is refused with 422', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const res = await client.post('/api/autonomous/automl/start', {
      job_name: helper.name('automl-bad-metric'),
      dataset_id: dataset.id,
      algorithms: ['zscore'],
      optimization_metric: 'matthews_corrcoef',
      max_trials: 1,
      max_duration_minutes: 1,
    });
    expectError(res, 422, 'VALIDATION_ERROR', 'an unknown optimization_metric');
  });

  test('deploy makes a trained detector scoring with the best model; feature_importance is of that model', async ({
    helper,
    client,
  }) => {
    const table = breastCancerAnomalies();
    const dataset = await helper.uploadCsv(toCsv(table.rows, [...table.features, 'label']), {
      targetColumn: 'label',
    });
    const { started, results } = await runJob(client, {
      job_name: helper.name('automl-deploy'),
      dataset_id: dataset.id,
      algorithms: ['zscore', 'hbos'],
      optimization_metric: 'average_precision',
      max_trials: 2,
      max_duration_minutes: 1,
    });
    const importance: Record<string, number> = results.feature_importance;
    expect(Object.keys(importance).sort(), 'feature_importance has one entry per feature').toEqual(
      [...table.features].sort(),
    );
    expect(
      Object.values(importance).reduce((a, b) => a + b, 0),
      'feature importances sum to 1',
    ).toBeCloseTo(1, 9);

    // An unfinished job cannot be deployed: a long one, deployed at once, then cancelled.
    const long = await client.data(
      'POST',
      '/api/autonomous/automl/start',
      {
        json: {
          job_name: helper.name('automl-long'),
          dataset_id: dataset.id,
          algorithms: ['isolation_forest'],
          max_trials: 200,
          max_duration_minutes: 5,
        },
        expected: 201,
      },
      'start a long job',
    );
    expectError(
      await client.post(`/api/autonomous/automl/${long.id}/deploy`, {}),
      409,
      'CONFLICT',
      'deploying an unfinished AutoML job',
    );
    expectStatus(await client.post(`/api/autonomous/automl/${long.id}/cancel`), 200, 'cancel the long job');
    expectError(
      await client.post(`/api/autonomous/automl/${long.id}/deploy`, {}),
      409,
      'CONFLICT',
      'deploying a cancelled AutoML job',
    );

    const name = helper.name('automl-best');
    const res = await client.post(`/api/autonomous/automl/${started.id}/deploy`, {
      model_name: name,
      version: '1.0.0',
      description: 'Best model from AutoML',
      deployment_target: 'production',
    });
    expectStatus(res, 201, 'deploying a completed AutoML job creates a detector: 201');
    const deployment = res.body.data;
    helper.track('detector', deployment.detector_id);
    expect(
      { ...deployment, detector_id: undefined, deployed_at: undefined },
      'the deployment names the job, the model, the new detector and echoes name, version and target',
    ).toEqual({
      job_id: started.id,
      status: 'deployed',
      model_name: name,
      version: '1.0.0',
      deployment_target: 'production',
      model_id: results.best_model.model_id,
      detector_id: undefined,
      algorithm: results.best_model.algorithm,
      feature_columns: table.features,
      deployed_at: undefined,
    });
    expect(deployment.detector_id, 'the deployment names its detector by UUID').toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(
      await db.deployedDetector(deployment.detector_id),
      'the stored detector is trained on the best model, with its features and the job’s dataset',
    ).toEqual({
      name,
      algorithm: results.best_model.algorithm,
      status: 'trained',
      model_id: results.best_model.model_id,
      feature_columns: table.features,
      dataset_id: dataset.id,
    });
    expect(
      (await db.model(results.best_model.model_id))?.detector_id,
      'the best model is bound to the deployed detector',
    ).toBe(deployment.detector_id);

    const predictions = await helper.predict(
      deployment.detector_id,
      table.rows.map((r) => Object.fromEntries(table.features.map((f) => [f, r[f]]))),
    );
    const expected = importanceOf(
      table.features,
      table.rows,
      predictions.map((p) => p.anomaly_score),
    );
    for (const f of table.features)
      expect(importance[f], `feature_importance.${f} = |corr(${f}, best model score)| / sum`).toBeCloseTo(
        expected[f],
        9,
      );

    expectError(
      await client.post(`/api/autonomous/automl/${started.id}/deploy`, { model_name: helper.name('again') }),
      409,
      'CONFLICT',
      'deploying the same job twice',
    );
    expect(
      (await db.model(results.best_model.model_id))?.detector_id,
      'a refused second deploy leaves the model bound to the first detector',
    ).toBe(deployment.detector_id);
    expectError(
      await client.post('/api/autonomous/automl/00000000-0000-4000-8000-000000000000/deploy', {}),
      404,
      'NOT_FOUND',
      'deploying an unknown AutoML job',
    );
  });
});
