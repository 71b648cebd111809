/**
 * database / atomicity: each multi-statement write of the service is all or nothing.
 *
 * The test makes the second statement of a write fail from the outside (a trigger in
 * PostgreSQL refusing only the rows this test marked, see ServiceDatabase.refuse*), then
 * checks in SQL that the first statement was rolled back with it.
 *
 * Faults this file catches:
 * - an upload whose dataset row is committed although storing its table failed
 *   (checked by faults/catalog/database.ts: db-upload-dataset-row-outside-transaction)
 * - a training whose model row stays although marking the detector trained failed
 *   (checked by faults/catalog/database.ts: db-training-outside-transaction)
 * - experiment results committed although the step's history event failed
 *   (checked by faults/catalog/database.ts: db-experiment-results-outside-transaction)
 * - an import that leaves a detector without its model
 *   (checked by faults/catalog/database.ts: db-import-detector-outside-transaction)
 */
import { describe, expect, vi } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

describe('multi-statement writes are atomic', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  test('an upload whose table cannot be stored leaves no dataset row', async ({ helper, client }) => {
    const marker = helper.name('cell');
    const rows = sampleDataset(5, 50).map((r, i) => ({ ...r, note: i === 37 ? marker : 'plain' }));
    const name = helper.name('atomic-upload');
    const release = await db.refuseDatasetDataWith(marker);
    try {
      const res = await client.upload(
        '/api/datasets/upload',
        { filename: 'atomic.csv', content: toCsv(rows) },
        { name, description: 'its table is refused by the database' },
      );
      expectStatus(res, 500, 'an upload whose table the database refused must fail');
    } finally {
      await release();
    }
    expect(
      await db.countDatasetsNamed(name),
      'an upload whose table could not be stored must leave no dataset row (dataset row and table not in one transaction)',
    ).toBe(0);

    // The same upload without the refusal stores the row and its whole table.
    const dataset = await helper.uploadCsv(toCsv(rows), { name });
    expect(
      await db.datasetData(dataset.id),
      'the stored table must hold every uploaded row, in order',
    ).toEqual(rows.map((r) => [r.feature1, r.feature2, r.feature3, r.label, r.timestamp, r.note]));
  });

  test('a training that cannot mark its detector trained leaves no model row', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const before = await db.detectorRow(detector.id);
    const release = await db.refuseDetectorUpdates(detector.id);
    try {
      expectStatus(
        await client.post(`/api/detection/train/${detector.id}`),
        500,
        'a training whose detector update the database refused must fail',
      );
    } finally {
      await release();
    }
    expect(
      await db.models(detector.id),
      'a failed training must leave no model row (model insert and detector update not in one transaction)',
    ).toEqual([]);
    expect(
      await db.detectorRow(detector.id),
      'a failed training must leave the detector row as it was',
    ).toEqual(before);

    const training = await helper.train(detector.id);
    expect(
      (await db.models(detector.id)).map((m) => [m.id, m.version]),
      'the failed training must not use up version 1',
    ).toEqual([[training.model_id, 1]]);
  });

  test('experiment results and their history event are written together', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }, { name: 'hbos' }]);
    const release = await db.refuseAlgorithmCompleted(experiment.id, 'hbos');
    try {
      expectStatus(await client.post(`/api/experiments/${experiment.id}/run`), 202, 'run an experiment');
      const row = await vi.waitFor(
        async () => {
          const r = await db.experimentRow(experiment.id);
          expect(r?.status, 'the experiment row reaching completed or failed').toMatch(
            /^(completed|failed)$/,
          );
          return r;
        },
        { timeout: 90_000, interval: 250 },
      );
      expect(row!.status, 'an experiment whose history the database refused must end failed').toBe('failed');
    } finally {
      await release();
    }
    expect(
      (await db.experimentResults(experiment.id)).map((r) => r.algorithm_name),
      'only the algorithm whose step committed may have a result row (hbos results stored without their event: not one transaction)',
    ).toEqual(['zscore']);
    expect(
      (await db.experimentHistory(experiment.id)).filter((e) => e.event_type === 'algorithm_completed'),
      'the history must name only the completed step',
    ).toEqual([{ event_type: 'algorithm_completed', algorithm: 'zscore' }]);
  });

  test('an import whose model cannot be stored leaves no detector', async ({ helper, client }) => {
    const { training } = await helper.trainedDetector({ algorithm: 'zscore' });
    const exported = await client.data(
      'POST',
      `/api/models/${training.model_id}/export`,
      {},
      'exporting a trained model',
    );
    const features = ['a', 'b', 'c'].map((x) => helper.name(`import-${x}`));
    const document = { ...exported, feature_columns: features };
    const release = await db.refuseModelsWithFeature(features[0]);
    try {
      const res = await client.post('/api/models/import', document);
      expectStatus(res, 500, 'an import whose model the database refused must fail');
    } finally {
      await release();
    }
    expect(
      await db.detectorIdsWithFeature(features[0]),
      'an import whose model could not be stored must leave no detector (detector and model not in one transaction)',
    ).toEqual([]);

    const model = await client.data(
      'POST',
      '/api/models/import',
      { json: document },
      'importing the document',
    );
    helper.track('detector', model.detector_id);
    expect(
      await db.detectorIdsWithFeature(features[0]),
      'one import must create exactly one detector',
    ).toEqual([model.detector_id]);
    expect(await db.modelIdsWithFeature(features[0]), 'one import must create exactly one model').toEqual([
      model.id,
    ]);
    const detector = await db.detectorRow(model.detector_id);
    expect(
      { status: detector!.status, model: detector!.current_model_id, features: detector!.feature_columns },
      'the imported detector must be trained with the imported model',
    ).toEqual({ status: 'trained', model: model.id, features });
    expect((await db.modelRow(model.id))!.detector_id, 'the imported model must name its detector').toBe(
      model.detector_id,
    );
  });
});
