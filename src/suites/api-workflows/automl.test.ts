/**
 * api-workflows / AutoML to completion.
 *
 * Faults this file catches:
 * - an AutoML job not starting, never completing within its budget, or exceeding max_trials
 * - progress that is not 0..100 or not 100 at the end
 * - best_score not the best of the trials; best_model missing; trials of algorithms not asked for
 * - a job lost when the client that started it goes away (it runs in the background)
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { pollUntil } from '../fixtures/poll.ts';

const ALGORITHMS = ['isolation_forest', 'zscore', 'hbos'];

describe('AutoML', { tags: ['api', 'integration', 'workflows', 'slow'] }, () => {
  const it = useIntegrationHelper();

  test('a job runs in the background to completion within its budget', async () => {
    const { helper, client } = it;
    const dataset = await helper.uploadSampleDataset();
    // Start it and drop the connection at once: the job must not depend on the client.
    const started = await client.data(
      'POST',
      '/api/autonomous/automl/start',
      {
        json: {
          job_name: helper.name('automl'),
          dataset_id: dataset.id,
          algorithms: ALGORITHMS,
          optimization_metric: 'roc_auc',
          max_trials: 6,
          max_duration_minutes: 1,
        },
        headers: { connection: 'close' },
      },
      'starting an AutoML job must succeed',
    );
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
    const scores = results.trial_results.map((t: { score: number }) => t.score);
    for (const trial of results.trial_results)
      expect(ALGORITHMS, 'every trial uses one of the algorithms asked for').toContain(trial.algorithm);
    expect(status.best_score, 'best_score must be the best trial score').toBe(Math.max(...scores));
    expect(
      status.best_score,
      'the best model must separate the seeded anomalies (roc_auc ≥ 0.9)',
    ).toBeGreaterThanOrEqual(0.9);
    expect(ALGORITHMS, 'best_model must name one of the algorithms').toContain(results.best_model.algorithm);
    expect(results.model_comparison, 'results must carry model_comparison').toBeTruthy();
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
    expectStatus(res, [404, 422], 'AutoML on an unknown dataset must be refused');
    const status = await client.get('/api/autonomous/automl/00000000-0000-4000-8000-000000000000/status');
    expectStatus(status, 404, 'the status of an unknown job must be 404');
  });
});
