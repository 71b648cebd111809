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
 * - register dropping the given name or semantic version (api-register-drops-name), a duplicate
 *   name+version accepted, a malformed version accepted
 * - an export record without a working download_url, or the bare export no longer the document
 * - lineage naming the wrong dataset or parent (api-lineage-no-parent)
 * - a comparison whose metrics differ from the models' own validation, or that is not stored
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectError, expectStatus } from '../fixtures/http-client.ts';
import { importAndScore } from '../fixtures/models.ts';
import { FEATURES, featureRows, sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';

describe('model lifecycle', { tags: ['api', 'integration', 'workflows'] }, () => {
  const db = useServiceDatabase();

  test('register → promote → export → import scores identically', async ({ helper, client }) => {
    const { detector, training } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const model = await client.data('GET', `/api/models/${training.model_id}`, {}, 'GET of a trained model');
    expect(model.id, 'GET /api/models/{id} must return that model').toBe(training.model_id);
    expect(model.detector_id, 'the model must name its detector').toBe(detector.id);
    expect(model.algorithm, 'the model must name its algorithm').toBe('isolation_forest');
    expect(model.version, 'the first model of a detector is version "1.0.0" (a string)').toBe('1.0.0');
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
    expect(second.version, 'retraining must create version "2.0.0"').toBe('2.0.0');
    const v1Again = await client.data(
      'GET',
      `/api/models/${model.id}`,
      {},
      'GET of version 1 after retraining',
    );
    expect(v1Again.version, 'version 1.0.0 must survive retraining').toBe('1.0.0');

    const archived = await client.data(
      'POST',
      `/api/models/${model.id}/promote`,
      { json: { stage: 'archived' } },
      'archive',
    );
    expect(archived.stage, 'promote to archived must be stored').toBe('archived');
  });

  test('promote moves the named version only, and the detector scores with it', async ({
    helper,
    client,
  }) => {
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
      version: '1.0.0',
      stage: 'production',
    });
    expect(
      { version: second.version, stage: second.stage },
      'promoting version 1 must not change the stage of version 2 (staging)',
    ).toEqual({ version: '2.0.0', stage: 'staging' });
    const reread = await client.data('GET', `/api/detectors/${detector.id}`, { expected: 200 });
    expect(reread.model_id, 'after promote the detector must point at the promoted model').toBe(v1.model_id);
    expect(
      await helper.predict(detector.id, points),
      'after promote the detector must score with the promoted version 1',
    ).toEqual(v1Predictions);
  });

  test('import refuses documents that are not models', async ({ client }) => {
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

  test('register keeps the given name and semantic version; a duplicate pair is 409, a bad version 422', async ({
    helper,
    client,
  }) => {
    const { detector, training } = await helper.trainedDetector({ algorithm: 'zscore' });
    const second = await helper.train(detector.id);
    const name = helper.name('registry');
    const registered = await client.data(
      'POST',
      `/api/models/${training.model_id}/register`,
      { json: { name, version: '1.0.0', description: 'baseline', tags: ['baseline'] }, expected: 200 },
      'register with a name and version: 200',
    );
    expect(registered, 'register answers the name, version and stage').toMatchObject({
      name,
      version: '1.0.0',
      stage: 'staging',
      description: 'baseline',
      tags: ['baseline'],
    });
    const reread = await client.data('GET', `/api/models/${training.model_id}`, { expected: 200 });
    expect(
      { name: reread.name, version: reread.version },
      'GET returns the registered name and version',
    ).toEqual({
      name,
      version: '1.0.0',
    });
    expect(await db.modelRegistry(training.model_id), 'the registry entry is stored').toMatchObject({
      name,
      semver: '1.0.0',
      tags: ['baseline'],
    });
    expect(
      (await client.data('GET', `/api/models/${second.model_id}`, { expected: 200 })).version,
      'the unregistered neighbour keeps its own version string',
    ).toBe('2.0.0');

    expectError(
      await client.post(`/api/models/${second.model_id}/register`, { name, version: '1.0.0' }),
      409,
      'CONFLICT',
      'registering a second model under the same name and version',
    );
    expectError(
      await client.post(`/api/models/${second.model_id}/register`, { name, version: '1.1' }),
      422,
      'VALIDATION_ERROR',
      'a version that is not semantic (1.1)',
    );
    expect(
      await db.modelRegistry(second.model_id),
      'refused registrations leave the model unnamed',
    ).toMatchObject({
      name: null,
      semver: null,
    });
    const next = await client.data(
      'POST',
      `/api/models/${second.model_id}/register`,
      { json: { name, version: '1.1.0' }, expected: 200 },
      'the next version under the same name: 200',
    );
    expect(next.version, 'the new version is kept as a string').toBe('1.1.0');
    const first = await client.data('GET', `/api/models/${training.model_id}`, { expected: 200 });
    expect(first.version, 'registering 1.1.0 leaves 1.0.0 as it was').toBe('1.0.0');
  });

  test('export with a format answers an export record whose download_url serves the document', async ({
    helper,
    client,
  }) => {
    const { training } = await helper.trainedDetector({ algorithm: 'zscore' });
    const document = await client.data(
      'POST',
      `/api/models/${training.model_id}/export`,
      { expected: 200 },
      'export without a format still answers the document (200)',
    );
    for (const format of ['json', 'pickle']) {
      const record = await client.data(
        'POST',
        `/api/models/${training.model_id}/export`,
        { json: { format, include_metadata: true }, expected: 201 },
        `export with format ${format} creates an export record: 201`,
      );
      expect(record, 'the export record fields').toMatchObject({
        export_id: expect.stringMatching(UUID),
        model_id: training.model_id,
        format,
        download_url: `/api/models/exports/${record.export_id}/download`,
      });
      const download = await client.get(record.download_url);
      expectStatus(download, 200, 'the download_url must serve the export');
      expect(download.body, 'the download is the portable document, as the bare export').toEqual(document);
      expect(await db.modelRecord(record.export_id), 'the export is stored').toMatchObject({
        kind: 'export',
        model_id: training.model_id,
        body: { format },
      });
    }
    expectError(
      await client.post(`/api/models/${training.model_id}/export`, { format: 'onnx' }),
      422,
      'VALIDATION_ERROR',
      'an unknown export format',
    );
    expectError(
      await client.get(`/api/models/exports/${training.model_id}/download`),
      404,
      'NOT_FOUND',
      'a download of an unknown export',
    );
  });

  test('lineage names the training dataset, the parameters and the parent version', async ({
    helper,
    client,
  }) => {
    const { dataset, detector, training: v1 } = await helper.trainedDetector({ algorithm: 'zscore' });
    const v2 = await helper.train(detector.id);
    const other = await helper.trainedDetector({ algorithm: 'zscore' });
    const lineage = await client.data(
      'GET',
      `/api/model-lineage/${v2.model_id}`,
      { expected: 200 },
      'lineage: 200',
    );
    expect(lineage.model_id, 'lineage names the model').toBe(v2.model_id);
    expect(lineage.training_dataset, 'lineage names the training dataset').toMatchObject({
      id: dataset.id,
      name: dataset.name,
    });
    expect(lineage.parent_model?.id, 'the parent of version 2 is version 1').toBe(v1.model_id);
    expect(lineage.model_dependencies, 'the parent is the dependency').toEqual([
      { model_id: v1.model_id, relation: 'parent' },
    ]);
    expect(lineage.parameters.contamination, 'lineage carries the parameters').toBe(0.05);
    expect(lineage.feature_lineage, 'features come from the dataset').toEqual({
      source_dataset_id: dataset.id,
      feature_columns: [...FEATURES],
    });
    const root = await client.data('GET', `/api/model-lineage/${v1.model_id}`, { expected: 200 });
    expect(
      { parent: root.parent_model, dependencies: root.model_dependencies },
      'version 1 has no parent',
    ).toEqual({ parent: null, dependencies: [] });
    const neighbour = await client.data('GET', `/api/model-lineage/${other.training.model_id}`, {
      expected: 200,
    });
    expect(neighbour.training_dataset.id, "another detector's model names its own dataset").toBe(
      other.dataset.id,
    );
    expect(await db.modelRegistry(v2.model_id), 'lineage is stored with the model').toMatchObject({
      dataset_id: dataset.id,
      parent_model_id: v1.model_id,
    });
  });

  test('compare scores two models on a labelled dataset, stores the comparison and reads it back', async ({
    helper,
    client,
  }) => {
    const baseline = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const candidate = await helper.trainedDetector({
      dataset: baseline.dataset,
      algorithm: 'zscore',
      parameters: { contamination: 0.3 },
    });
    const body = {
      baseline_model_id: baseline.training.model_id,
      candidate_model_id: candidate.training.model_id,
      test_dataset_id: baseline.dataset.id,
      comparison_metrics: ['accuracy', 'precision', 'recall', 'f1_score'],
      statistical_tests: ['mcnemar_test'],
    };
    const comparison = await client.data(
      'POST',
      '/api/models/compare',
      { json: body, expected: 201 },
      'compare: 201',
    );
    const [bv, cv] = [
      await helper.validate(baseline.detector.id),
      await helper.validate(candidate.detector.id),
    ];
    const pick = (m: { accuracy: number; precision: number; recall: number; f1_score: number }) => ({
      accuracy: m.accuracy,
      precision: m.precision,
      recall: m.recall,
      f1_score: m.f1_score,
    });
    expect(comparison.baseline_metrics, "baseline metrics equal the baseline's own validation").toEqual(
      pick(bv.metrics),
    );
    expect(comparison.candidate_metrics, "candidate metrics equal the candidate's own validation").toEqual(
      pick(cv.metrics),
    );
    expect(comparison.metric_differences.precision, 'differences are candidate minus baseline').toBeCloseTo(
      cv.metrics.precision - bv.metrics.precision,
      12,
    );
    const test = comparison.statistical_significance.mcnemar_test;
    expect(test.p_value >= 0 && test.p_value <= 1, 'McNemar p-value in [0, 1]').toBe(true);
    expect(
      comparison.recommendation,
      'contamination 0.3 on 5% anomalies flags many normals: keep the baseline',
    ).toBe('keep_baseline');
    const reread = await client.data('GET', `/api/models/comparisons/${comparison.id}`, { expected: 200 });
    expect(reread, 'the stored comparison reads back as answered').toEqual(comparison);
    expect((await db.modelRecord(comparison.id))?.kind, 'the comparison is stored').toBe('comparison');

    const unlabelled = await helper.uploadCsv(toCsv(featureRows(sampleDataset(5, 100), FEATURES)));
    expectError(
      await client.post('/api/models/compare', { ...body, test_dataset_id: unlabelled.id }),
      422,
      'VALIDATION_ERROR',
      'comparing on a dataset without labels',
    );
    expectError(
      await client.post('/api/models/compare', { ...body, comparison_metrics: ['vibes'] }),
      422,
      'VALIDATION_ERROR',
      'an unknown comparison metric',
    );
    const foreign = await db.foreignModelCopy(candidate.training.model_id);
    expectError(
      await client.post('/api/models/compare', { ...body, candidate_model_id: foreign }),
      404,
      'NOT_FOUND',
      "comparing with someone else's model",
    );
    expectError(
      await client.get(`/api/models/comparisons/${baseline.training.model_id}`),
      404,
      'NOT_FOUND',
      'an unknown comparison',
    );
  });
});
