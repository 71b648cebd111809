/**
 * database / CRUD of every entity checked against the rows in PostgreSQL.
 *
 * Faults this file catches:
 * - an API answer that was not persisted (or persisted with other values) for datasets,
 *   detectors, models, experiments, experiment results, streaming sessions and events
 * - an update answered 200 but not written; a delete answered 204 but the row still there
 *   (checked by faults/catalog.ts: db-detector-update-drops-description)
 * - model versions not numbered 1, 2, … per detector or overwritten on retraining
 * - experiment results not stored one row per algorithm
 * - streaming session state and counters kept only in memory
 * - event status changes (acknowledge/resolve) not persisted
 * - an event row without the anomaly score predict answered (a column dropped from the INSERT)
 *   (checked by faults/catalog.ts: db-event-insert-drops-anomaly-score)
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

describe('CRUD checked against PostgreSQL', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  test('datasets: upload, update and delete are what the table holds', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const row = await db.dataset(dataset.id);
    expect(row, 'an uploaded dataset must have a row').not.toBeNull();
    expect(row!.name, 'the row must hold the uploaded name').toBe(dataset.name);
    expect(Number(row!.row_count), 'the row must hold the row count').toBe(1000);

    const name = helper.name('renamed');
    const updated = await client.data(
      'PUT',
      `/api/datasets/${dataset.id}`,
      { json: { name, description: 'updated by the database suite', tags: ['db', 'crud'] } },
      'PUT of a dataset',
    );
    expect(updated.name, 'PUT must answer the new name').toBe(name);
    const after = await db.dataset(dataset.id);
    expect(after!.name, 'PUT must write the new name').toBe(name);
    expect(after!.description, 'PUT must write the new description').toBe('updated by the database suite');
    expect(after!.tags, 'PUT must write the tags').toEqual(['db', 'crud']);

    expectStatus(await client.delete(`/api/datasets/${dataset.id}`), [200, 204], 'DELETE of a dataset');
    expect(await db.dataset(dataset.id), 'DELETE must remove the dataset row').toBeNull();
    expectStatus(await client.get(`/api/datasets/${dataset.id}`), 404, 'a deleted dataset answers 404');
    helper.forget('dataset', dataset.id);
  });

  test('detectors and model versions', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const detector = await helper.createDetector(dataset.id, {
      algorithm: 'hbos',
      parameters: { contamination: 0.07 },
    });
    const row = await db.detector(detector.id);
    expect(row, 'a created detector must have a row').not.toBeNull();
    expect(row!.algorithm, 'the row must hold the algorithm').toBe('hbos');
    expect(row!.parameters.contamination, 'the row must hold the parameters').toBe(0.07);
    expect(row!.dataset_id, 'the row must reference its dataset').toBe(dataset.id);
    expect(row!.status, 'the row must hold status created').toBe('created');

    const first = await helper.train(detector.id);
    const second = await helper.train(detector.id);
    const models = await db.models(detector.id);
    expect(
      models.map((m) => m.version),
      'two trainings must store versions 1 and 2',
    ).toEqual([1, 2]);
    expect(
      models.map((m) => m.id),
      'each version is its own model row',
    ).toEqual([first.model_id, second.model_id]);
    const trained = await db.detector(detector.id);
    expect(trained!.status, 'the row must hold status trained').toBe('trained');
    expect(trained!.model_id, 'the detector row must point at the latest model').toBe(second.model_id);

    await client.data('POST', `/api/models/${first.model_id}/register`, {}, 'register');
    expect((await db.model(first.model_id))!.stage, 'register must store stage staging').toBe('staging');

    const name = helper.name('renamed');
    await client.data(
      'PUT',
      `/api/detectors/${detector.id}`,
      { json: { name, description: 'd2' } },
      'PUT of a detector',
    );
    const renamed = await db.detector(detector.id);
    expect(renamed!.name, 'PUT must write the detector name').toBe(name);
    expect(renamed!.description, 'PUT must write the detector description').toBe('d2');

    expectStatus(await client.delete(`/api/detectors/${detector.id}`), [200, 204], 'DELETE of a detector');
    expect(await db.detector(detector.id), 'DELETE must remove the detector row').toBeNull();
    helper.forget('detector', detector.id);
  });

  test('experiments and their results', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }, { name: 'hbos' }], {
      folds: 2,
    });
    expect(
      (await db.experiment(experiment.id))?.status,
      'a created experiment must have a row "created"',
    ).toBe('created');
    expectStatus(await client.post(`/api/experiments/${experiment.id}/run`), [200, 202], 'run an experiment');
    const stored = await vi.waitFor(
      async () => {
        const row = await db.experiment(experiment.id);
        expect(row?.status, 'the experiment row reaching completed').toMatch(/^(completed|failed)$/);
        return row;
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(stored!.status, 'the experiment must complete').toBe('completed');
    const results = await db.experimentResults(experiment.id);
    expect(
      results.map((r) => r.algorithm_name),
      'one result row per algorithm',
    ).toEqual(['hbos', 'zscore']);
    const api = await client.data('GET', `/api/experiments/${experiment.id}/results`, {}, 'results');
    for (const r of results) {
      const fromApi = api.algorithm_results.find(
        (a: { algorithm_name: string }) => a.algorithm_name === r.algorithm_name,
      );
      expect(r.metrics.roc_auc, `stored roc_auc of ${r.algorithm_name} must equal the API's`).toBe(
        fromApi.metrics.roc_auc,
      );
      expect(r.model_id, `stored model of ${r.algorithm_name} must equal the API's`).toBe(fromApi.model_id);
    }
    expect(stored!.best_algorithm, "the stored best algorithm must equal the API's").toBe(api.best_algorithm);

    expectStatus(
      await client.delete(`/api/experiments/${experiment.id}`),
      [200, 204],
      'DELETE of an experiment',
    );
    expect(await db.experiment(experiment.id), 'DELETE must remove the experiment row').toBeNull();
    expect(await db.experimentResults(experiment.id), 'DELETE must remove the result rows').toEqual([]);
    helper.forget('experiment', experiment.id);
  });

  test('streaming session state and counters are stored', async ({ helper, client }) => {
    const { detector } = await helper.trainedDetector({ algorithm: 'zscore' });
    const session = await helper.createSession(detector.id);
    expect((await db.session(session.id))?.status, 'a new session row must be pending').toBe('pending');
    await helper.sessionAction(session.id, 'start');
    expect(['active', 'running'], 'a started session row must be active').toContain(
      (await db.session(session.id))?.status,
    );
    for (const point of [
      { feature1: 0, feature2: 0, feature3: 0 },
      { feature1: 9, feature2: 9, feature3: 9 },
      { feature1: 0.2, feature2: 0.1, feature3: 0 },
    ])
      await helper.processPoint(session.id, point);
    const metrics = await helper.sessionMetrics(session.id, 'metrics');
    const stored = await vi.waitFor(
      async () => {
        const row = await db.session(session.id);
        expect(Number(row?.messages_processed), 'the stored counter reaching 3 processed points').toBe(3);
        return row;
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(Number(stored!.messages_processed), 'stored messages_processed must equal the API').toBe(
      metrics.messages_processed,
    );
    expect(Number(stored!.anomalies_detected), 'stored anomalies_detected must equal the API').toBe(
      metrics.anomalies_detected,
    );
    await helper.sessionAction(session.id, 'pause');
    expect((await db.session(session.id))?.status, 'pause must be stored').toBe('paused');
    await helper.sessionAction(session.id, 'stop');
    expect((await db.session(session.id))?.status, 'stop must be stored').toBe('stopped');
    expectStatus(
      await client.delete(`/api/streaming/sessions/${session.id}`),
      [200, 204],
      'DELETE of a session',
    );
    expect(await db.session(session.id), 'DELETE must remove the session row').toBeNull();
    helper.forget('session', session.id);
  });

  test('events of detections and their status changes are stored', async ({ helper, client }) => {
    const { detector } = await helper.trainedDetector();
    const predictions = await helper.predict(detector.id, [
      { feature1: 9, feature2: 9, feature3: 9 },
      { feature1: 0, feature2: 0, feature3: 0 },
    ]);
    const events = await db.eventsOfDetector(detector.id);
    expect(events.length, 'the one anomaly must be stored as one event').toBe(1);
    expect(
      events[0].anomaly_score === null ? null : Number(events[0].anomaly_score),
      'the event row must hold the anomaly score predict answered (anomaly_score column not written)',
    ).toBe(predictions.find((p) => p.is_anomaly)?.anomaly_score);
    await client.data('POST', `/api/events/${events[0].id}/acknowledge`, { json: {} }, 'acknowledge');
    expect((await db.event(events[0].id))?.status, 'acknowledge must be stored').toBe('acknowledged');
    await client.data('POST', `/api/events/${events[0].id}/resolve`, { json: {} }, 'resolve');
    expect((await db.event(events[0].id))?.status, 'resolve must be stored').toBe('resolved');
  });
});
