/**
 * api-workflows / updates and deletes change the named object only, and deletes settle dependents
 * the way the service README says (detectors outlive their dataset, models and sessions outlive
 * their detector, a session without a detector refuses points).
 *
 * Faults this file catches:
 * - PUT of a dataset or detector writing another row (checked by faults/catalog/api-workflows.ts:
 *   api-dataset-update-all-rows), or not storing name/description/tags/parameters
 * - DELETE answering 200 but leaving the object readable (api-dataset-delete-keeps-row), or removing
 *   a neighbour; a deleted dataset's detector losing its model
 */
import { describe, expect } from 'vitest';
import { expectError } from '../fixtures/http-client.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

const SMALL_CSV = toCsv(sampleDataset(5, 60));
const POINT = { feature1: 0.1, feature2: 0.2, feature3: -0.1 };

describe('updates and deletes', { tags: ['api', 'integration', 'workflows'] }, () => {
  test('PUT of a dataset changes that dataset only', async ({ helper, client }) => {
    const target = await helper.uploadCsv(SMALL_CSV);
    const neighbour = await helper.uploadCsv(SMALL_CSV);
    const neighbourBefore = await client.data('GET', `/api/datasets/${neighbour.id}`, { expected: 200 });
    const name = helper.name('renamed');
    const updated = await client.data(
      'PUT',
      `/api/datasets/${target.id}`,
      { json: { name, description: 'changed', tags: ['x', 'y'] }, expected: 200 },
      'PUT of a dataset must answer 200',
    );
    expect(updated.id, 'PUT must answer with the dataset it changed').toBe(target.id);
    expect(
      { name: updated.name, description: updated.description, tags: updated.tags },
      'PUT must answer with the new name, description and tags',
    ).toEqual({ name, description: 'changed', tags: ['x', 'y'] });
    const reread = await client.data('GET', `/api/datasets/${target.id}`, { expected: 200 });
    expect(
      { name: reread.name, description: reread.description, tags: reread.tags, rows: reread.rows },
      'the changed name, description and tags must be stored (rows untouched)',
    ).toEqual({ name, description: 'changed', tags: ['x', 'y'], rows: 60 });
    expect(
      await client.data('GET', `/api/datasets/${neighbour.id}`, { expected: 200 }),
      'PUT of one dataset must not change another dataset',
    ).toEqual(neighbourBefore);
  });

  test('PUT of a detector changes that detector only', async ({ helper, client }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV);
    const target = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const neighbour = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const neighbourBefore = await client.data('GET', `/api/detectors/${neighbour.id}`, { expected: 200 });
    const name = helper.name('renamed');
    const updated = await client.data(
      'PUT',
      `/api/detectors/${target.id}`,
      { json: { name, description: 'changed', parameters: { contamination: 0.2 } }, expected: 200 },
      'PUT of a detector must answer 200',
    );
    expect(updated.id, 'PUT must answer with the detector it changed').toBe(target.id);
    const reread = await client.data('GET', `/api/detectors/${target.id}`, { expected: 200 });
    expect(
      { name: reread.name, description: reread.description, contamination: reread.parameters.contamination },
      'the changed name, description and parameters must be stored',
    ).toEqual({ name, description: 'changed', contamination: 0.2 });
    expect(
      await client.data('GET', `/api/detectors/${neighbour.id}`, { expected: 200 }),
      'PUT of one detector must not change another detector',
    ).toEqual(neighbourBefore);
  });

  test('DELETE of a dataset: it is 404, its neighbour stays, its trained detector keeps scoring', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV);
    const neighbour = await helper.uploadCsv(SMALL_CSV);
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const training = await helper.train(detector.id);
    const [before] = await helper.predict(detector.id, [POINT]);

    const deleted = await client.data(
      'DELETE',
      `/api/datasets/${dataset.id}`,
      { expected: 200 },
      'DELETE of a dataset must answer 200',
    );
    expect(deleted, 'DELETE must answer {id, deleted: true}').toEqual({ id: dataset.id, deleted: true });
    for (const path of [`/api/datasets/${dataset.id}`, `/api/datasets/${dataset.id}/stats`])
      expectError(await client.get(path), 404, 'NOT_FOUND', `GET ${path} of a deleted dataset must be 404`);
    expectError(
      await client.delete(`/api/datasets/${dataset.id}`),
      404,
      'NOT_FOUND',
      'a second DELETE of a dataset must be 404',
    );
    await client.data('GET', `/api/datasets/${neighbour.id}`, { expected: 200 }, 'a neighbour dataset stays');

    const orphan = await client.data('GET', `/api/detectors/${detector.id}`, { expected: 200 });
    expect(
      { dataset_id: orphan.dataset_id, status: orphan.status, model_id: orphan.model_id },
      'a trained detector outlives its dataset: dataset_id null, still trained with its model',
    ).toEqual({ dataset_id: null, status: 'trained', model_id: training.model_id });
    const [after] = await helper.predict(detector.id, [POINT]);
    expect(after, 'the detector of a deleted dataset must score as before').toEqual(before);
  });

  test('DELETE of a detector: it is 404; its models and sessions stay, the session refuses points', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV);
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const neighbour = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const training = await helper.train(detector.id);
    const session = await helper.startSession(detector.id);

    const deleted = await client.data(
      'DELETE',
      `/api/detectors/${detector.id}`,
      { expected: 200 },
      'DELETE of a detector must answer 200',
    );
    expect(deleted, 'DELETE must answer {id, deleted: true}').toEqual({ id: detector.id, deleted: true });
    helper.forget('detector', detector.id);
    expectError(
      await client.get(`/api/detectors/${detector.id}`),
      404,
      'NOT_FOUND',
      'a deleted detector must be 404',
    );
    expectError(
      await client.post(`/api/detection/predict/${detector.id}`, { data: [POINT] }),
      404,
      'NOT_FOUND',
      'predict with a deleted detector must be 404',
    );
    await client.data(
      'GET',
      `/api/detectors/${neighbour.id}`,
      { expected: 200 },
      'a neighbour detector stays',
    );

    const model = await client.data('GET', `/api/models/${training.model_id}`, { expected: 200 });
    expect(model.detector_id, 'a model outlives its detector, with detector_id null').toBeNull();
    const orphan = await client.data('GET', `/api/streaming/sessions/${session.id}/summary`, {
      expected: 200,
    });
    expect(orphan.session.detector_id, 'a session outlives its detector, with detector_id null').toBeNull();
    expectError(
      await client.post(`/api/streaming/sessions/${session.id}/process`, { data: POINT }),
      409,
      'CONFLICT',
      'a session whose detector was deleted must refuse points with 409',
    );
  });
});
