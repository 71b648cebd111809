/**
 * database / what a DELETE takes with it and what it keeps, counted by foreign key in SQL.
 *
 * The decisions (containers/pynomaly/README.md, "Contract interpretations"): a dataset takes its
 * stored table; its detectors and experiments stay, unlinked. A detector's models (the
 * registry), sessions and events (history) stay, models and sessions unlinked. A session's events
 * stay. An experiment takes its results and history; the models its results named stay.
 *
 * Faults this file catches:
 * - a dataset DELETE that leaves its stored table behind
 *   (checked by faults/catalog/database.ts: db-dataset-delete-leaves-table)
 * - an experiment DELETE that leaves its result rows behind
 *   (checked by faults/catalog/database.ts: db-experiment-delete-leaves-results)
 * - a detector DELETE that takes the model registry with it
 *   (checked by faults/catalog/database.ts: db-detector-delete-takes-models)
 * - a DELETE that removes dependents that must stay, or leaves them pointing at a missing row
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import type { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

describe('deletes and their dependents', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  const smallDataset = (helper: IntegrationHelper, seed: number) =>
    helper.uploadCsv(toCsv(sampleDataset(seed, 200)), { targetColumn: 'label' });

  async function remove(
    helper: IntegrationHelper,
    kind: 'dataset' | 'detector' | 'session' | 'experiment',
    path: string,
    id: string,
  ) {
    expectStatus(await helper.client.delete(path), 200, `DELETE of the ${kind} must answer 200`);
    expectStatus(await helper.client.get(path), 404, `the deleted ${kind} must answer 404`);
    helper.forget(kind, id);
  }

  test('a deleted dataset takes its table; its detectors and experiments stay, unlinked', async ({
    helper,
  }) => {
    const dataset = await smallDataset(helper, 11);
    const { detector } = await helper.trainedDetector({ dataset, algorithm: 'zscore' });
    const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }]);
    const detectorBefore = await db.detectorRow(detector.id);
    expect(await db.datasetData(dataset.id), 'an uploaded dataset must have its table stored').not.toBeNull();

    await remove(helper, 'dataset', `/api/datasets/${dataset.id}`, dataset.id);
    const left = await db.dependentsOfDataset(dataset.id, {
      detectors: [detector.id],
      experiments: [experiment.id],
    });
    expect(left.dataRows, 'DELETE of a dataset must remove its stored table (dataset_data left behind)').toBe(
      0,
    );
    expect(left.detectors, 'a detector of a deleted dataset must stay, unlinked').toEqual([
      { id: detector.id, dataset_id: null },
    ]);
    expect(left.experiments, 'an experiment of a deleted dataset must stay, unlinked').toEqual([
      { id: experiment.id, dataset_id: null },
    ]);
    expect(
      await db.detectorRow(detector.id),
      'the detector must otherwise be unchanged (still trained)',
    ).toEqual({
      ...detectorBefore,
      dataset_id: null,
    });
  });

  test('a deleted detector keeps its models, sessions and events, unlinked', async ({ helper }) => {
    const dataset = await smallDataset(helper, 12);
    const { detector, training } = await helper.trainedDetector({ dataset, algorithm: 'zscore' });
    const second = await helper.train(detector.id);
    const session = await helper.createSession(detector.id);
    await helper.predict(detector.id, [{ feature1: 9, feature2: 9, feature3: 9 }]);
    const events = await db.eventsOfDetector(detector.id);
    expect(events.length, 'the anomaly predicted must be stored as an event').toBe(1);
    const models = [training.model_id, second.model_id].sort();

    await remove(helper, 'detector', `/api/detectors/${detector.id}`, detector.id);
    const left = await db.dependentsOfDetector(detector.id, { models, sessions: [session.id] });
    expect(left.models, 'the models of a deleted detector must be kept, unlinked').toEqual(
      models.map((id) => ({ id, detector_id: null })),
    );
    expect(left.sessions, 'the sessions of a deleted detector must be kept, unlinked').toEqual([
      { id: session.id, detector_id: null },
    ]);
    expect(left.events, 'the events of a deleted detector must be kept (history)').toBe(1);
    expect((await db.eventRow(events[0].id))!.status, 'a kept event must be unchanged').toBe('open');
  });

  test('a deleted session keeps its events', async ({ helper }) => {
    const { detector } = await helper.trainedDetector({
      dataset: await smallDataset(helper, 13),
      algorithm: 'zscore',
    });
    const session = await helper.startSession(detector.id);
    const scored = await helper.processPoint(session.id, { feature1: 9, feature2: 9, feature3: 9 });
    expect(scored.is_anomaly, 'the far point must be an anomaly').toBe(true);
    const events = await db.eventIdsOfSession(session.id);
    expect(events.length, 'the anomaly of the session must be stored as an event').toBe(1);
    await helper.sessionAction(session.id, 'stop');

    await remove(helper, 'session', `/api/streaming/sessions/${session.id}`, session.id);
    expect(await db.sessionRow(session.id), 'DELETE of a session must remove its row').toBeNull();
    expect(
      await db.eventIdsOfSession(session.id),
      'the events of a deleted session must be kept (history)',
    ).toEqual(events);
  });

  test('a deleted experiment takes its results and history; the models stay', async ({ helper, client }) => {
    const dataset = await smallDataset(helper, 14);
    const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }, { name: 'hbos' }]);
    expectStatus(await client.post(`/api/experiments/${experiment.id}/run`), 202, 'run an experiment');
    const done = await vi.waitFor(
      async () => {
        const r = await db.experimentRow(experiment.id);
        expect(r?.status, 'the experiment row reaching completed').toMatch(/^(completed|failed)$/);
        return r;
      },
      { timeout: 90_000, interval: 250 },
    );
    expect(done!.status, 'the experiment must complete').toBe('completed');
    const models = (await db.experimentResults(experiment.id)).map((r) => r.model_id!).sort();
    expect(models.length, 'each algorithm must have a result naming its model').toBe(2);

    await remove(helper, 'experiment', `/api/experiments/${experiment.id}`, experiment.id);
    expect(
      await db.dependentsOfExperiment(experiment.id, models),
      'DELETE of an experiment must remove its results and history and keep the models',
    ).toEqual({ results: 0, history: 0, models });
  });
});
