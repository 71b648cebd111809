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
 */
import { describe, expect, test } from 'vitest';
import { expectError } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { pollUntil } from '../fixtures/poll.ts';

const ALGORITHMS = ['isolation_forest', 'zscore', 'hbos'];

interface Trial {
  trial: number;
  algorithm: string;
  parameters: Record<string, unknown>;
  score: number;
}

describe('AutoML', { tags: ['api', 'integration', 'workflows', 'slow'] }, () => {
  const it = useIntegrationHelper();

  test('a job runs in the background to completion within its budget', async () => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    // Start it and drop the connection at once: the job must not depend on the client.
    const started = await helper.startAutoml(dataset.id, ALGORITHMS, 6, { connection: 'close' });
    expect(['pending', 'queued', 'running', 'completed'], 'a started job reports pending/running').toContain(
      started.status,
    );

    const seenProgress: number[] = [];
    const status = await pollUntil(
      async () => {
        const s = await client.data(
          'GET',
          `/api/autonomous/automl/${started.id}/status`,
          {},
          'AutoML status',
        );
        seenProgress.push(s.progress_percentage);
        return s;
      },
      (s) => s.status === 'completed' || s.status === 'failed',
      'AutoML job completion (budget 1 minute)',
      90_000,
      500,
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
  test('best_model is the best trial whatever the order the trials ran in', async () => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    const bests = [];
    for (const algorithms of [
      ['zscore', 'hbos'],
      ['hbos', 'zscore'],
    ]) {
      const started = await helper.startAutoml(dataset.id, algorithms, 2);
      await pollUntil(
        () => client.data('GET', `/api/autonomous/automl/${started.id}/status`, { expected: 200 }, 'status'),
        (s) => s.status === 'completed' || s.status === 'failed',
        'AutoML job completion',
        90_000,
        250,
      );
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

  test('an AutoML job on an unknown dataset is refused', async () => {
    const { client } = it;
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
});
