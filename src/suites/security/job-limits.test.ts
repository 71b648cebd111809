/**
 * security / one user's AutoML jobs and experiments cannot hog the service: jobs are capped
 * per user, and both can be cancelled.
 *
 * Faults this file catches:
 * - cancel answering without stopping the job (it keeps running trials), or un-cancelled by a
 *   later progress write
 * - cancelling a finished job, or someone else's job (404, and the job unchanged)
 * - no cap on one user's unfinished jobs, or one cap shared by every user
 * - an experiment that keeps running its algorithms after cancel, or is marked completed later
 */
import { describe, expect, inject } from 'vitest';
import { type ApiClient, expectError, unwrap } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { createUser, type TestUser } from './users.ts';

interface Job {
  id: string;
  status: string;
  current_trial: number;
}

const DEFAULT_JOB_CAP = 4;
/** Every algorithm once (an experiment names each at most once), the slowest first. */
const SLOW_ALGORITHMS = [
  'local_outlier_factor',
  'ensemble',
  'elliptic_envelope',
  'isolation_forest',
  'hbos',
  'ecod',
  'zscore',
];

/** A job that would run for minutes unless cancelled. */
async function startLongJob(user: TestUser, datasetId: string): Promise<Job> {
  const res = await user.client.post('/api/autonomous/automl/start', {
    job_name: user.helper.name('long-automl'),
    dataset_id: datasetId,
    algorithms: ['isolation_forest', 'local_outlier_factor'],
    max_trials: 200,
    max_duration_minutes: 10,
  });
  return unwrap<Job>(res, 201, 'starting an AutoML job must answer 201');
}

async function startShortJob(user: TestUser, datasetId: string): Promise<Job> {
  const res = await user.client.post('/api/autonomous/automl/start', {
    job_name: user.helper.name('short-automl'),
    dataset_id: datasetId,
    algorithms: ['zscore'],
    max_trials: 1,
    max_duration_minutes: 1,
  });
  return unwrap<Job>(res, 201, 'starting an AutoML job must answer 201');
}

const status = (client: ApiClient, id: string): Promise<Job> =>
  client.data('GET', `/api/autonomous/automl/${id}/status`, {}, 'the owner reads the job status');

const cancel = (client: ApiClient, id: string) => client.post(`/api/autonomous/automl/${id}/cancel`, {});

