/**
 * database / an update changes the row it names and no other.
 *
 * Every test creates siblings (rows alike in every way the service could confuse them: same
 * dataset, same detector), changes one through the API and compares the others column by
 * column with their SQL state before the change.
 *
 * Faults this file catches:
 * - a dataset or detector UPDATE whose WHERE matches more than the named row
 *   (checked by faults/catalog/database.ts: db-detector-update-hits-siblings)
 * - register/promote setting the stage of every version of the detector
 *   (checked by faults/catalog/database.ts: db-model-stage-hits-versions)
 * - promote pointing sibling detectors of the same dataset at the promoted model
 *   (checked by faults/catalog/database.ts: db-mark-trained-hits-dataset-siblings)
 * - a session transition moving every session of the detector
 *   (checked by faults/catalog/database.ts: db-session-transition-hits-siblings)
 * - acknowledge/resolve of one event changing its neighbours
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import type { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { caller } from './caller.ts';

describe('updates touch only the named row', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  const smallDataset = (helper: IntegrationHelper, seed: number) =>
    helper.uploadCsv(toCsv(sampleDataset(seed, 200)), { targetColumn: 'label' });

  test('PUT of one dataset leaves its siblings as they were', async ({ helper, client }) => {
    const datasets = [
      await smallDataset(helper, 1),
      await smallDataset(helper, 2),
      await smallDataset(helper, 3),
    ];
    const before = await Promise.all(datasets.map((d) => db.datasetRow(d.id)));
    const name = helper.name('renamed');
    await client.data(
      'PUT',
      `/api/datasets/${datasets[1].id}`,
      { json: { name, description: 'only this one', tags: ['isolated'] } },
      'PUT of a dataset',
    );
    const after = await Promise.all(datasets.map((d) => db.datasetRow(d.id)));
    expect(after[0], 'PUT of one dataset must not change another dataset row').toEqual(before[0]);
    expect(after[2], 'PUT of one dataset must not change another dataset row').toEqual(before[2]);
    expect(after[1], 'PUT must write name, description and tags and nothing else').toEqual({
      ...before[1],
      name,
      description: 'only this one',
      tags: ['isolated'],
      updated_at: after[1]!.updated_at,
    });
    expect(
      (after[1]!.updated_at as Date) > (before[1]!.updated_at as Date),
      'PUT must move updated_at forward (updated_at not set by the UPDATE)',
    ).toBe(true);
  });

  test('PUT of one detector leaves the detectors of the same dataset as they were', async ({
    helper,
    client,
  }) => {
    const dataset = await smallDataset(helper, 4);
    const detectors = [
      await helper.createDetector(dataset.id, { algorithm: 'zscore' }),
      await helper.createDetector(dataset.id, { algorithm: 'zscore' }),
      await helper.createDetector(dataset.id, { algorithm: 'zscore' }),
    ];
    const before = await Promise.all(detectors.map((d) => db.detectorRow(d.id)));
    const name = helper.name('renamed');
    const answer = await client.data(
      'PUT',
      `/api/detectors/${detectors[1].id}`,
      { json: { name, description: 'only this one', parameters: { contamination: 0.08 } } },
      'PUT of a detector',
    );
    const after = await Promise.all(detectors.map((d) => db.detectorRow(d.id)));
    expect(after[0], 'PUT of one detector must not change a sibling detector row').toEqual(before[0]);
    expect(after[2], 'PUT of one detector must not change a sibling detector row').toEqual(before[2]);
    expect(after[1], 'PUT must write name, description and parameters and nothing else').toEqual({
      ...before[1],
      name,
      description: 'only this one',
      parameters: answer.parameters,
      updated_at: after[1]!.updated_at,
    });
    expect(
      (after[1]!.parameters as { contamination: number }).contamination,
      'PUT must store the sent contamination',
    ).toBe(0.08);
  });

  test('register and promote change the stage of the named version only', async ({ helper, client }) => {
    const dataset = await smallDataset(helper, 5);
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const sibling = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const siblingTraining = await helper.train(sibling.id);
    const versions = [
      await helper.train(detector.id),
      await helper.train(detector.id),
      await helper.train(detector.id),
    ].map((t) => t.model_id);
    const before = await Promise.all(versions.map((id) => db.modelRow(id)));
    const siblingBefore = await db.detectorRow(sibling.id);

    await client.data('POST', `/api/models/${versions[0]}/register`, {}, 'register of a model');
    let after = await Promise.all(versions.map((id) => db.modelRow(id)));
    expect(after[0], 'register must set stage staging on the named model only').toEqual({
      ...before[0],
      stage: 'staging',
    });
    expect(after.slice(1), 'register of one version must not change the other versions').toEqual(
      before.slice(1),
    );

    await client.data(
      'POST',
      `/api/models/${versions[1]}/promote`,
      { json: { stage: 'production' } },
      'promote of a model',
    );
    after = await Promise.all(versions.map((id) => db.modelRow(id)));
    expect(after[1], 'promote must set stage production on the named model only').toEqual({
      ...before[1],
      stage: 'production',
    });
    expect(after[0]!.stage, 'promote of one version must not change another version').toBe('staging');
    expect(after[2], 'promote of one version must not change another version').toEqual(before[2]);
    expect(
      (await db.detectorRow(detector.id))!.current_model_id,
      'promote to production must make the detector score with the promoted version',
    ).toBe(versions[1]);
    const siblingAfter = await db.detectorRow(sibling.id);
    expect(siblingAfter, 'promote must not change another detector of the same dataset').toEqual(
      siblingBefore,
    );
    expect(siblingAfter!.current_model_id, 'the sibling detector must keep its own model').toBe(
      siblingTraining.model_id,
    );
  });

  test('a transition of one session leaves the other sessions of the detector as they were', async ({
    helper,
  }) => {
    const { detector } = await helper.trainedDetector({
      algorithm: 'zscore',
      dataset: await smallDataset(helper, 6),
    });
    const sessions = [
      await helper.createSession(detector.id),
      await helper.createSession(detector.id),
      await helper.createSession(detector.id),
    ];
    await helper.sessionAction(sessions[2].id, 'start');
    const before = await Promise.all(sessions.map((s) => db.sessionRow(s.id)));
    await helper.sessionAction(sessions[1].id, 'start');
    await helper.processPoint(sessions[1].id, { feature1: 0.1, feature2: 0.2, feature3: 0.3 });
    await helper.sessionAction(sessions[1].id, 'stop');
    const after = await Promise.all(sessions.map((s) => db.sessionRow(s.id)));
    expect(after[0], 'start/process/stop of one session must not change a pending sibling').toEqual(
      before[0],
    );
    expect(after[2], 'start/process/stop of one session must not change an active sibling').toEqual(
      before[2],
    );
    expect(
      { status: after[1]!.status, processed: after[1]!.messages_processed },
      'the named session must be stopped after one point',
    ).toEqual({ status: 'stopped', processed: 1 });
  });

  test('acknowledge and resolve of one event leave its neighbours as they were', async ({
    helper,
    client,
  }) => {
    const me = await caller(helper);
    const { detector } = await helper.trainedDetector({
      algorithm: 'zscore',
      dataset: await smallDataset(helper, 7),
    });
    await helper.predict(detector.id, [
      { feature1: 9, feature2: 9, feature3: 9 },
      { feature1: -9, feature2: 9, feature3: -9 },
      { feature1: 9, feature2: -9, feature3: 9 },
    ]);
    const ids = (await db.eventsOfDetector(detector.id)).map((e) => e.id);
    expect(ids.length, 'each of the three anomalies must be stored as an event').toBe(3);
    const before = await Promise.all(ids.map((id) => db.eventRow(id)));

    await client.data(
      'POST',
      `/api/events/${ids[1]}/acknowledge`,
      { json: { notes: 'seen' } },
      'acknowledge',
    );
    let after = await Promise.all(ids.map((id) => db.eventRow(id)));
    expect(after[1], 'acknowledge must store status, time, who and notes on the named event').toEqual({
      ...before[1],
      status: 'acknowledged',
      acknowledged_by: me.username,
      acknowledged_at: after[1]!.acknowledged_at,
      resolution_notes: 'seen',
    });
    expect(after[1]!.acknowledged_at, 'acknowledge must store when').toBeInstanceOf(Date);
    expect([after[0], after[2]], 'acknowledge of one event must not change another event').toEqual([
      before[0],
      before[2],
    ]);

    await client.data('POST', `/api/events/${ids[1]}/resolve`, { json: { notes: 'fixed' } }, 'resolve');
    const acknowledged = after[1];
    after = await Promise.all(ids.map((id) => db.eventRow(id)));
    expect(after[1], 'resolve must store status, time, who and notes, keeping the acknowledgement').toEqual({
      ...acknowledged,
      status: 'resolved',
      resolved_by: me.username,
      resolved_at: after[1]!.resolved_at,
      resolution_notes: 'fixed',
    });
    expect(after[1]!.resolved_at, 'resolve must store when').toBeInstanceOf(Date);
    expect([after[0], after[2]], 'resolve of one event must not change another event').toEqual([
      before[0],
      before[2],
    ]);
  });
});
