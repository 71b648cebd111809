/**
 * database / data survives a restart of the service container.
 *
 * Faults this file catches:
 * - datasets, detectors, trained models, experiments or events kept only in process memory
 * - a model that scores differently after it was reloaded from the database
 * - the service not becoming ready again after a restart (migrations not idempotent, pool not reconnecting)
 */
import { describe, expect } from 'vitest';
import { clientForStack } from '../fixtures/http-client.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { restartService } from '../fixtures/service-control.ts';
import { test } from '../fixtures/test.ts';

describe('persistence across a restart', { tags: ['database', 'integration', 'slow'] }, () => {
  test('everything created before a restart is there after it and scores the same', async ({
    helper,
    stack,
  }) => {
    const { dataset, detector, training } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    // The far last point is an anomaly, so the detector has at least one event to survive the restart.
    const points = [
      ...featureRows(sampleDataset(11, 40), FEATURES),
      { feature1: 9, feature2: 9, feature3: 9 },
    ];
    const before = await helper.predict(detector.id, points);
    const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }]);
    const eventsOfDetector = (client: typeof helper.client) =>
      client.data(
        'POST',
        '/api/events/query',
        { json: { detector_id: detector.id, limit: 500 } },
        'events query',
      );
    const eventsBefore = (await eventsOfDetector(helper.client)).events.map(
      (e: { id: string; status: string }) => [e.id, e.status],
    );
    expect(eventsBefore.length, 'the anomalies among the points must be stored as events').toBeGreaterThan(0);

    const moved = await restartService(stack);
    helper.stack = moved;
    helper.client = await clientForStack(moved);
    const { client } = helper;

    const datasetAfter = await client.data(
      'GET',
      `/api/datasets/${dataset.id}`,
      {},
      'the dataset after a restart',
    );
    expect(datasetAfter.rows, 'the dataset must survive a restart').toBe(1000);
    const detectorAfter = await client.data(
      'GET',
      `/api/detectors/${detector.id}`,
      {},
      'the detector after a restart',
    );
    expect(detectorAfter.status, 'the detector must still be trained').toBe('trained');
    expect(detectorAfter.model_id, 'the detector must still point at its model').toBe(training.model_id);
    const model = await client.data(
      'GET',
      `/api/models/${training.model_id}`,
      {},
      'the model after a restart',
    );
    expect(model.version, 'the model must survive a restart').toBe('1.0.0');
    const experimentAfter = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/results`,
      {},
      'the experiment after a restart',
    );
    expect(experimentAfter.experiment_id, 'the experiment must survive a restart').toBe(experiment.id);
    const eventsAfter = (await eventsOfDetector(client)).events.map((e: { id: string; status: string }) => [
      e.id,
      e.status,
    ]);
    expect(eventsAfter, "the detector's events must survive a restart").toEqual(eventsBefore);

    const after = await helper.predict(detector.id, points);
    expect(after, 'a model reloaded after a restart must score exactly as before').toEqual(before);
  });
});
