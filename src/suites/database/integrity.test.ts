/**
 * database / integrity: failed multi-row writes and concurrent updates.
 *
 * Faults this file catches:
 * - a malformed upload leaving a dataset row behind (write not in one transaction), or a 500
 *   instead of 422 naming the bad line
 * - an experiment refused for its third algorithm leaving a partial experiment behind
 * - lost or torn updates: concurrent PUTs of one detector ending with a name of one request and
 *   the description of another, or the API and the row disagreeing
 *   (checked by faults/catalog.ts: db-detector-update-drops-description)
 * - concurrent trainings of one detector getting the same version number, or gaps
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { describeResponse, expectStatus } from '../fixtures/http-client.ts';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

describe('integrity of writes', { tags: ['database', 'integration'] }, () => {
  const db = useServiceDatabase();

  test('a failed multi-row write leaves no partial rows', async ({ helper, client }) => {
    const lines = toCsv(sampleDataset(3, 900)).trimEnd().split('\n');
    lines.splice(801, 0, '1.0,2.0'); // line 802 of the file: two cells instead of five
    const name = helper.name('broken');
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: 'broken.csv', content: `${lines.join('\n')}\n` },
      {
        name,
        description: 'malformed at line 802',
      },
    );
    expectStatus(res, [400, 422], 'a malformed CSV must be refused');
    expect(res.text, `the error must name the bad line (802): ${describeResponse(res)}`).toMatch(/802/);
    expect(await db.countDatasetsNamed(name), 'a refused upload must leave no dataset row').toBe(0);

    const dataset = await helper.uploadSampleDataset();
    const experimentName = helper.name('partial');
    const refused = await client.post('/api/experiments/create', {
      name: experimentName,
      dataset_id: dataset.id,
      algorithms: [
        { name: 'zscore', parameters: {} },
        { name: 'hbos', parameters: {} },
        { name: 'isolation_forest', parameters: { contamination: 'a lot' } },
      ],
      evaluation_metrics: ['roc_auc'],
      cross_validation: { enabled: false, folds: 3 },
    });
    expectStatus(refused, [400, 422], 'an experiment with a bad third algorithm must be refused');
    expect(await db.countExperimentsNamed(experimentName), 'a refused experiment must leave no row').toBe(0);
  });

  test('concurrent updates of one detector end in a consistent state', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const updates = Array.from({ length: 20 }, (_, i) => ({
      name: `${detector.name}-v${i}`,
      description: `description ${i}`,
    }));
    const answers = await Promise.all(updates.map((u) => client.put(`/api/detectors/${detector.id}`, u)));
    for (const res of answers)
      expectStatus(res, [200, 409], 'a concurrent PUT must succeed or be refused as a conflict');
    expect(
      answers.some((r) => r.status === 200),
      'at least one concurrent PUT must succeed',
    ).toBe(true);

    const row = await db.detector(detector.id);
    const api = await client.data('GET', `/api/detectors/${detector.id}`, {}, 'GET after concurrent PUTs');
    expect({ name: api.name, description: api.description }, 'the API must show what the row holds').toEqual({
      name: row!.name,
      description: row!.description,
    });
    const winner = updates.findIndex((u) => u.name === row!.name);
    expect(winner, 'the final name must be one of the PUTs').toBeGreaterThanOrEqual(0);
    expect(row!.description, 'name and description must come from the same PUT (no torn update)').toBe(
      updates[winner].description,
    );
    expect(answers[winner].status, 'the PUT whose values won must have been answered 200').toBe(200);

    const trainings = await Promise.all(
      [0, 1, 2, 3].map(() => client.post(`/api/detection/train/${detector.id}`)),
    );
    for (const res of trainings)
      expectStatus(res, [200, 201, 409], 'a concurrent training must succeed or be a conflict');
    const succeeded = trainings.filter((r) => r.status === 200 || r.status === 201).length;
    const versions = (await db.models(detector.id)).map((m) => m.version);
    expect(versions, 'concurrent trainings must get distinct, gap-free versions').toEqual(
      Array.from({ length: succeeded }, (_, i) => i + 1),
    );
  });
});
