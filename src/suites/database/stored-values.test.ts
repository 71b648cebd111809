/**
 * database / what a create sent is what the row holds, column by column; timestamps are the
 * server's; counters are exact.
 *
 * Faults this file catches:
 * - a column written with another value than the request sent (feature order, parameters, tags,
 *   configuration) or not at all
 *   (checked by faults/catalog/database.ts: db-detector-feature-columns-reordered)
 * - a row owned by someone else than the caller
 *   (checked by faults/catalog/database.ts: db-experiment-owner-anonymous, with auth)
 * - timestamps not set by the server, or updated_at before created_at
 * - streaming counters off by any amount: points, anomalies or failed points counted wrong
 *   (checked by faults/catalog/database.ts: db-session-anomalies-count-points, db-session-failed-counted-twice)
 * - AutoML job rows not holding the trials and best score the API answers
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { caller } from './caller.ts';

describe('stored values', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  /** A server timestamp of a write made between `from` and `to` (the database's clock). */
  function expectWithin(value: unknown, from: Date, to: Date, what: string) {
    expect(value, `${what} must be a timestamp set by the server`).toBeInstanceOf(Date);
    const t = (value as Date).getTime();
    expect(t >= from.getTime() && t <= to.getTime(), `${what} must be the time of the write`).toBe(true);
  }

  test('an upload stores what was sent', async ({ helper, client }) => {
    const me = await caller(helper);
    const csv = toCsv(sampleDataset(21, 120));
    const name = helper.name('stored');
    const from = await db.now();
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: 'stored.csv', content: csv },
      { name, description: 'every column checked', target_column: 'label', tags: 'alpha,beta' },
    );
    const to = await db.now();
    expectStatus(res, 201, 'an upload must answer 201');
    const dataset = res.body.data;
    helper.track('dataset', dataset.id);
    const row = await db.datasetRow(dataset.id);
    expect(row, 'the dataset row must hold exactly what was uploaded').toEqual({
      id: dataset.id,
      owner_id: me.id,
      name,
      description: 'every column checked',
      tags: ['alpha', 'beta'],
      file_name: 'stored.csv',
      size_bytes: Buffer.byteLength(csv),
      target_column: 'label',
      columns: ['feature1', 'feature2', 'feature3', 'label', 'timestamp'],
      row_count: 120,
      status: 'uploaded',
      created_at: row!.created_at,
      updated_at: row!.updated_at,
    });
    expectWithin(row!.created_at, from, to, 'created_at of an upload');
    expect(row!.updated_at, 'a new dataset must have updated_at = created_at').toEqual(row!.created_at);
    expect(dataset.created_at, 'the answer must show the stored created_at').toBe(
      (row!.created_at as Date).toISOString(),
    );
  });

  test('a detector and its trained model store what was sent', async ({ helper, client }) => {
    const me = await caller(helper);
    const dataset = await helper.uploadCsv(toCsv(sampleDataset(22, 200)), { targetColumn: 'label' });
    const name = helper.name('stored-detector');
    const featureColumns = ['feature3', 'feature1'];
    const from = await db.now();
    const detector = await client.data(
      'POST',
      '/api/detectors/create',
      {
        query: { dataset_id: dataset.id },
        json: {
          name,
          description: 'stored as sent',
          algorithm: 'isolation_forest',
          parameters: { contamination: 0.06, n_estimators: 25 },
          feature_columns: featureColumns,
        },
      },
      'creating a detector',
    );
    const to = await db.now();
    helper.track('detector', detector.id);
    const row = await db.detectorRow(detector.id);
    expect(row, 'the detector row must hold exactly what was sent').toEqual({
      id: detector.id,
      owner_id: me.id,
      dataset_id: dataset.id,
      name,
      description: 'stored as sent',
      algorithm: 'isolation_forest',
      parameters: detector.parameters,
      feature_columns: featureColumns,
      status: 'created',
      current_model_id: null,
      created_at: row!.created_at,
      updated_at: row!.updated_at,
    });
    expect(detector.feature_columns, 'the answer must show the feature columns in the order sent').toEqual(
      featureColumns,
    );
    expect(row!.parameters, 'the stored parameters must hold the parameters sent').toMatchObject({
      contamination: 0.06,
      n_estimators: 25,
    });
    expectWithin(row!.created_at, from, to, 'created_at of a detector');

    const training = await helper.train(detector.id);
    const trained = await db.detectorRow(detector.id);
    expect(trained, 'training must set status and model and nothing else').toEqual({
      ...row,
      status: 'trained',
      current_model_id: training.model_id,
      updated_at: trained!.updated_at,
    });
    expect(
      (trained!.updated_at as Date) > (trained!.created_at as Date),
      'training must move updated_at past created_at',
    ).toBe(true);
    const model = await db.modelRow(training.model_id);
    expect(model, 'the model row must hold the detector, its parameters and the metrics answered').toEqual({
      id: training.model_id,
      owner_id: me.id,
      detector_id: detector.id,
      version: 1,
      algorithm: 'isolation_forest',
      parameters: row!.parameters,
      metrics: training.metrics,
      feature_columns: featureColumns,
      status: 'trained',
      stage: 'none',
      training_time: training.training_time,
      created_at: model!.created_at,
    });
    expectWithin(model!.created_at, trained!.created_at as Date, await db.now(), 'created_at of a model');
  });

  test('an experiment stores its configuration and owner', async ({ helper }) => {
    const me = await caller(helper);
    const dataset = await helper.uploadCsv(toCsv(sampleDataset(23, 200)), { targetColumn: 'label' });
    const name = helper.name('stored-experiment');
    const experiment = await helper.createExperiment(
      dataset.id,
      [{ name: 'zscore' }, { name: 'hbos', parameters: { n_bins: 8 } }],
      { name, folds: 3, tags: ['stored', helper.name('tag')] },
    );
    const row = await db.experimentRow(experiment.id);
    expect(row!.owner_id, 'the experiment row must be owned by the caller').toBe(me.id);
    expect(
      { name: row!.name, dataset_id: row!.dataset_id, status: row!.status, best: row!.best_algorithm },
      'the experiment row must hold name, dataset and status created',
    ).toEqual({ name, dataset_id: dataset.id, status: 'created', best: null });
    expect(
      (row!.configuration as { algorithms: unknown }).algorithms,
      'the stored algorithms must be the ones sent, in order, with the parameters sent',
    ).toMatchObject([{ name: 'zscore' }, { name: 'hbos', parameters: { n_bins: 8 } }]);
    expect(
      (row!.configuration as { cross_validation: unknown }).cross_validation,
      'the stored cross-validation must be the one sent',
    ).toEqual({ enabled: true, folds: 3 });
    expect((row!.tags as string[]).length, 'the stored tags must be the ones sent').toBe(2);
    expect(row!.started_at, 'a created experiment has not started').toBeNull();
  });

  test('streaming counters are stored exactly', async ({ helper, client }) => {
    const me = await caller(helper);
    const dataset = await helper.uploadCsv(toCsv(sampleDataset(24, 200)), { targetColumn: 'label' });
    const { detector } = await helper.trainedDetector({ dataset, algorithm: 'zscore' });
    const configuration = { processing_mode: 'real_time', batch_size: 1, max_throughput: 250 };
    const session = await helper.createSession(detector.id, configuration);
    const created = await db.sessionRow(session.id);
    expect(
      {
        owner: created!.owner_id,
        detector: created!.detector_id,
        name: created!.name,
        configuration: created!.configuration,
        status: created!.status,
        counters: [created!.messages_processed, created!.anomalies_detected, created!.failed_messages],
        started: created!.started_at,
      },
      'a new session row must hold what was sent and zero counters',
    ).toEqual({
      owner: me.id,
      detector: detector.id,
      name: session.name,
      configuration: expect.objectContaining(configuration),
      status: 'pending',
      counters: [0, 0, 0],
      started: null,
    });

    await helper.sessionAction(session.id, 'start');
    const normal = [
      { feature1: 0.1, feature2: -0.2, feature3: 0.3 },
      { feature1: -0.4, feature2: 0.1, feature3: 0 },
      { feature1: 0.2, feature2: 0.2, feature3: -0.1 },
    ];
    const scored = [];
    for (const point of normal) scored.push(await helper.processPoint(session.id, point));
    scored.push(await helper.processPoint(session.id, { feature1: 9, feature2: 9, feature3: 9 }));
    const anomalies = scored.filter((s) => s.is_anomaly).length;
    expect(anomalies, 'exactly the far point must be an anomaly').toBe(1);
    expectStatus(
      await client.post(`/api/streaming/sessions/${session.id}/process`, { data: { feature1: 1 } }),
      422,
      'a point missing features must be refused',
    );

    const row = await db.sessionRow(session.id);
    expect(
      {
        messages_processed: row!.messages_processed,
        anomalies_detected: row!.anomalies_detected,
        failed_messages: row!.failed_messages,
      },
      'stored counters after 4 scored points (1 anomaly) and 1 refused point: messages_processed, anomalies_detected, failed_messages',
    ).toEqual({ messages_processed: 4, anomalies_detected: 1, failed_messages: 1 });
    const metrics = await helper.sessionMetrics(session.id);
    expect(
      [metrics.messages_processed, metrics.anomalies_detected, metrics.failed_messages],
      'the metrics endpoint must answer the stored counters',
    ).toEqual([4, 1, 1]);
    expect(row!.started_at, 'start must store started_at').toBeInstanceOf(Date);
    expect(
      (row!.last_message_at as Date) >= (row!.started_at as Date),
      'last_message_at must be after started_at',
    ).toBe(true);
  });

  test('an AutoML job row holds the trials and best score the API answers', async ({ helper, client }) => {
    const me = await caller(helper);
    const dataset = await helper.uploadCsv(toCsv(sampleDataset(25, 200)), { targetColumn: 'label' });
    const jobName = helper.name('automl');
    const res = await client.post('/api/autonomous/automl/start', {
      job_name: jobName,
      dataset_id: dataset.id,
      algorithms: ['zscore', 'hbos'],
      max_trials: 2,
      max_duration_minutes: 2,
    });
    expectStatus(res, 201, 'starting an AutoML job must answer 201');
    const id = res.body.data.id;
    const created = await db.automlJobRow(id);
    expect(
      {
        owner: created!.owner_id,
        name: created!.job_name,
        dataset: created!.dataset_id,
        total: created!.total_trials,
      },
      'the job row must hold what was sent',
    ).toEqual({ owner: me.id, name: jobName, dataset: dataset.id, total: 2 });
    expect(
      (created!.configuration as { algorithms: string[] }).algorithms,
      'the job must store its algorithms',
    ).toEqual(['zscore', 'hbos']);
    const done = await vi.waitFor(
      async () => {
        const r = await db.automlJobRow(id);
        expect(r?.status, 'the AutoML job row reaching completed').toMatch(/^(completed|failed)$/);
        return r;
      },
      { timeout: 90_000, interval: 250 },
    );
    expect(done!.status, 'the AutoML job must complete').toBe('completed');
    const status = await client.data('GET', `/api/autonomous/automl/${id}/status`, {}, 'AutoML status');
    const results = await client.data('GET', `/api/autonomous/automl/${id}/results`, {}, 'AutoML results');
    const stored = done!.results as { trial_results: { score: number }[]; best_model: { score: number } };
    expect(
      { trials: done!.current_trial, progress: done!.progress_percentage, best: done!.best_score },
      'the job row must hold two trials, progress 100 and the best score the API answers',
    ).toEqual({ trials: 2, progress: 100, best: status.best_score });
    expect(stored.trial_results, 'the stored trials must be the ones the API answers').toEqual(
      results.trial_results,
    );
    expect(stored.trial_results.length, 'one stored trial per trial run').toBe(2);
    expect(done!.best_score, 'the best score must be the best stored trial').toBe(
      Math.max(...stored.trial_results.map((t) => t.score)),
    );
  });
});
