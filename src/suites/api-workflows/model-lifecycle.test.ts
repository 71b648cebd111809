/**
 * api-workflows / model lifecycle: register, promote, export, import scores identically.
 *
 * Faults this file catches:
 * - the model of a training missing fields (version, algorithm, detector_id, metrics)
 * - register not moving the model to "staging", promote not to "production"/"archived", bad stage accepted
 * - retraining not creating version 2 of the detector's model
 * - export without format_version or the trained state; import refusing its own export
 * - an imported model scoring differently from the original (any difference in any digit)
 * - a corrupted document accepted by import (or a 500); import not answering 201
 * - promote changing other versions' stages (checked by faults/catalog/api-workflows.ts:
 *   api-promote-all-versions), or the detector not scoring with the promoted version
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { importAndScore } from '../fixtures/models.ts';
import { UUID } from '../fixtures/poll.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';

describe('model lifecycle', { tags: ['api', 'integration', 'workflows'] }, () => {
  const it = useIntegrationHelper();

  test('register → promote → export → import scores identically', async () => {
    const { helper, client } = it;
    const { detector, training } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const model = await client.data('GET', `/api/models/${training.model_id}`, {}, 'GET of a trained model');
    expect(model.id, 'GET /api/models/{id} must return that model').toBe(training.model_id);
    expect(model.detector_id, 'the model must name its detector').toBe(detector.id);
    expect(model.algorithm, 'the model must name its algorithm').toBe('isolation_forest');
    expect(model.version, 'the first model of a detector is version 1').toBe(1);
    expect(model.parameters?.contamination, 'the model must keep its parameters').toBe(0.05);

    const points = featureRows(sampleDataset(7, 60), FEATURES);
    const v1Scores = (await helper.predict(detector.id, points)).map((p) => p.anomaly_score);

    const registered = await client.data(
      'POST',
      `/api/models/${model.id}/register`,
      { expected: 200 },
      'register must answer 200',
    );
    expect(registered.stage, 'register must move the model to staging').toBe('staging');
    const promoted = await client.data(
      'POST',
      `/api/models/${model.id}/promote`,
      { json: { stage: 'production' } },
      'promote',
    );
    expect(promoted.stage, 'promote must move the model to production').toBe('production');
    const reread = await client.data('GET', `/api/models/${model.id}`, {}, 'GET after promote');
    expect(reread.stage, 'the production stage must be stored').toBe('production');
    const bad = await client.post(`/api/models/${model.id}/promote`, { stage: 'heaven' });
    expectStatus(bad, 422, 'promote to an unknown stage must be refused');

    const document = await client.data('POST', `/api/models/${model.id}/export`, {}, 'export');
    expect(typeof document.format_version, 'an exported model must carry format_version').toBe('number');
    expect(document.algorithm, 'an exported model must name its algorithm').toBe('isolation_forest');
    const raw = await client.post('/api/models/import', document);
    expectStatus(raw, 201, 'import of an exported model must answer 201 Created');
    helper.track('detector', raw.body.data.detector_id);
    const imported = await importAndScore(helper, document, points);
    expect(imported.modelId, 'import must create a new model').toMatch(UUID);
    expect(imported.modelId, 'import must create a new model, not reuse the exported one').not.toBe(model.id);
    expect(
      imported.scores,
      'the imported model must score exactly like the model it was exported from',
    ).toEqual(v1Scores);

    const retrained = await helper.train(detector.id);
    expect(retrained.model_id, 'retraining must create a new model').not.toBe(model.id);
    const second = await client.data(
      'GET',
      `/api/models/${retrained.model_id}`,
      {},
      'GET of the retrained model',
    );
    expect(second.version, 'retraining must create version 2').toBe(2);
    const v1Again = await client.data(
      'GET',
      `/api/models/${model.id}`,
      {},
      'GET of version 1 after retraining',
    );
    expect(v1Again.version, 'version 1 must survive retraining').toBe(1);

    const archived = await client.data(
      'POST',
      `/api/models/${model.id}/promote`,
      { json: { stage: 'archived' } },
      'archive',
    );
    expect(archived.stage, 'promote to archived must be stored').toBe('archived');
  });

  test('promote moves the named version only, and the detector scores with it', async () => {
    const { helper, client } = it;
    const { detector, training: v1 } = await helper.trainedDetector({
      algorithm: 'zscore',
      parameters: { contamination: 0.05 },
    });
    const points = featureRows(sampleDataset(11, 40), FEATURES);
    const v1Predictions = await helper.predict(detector.id, points);
    // A second version with another contamination: its threshold, so its flags, differ.
    await client.data(
      'PUT',
      `/api/detectors/${detector.id}`,
      { json: { parameters: { contamination: 0.3 } }, expected: 200 },
      'PUT of new detector parameters must answer 200',
    );
    const v2 = await helper.train(detector.id);
    const v2Predictions = await helper.predict(detector.id, points);
    expect(v2Predictions, 'precondition: the two versions must predict differently').not.toEqual(
      v1Predictions,
    );
    for (const id of [v1.model_id, v2.model_id])
      await client.data('POST', `/api/models/${id}/register`, { expected: 200 }, 'register must answer 200');

    const promoted = await client.data(
      'POST',
      `/api/models/${v1.model_id}/promote`,
      { json: { stage: 'production' }, expected: 200 },
      'promote must answer 200',
    );
    expect(
      { id: promoted.id, stage: promoted.stage },
      'promote answers with the named model in production',
    ).toEqual({ id: v1.model_id, stage: 'production' });
    const [first, second] = await Promise.all(
      [v1.model_id, v2.model_id].map((id) => client.data('GET', `/api/models/${id}`, { expected: 200 })),
    );
    expect({ version: first.version, stage: first.stage }, 'version 1 must be stored in production').toEqual({
      version: 1,
      stage: 'production',
    });
    expect(
      { version: second.version, stage: second.stage },
      'promoting version 1 must not change the stage of version 2 (staging)',
    ).toEqual({ version: 2, stage: 'staging' });
    const reread = await client.data('GET', `/api/detectors/${detector.id}`, { expected: 200 });
    expect(reread.model_id, 'after promote the detector must point at the promoted model').toBe(v1.model_id);
    expect(
      await helper.predict(detector.id, points),
      'after promote the detector must score with the promoted version 1',
    ).toEqual(v1Predictions);
  });

  test('import refuses documents that are not models', async () => {
    const { client } = it;
    for (const [what, body] of [
      ['an empty object', {}],
      [
        'an unknown format version',
        {
          format_version: 999,
          algorithm: 'zscore',
          parameters: {},
          feature_count: 3,
          threshold: 0.5,
          state: {},
        },
      ],
      [
        'an unknown algorithm',
        { format_version: 1, algorithm: 'nope', parameters: {}, feature_count: 3, threshold: 0.5, state: {} },
      ],
      [
        'a truncated state',
        {
          format_version: 2,
          algorithm: 'zscore',
          parameters: {},
          feature_count: 3,
          threshold: 0.5,
          state: null,
        },
      ],
    ] as const) {
      const res = await client.post('/api/models/import', body);
      expectStatus(res, [400, 422], `import of ${what} must be refused with 400/422`);
    }
  });
});