if (inject('stack').authEnabled) {
  describe('AutoML job limits', { tags: ['security', 'api', 'slow'] }, () => {
    test('a cancelled job stops and stays cancelled; finished or foreign jobs cannot be cancelled', async ({
      client,
    }) => {
      const owner = await createUser(client);
      const intruder = await createUser(client);
      const dataset = await owner.helper.uploadSampleDataset();
      const long = await startLongJob(owner, dataset.id);

      expectError(await cancel(intruder.client, long.id), 404, 'NOT_FOUND', "cancelling another user's job");
      expect(
        (await status(owner.client, long.id)).status,
        "another user's cancel must not touch the job",
      ).not.toBe('cancelled');

      const cancelled = unwrap<Job>(await cancel(owner.client, long.id), 200, 'cancelling an unfinished job');
      expect(cancelled.status, 'cancel must answer the job with status "cancelled"').toBe('cancelled');

      // Barrier: one user's jobs run one after another, so when a job started after the cancel
      // completes, the cancelled job has stopped. It must not have been revived meanwhile.
      const short = await startShortJob(owner, dataset.id);
      await expect
        .poll(async () => (await status(owner.client, short.id)).status, {
          timeout: 90_000,
          interval: 250,
          message: 'the job started after the cancel must complete (the cancelled one must have stopped)',
        })
        .toBe('completed');
      const stopped = await status(owner.client, long.id);
      expect(stopped.status, 'a cancelled job must stay cancelled').toBe('cancelled');
      expect(stopped.current_trial, 'a cancelled job must stop long before its 200 trials').toBeLessThan(200);
      const again = await status(owner.client, long.id);
      expect(again.current_trial, 'a cancelled job must run no further trial').toBe(stopped.current_trial);

      expectError(await cancel(owner.client, long.id), 409, 'CONFLICT', 'cancelling a cancelled job');
      expectError(await cancel(owner.client, short.id), 409, 'CONFLICT', 'cancelling a completed job');
    });

    test('a cancelled experiment stops before its next algorithm and stays cancelled', async ({ client }) => {
      const owner = await createUser(client);
      const intruder = await createUser(client);
      const dataset = await owner.helper.uploadSampleDataset();
      const slow = await owner.helper.createExperiment(
        dataset.id,
        SLOW_ALGORITHMS.map((name) => ({ name, parameters: {} })),
        { folds: 5 },
      );
      const results = (id: string) =>
        owner.client.data('GET', `/api/experiments/${id}/results`, {}, 'the owner reads the results');
      unwrap(await owner.client.post(`/api/experiments/${slow.id}/run`, {}), 202, 'running an experiment');
      const cancelPath = `/api/experiments/${slow.id}/cancel`;
      expectError(
        await intruder.client.post(cancelPath, {}),
        404,
        'NOT_FOUND',
        "cancelling another user's experiment",
      );
      const cancelled = unwrap<{ status: string }>(
        await owner.client.post(cancelPath, {}),
        200,
        'cancelling a running experiment',
      );
      expect(cancelled.status, 'cancel must answer the experiment with status "cancelled"').toBe('cancelled');

      // Barrier: one user's experiments run one after another; when the next one completes,
      // the cancelled one has stopped.
      const quick = await owner.helper.createExperiment(dataset.id, [{ name: 'zscore' }]);
      unwrap(await owner.client.post(`/api/experiments/${quick.id}/run`, {}), 202, 'running an experiment');
      await expect
        .poll(async () => (await results(quick.id)).status, {
          timeout: 120_000,
          interval: 250,
          message: 'the experiment run after the cancel must complete (the cancelled one must have stopped)',
        })
        .toBe('completed');
      const stopped = await results(slow.id);
      expect(stopped.status, 'a cancelled experiment must stay cancelled').toBe('cancelled');
      expect(
        stopped.algorithm_results.length,
        `a cancelled experiment must not run all of its ${SLOW_ALGORITHMS.length} algorithms`,
      ).toBeLessThan(SLOW_ALGORITHMS.length);
      const history = await owner.client.data('GET', `/api/experiments/${slow.id}/history`, {}, 'history');
      expect(
        history.events.map((e: { event_type: string }) => e.event_type),
        'the history must record the cancellation',
      ).toContain('experiment_cancelled');
      expectError(
        await owner.client.post(cancelPath, {}),
        409,
        'CONFLICT',
        'cancelling a cancelled experiment',
      );
    });

    test("one user's unfinished jobs are capped; another user is not affected", async ({ client }) => {
      const stack = inject('stack');
      const cap = Number(stack.serviceEnv.PYNOMALY_MAX_AUTOML_JOBS_PER_USER ?? DEFAULT_JOB_CAP);
      const busy = await createUser(client);
      const other = await createUser(client);
      const dataset = await busy.helper.uploadSampleDataset();
      const jobs: Job[] = [];
      try {
        for (let i = 0; i < cap; i++) jobs.push(await startLongJob(busy, dataset.id));
        const over = await busy.client.post('/api/autonomous/automl/start', {
          job_name: busy.helper.name('over-cap'),
          dataset_id: dataset.id,
          algorithms: ['zscore'],
          max_trials: 1,
          max_duration_minutes: 1,
        });
        expectError(over, 429, 'TOO_MANY_JOBS', `a job past the cap of ${cap} unfinished jobs`);
        expect(over.headers['retry-after'], 'a 429 must say when to try again').toMatch(/^\d+$/);

        const otherDataset = await other.helper.uploadSampleDataset();
        const otherJob = await startShortJob(other, otherDataset.id);
        await expect
          .poll(async () => (await status(other.client, otherJob.id)).status, {
            timeout: 90_000,
            interval: 250,
            message: "another user's job must run while the busy user is at the cap",
          })
          .toBe('completed');
      } finally {
        for (const job of jobs) await cancel(busy.client, job.id);
      }
      for (const job of jobs)
        expect((await status(busy.client, job.id)).status, 'every capped job must end cancelled').toBe(
          'cancelled',
        );
    });
  });
}
