/**
 * api-workflows / model monitoring: drift of the inputs predict scored, latency and counts,
 * explanations, deployments and their health, A/B tests and alert rules.
 *
 * Faults this file catches:
 * - drift not growing when predict is fed shifted inputs, or reported for in-distribution ones;
 *   drift over older inputs than the latest 1,000; scored inputs never trimmed (checked by
 *   faults/catalog/api-workflows.ts: api-drift-ignores-recent, api-drift-oldest-inputs,
 *   api-inputs-never-trimmed)
 * - predict calls not counted (requests, predictions, failures) or their latency missing
 * - an explanation whose contributions do not single out the feature pushed out of range
 *   (api-explain-constant)
 * - deploy not answering 201 / not stored; health not naming the deployment
 * - A/B traffic not split as configured, or a point scored by the other arm's model (api-ab-split-ignored)
 * - alert rules not stored as sent; bad metrics accepted
 * - someone else's model, or an unknown one, answered instead of 404
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectError, expectStatus } from '../fixtures/http-client.ts';
import type { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { FEATURES, featureRows, sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';

/** Fixed seeds: the KS statistics below are deterministic for these tables (in-distribution ones sit well under the critical value). */
const TRAIN_SEED = 4242;

describe('model monitoring', { tags: ['api', 'integration', 'workflows'] }, () => {
  const db = useServiceDatabase();

  async function trainedOnFixedData(
    helper: IntegrationHelper,
    algorithm = 'isolation_forest',
    parameters = { contamination: 0.05 },
  ) {
    const dataset = await helper.uploadCsv(toCsv(sampleDataset(TRAIN_SEED)), { targetColumn: 'label' });
    return helper.trainedDetector({ dataset, algorithm, parameters });
  }

  test('drift: low for in-distribution inputs, grows with shifted ones, per feature', async ({
    helper,
    client,
  }) => {
    const { detector, training } = await trainedOnFixedData(helper, 'zscore');
    const neighbour = await trainedOnFixedData(helper, 'zscore');
    const path = `/api/models/${training.model_id}/monitoring/drift`;

    const before = await client.data('GET', path, { expected: 200 }, 'drift before any predict: 200');
    expect(
      { recent: before.recent_samples, score: before.drift_score, detected: before.data_drift.detected },
      'with no scored inputs there is nothing to compare: 0 samples, drift_score null, not detected',
    ).toEqual({ recent: 0, score: null, detected: false });

    const inDistribution = featureRows(sampleDataset(202, 300), FEATURES);
    await helper.predict(detector.id, inDistribution);
    const calm = await client.data('GET', path, { expected: 200 }, 'drift after in-distribution inputs');
    expect(calm.recent_samples, 'drift compares the 300 inputs predict scored').toBe(300);
    expect(calm.training_samples, 'drift compares against the 1,000 training rows').toBe(1000);
    expect(calm.drift_score, 'in-distribution inputs must give a small KS drift score').toBeLessThan(0.15);
    expect(calm.data_drift.drifted_features, 'no feature drifts for in-distribution inputs').toEqual([]);
    for (const feature of FEATURES) {
      const f = calm.data_drift.features[feature];
      expect(f.ks_statistic, `${feature}: KS statistic in [0, 0.15) for in-distribution inputs`).toBeLessThan(
        0.15,
      );
      expect(f.psi, `${feature}: PSI small for in-distribution inputs`).toBeLessThan(0.1);
    }

    // Fresh rows of the same distribution, with feature2 moved by +3 standard deviations.
    const shifted = featureRows(sampleDataset(203, 300), FEATURES).map((row) => ({
      ...row,
      feature2: row.feature2 + 3,
    }));
    await helper.predict(detector.id, shifted);
    const drifted = await client.data('GET', path, { expected: 200 }, 'drift after shifted inputs');
    expect(drifted.recent_samples, 'the shifted inputs join the window').toBe(600);
    expect(drifted.drift_score, 'shifted inputs must raise the drift score').toBeGreaterThan(0.3);
    expect(drifted.drift_score, 'the drift score must grow after shifted inputs').toBeGreaterThan(
      calm.drift_score,
    );
    expect(drifted.data_drift.drifted_features, 'exactly the shifted feature drifts').toEqual(['feature2']);
    expect(drifted.data_drift.detected, 'data drift must be detected').toBe(true);
    expect(
      drifted.data_drift.features.feature2.psi,
      'the PSI of the shifted feature must be large',
    ).toBeGreaterThan(0.5);
    expect(drifted.concept_drift, 'concept drift compares anomaly rates').toMatchObject({
      training_anomaly_rate: 0.05,
      detected: expect.any(Boolean),
    });

    const stored = await db.modelScoring(training.model_id);
    expect(
      stored.calls.map((c) => c.rows),
      'each predict call is recorded with its row count',
    ).toEqual([300, 300]);
    expect(stored.inputs, 'the 600 scored inputs are kept for drift').toBe(600);
    const other = await client.data('GET', `/api/models/${neighbour.training.model_id}/monitoring/drift`, {
      expected: 200,
    });
    expect(other.recent_samples, "another model's drift must not see these inputs").toBe(0);
  });

  test('drift reads only the latest 1,000 inputs: older shifted ones fall out of the window', async ({
    helper,
    client,
  }) => {
    const { detector, training } = await trainedOnFixedData(helper, 'zscore');
    const path = `/api/models/${training.model_id}/monitoring/drift`;
    const shifted = featureRows(sampleDataset(301, 400), FEATURES).map((row) => ({
      ...row,
      feature2: row.feature2 + 3,
    }));
    await helper.predict(detector.id, shifted);
    const drifted = await client.data('GET', path, { expected: 200 }, 'drift after 400 shifted inputs');
    expect(drifted.data_drift.drifted_features, 'the shifted feature drifts').toEqual(['feature2']);

    // 1,000 newer in-distribution inputs in a large call and a small one (small calls are trimmed
    // only now and then, so the older shifted inputs may still be stored): the window is these.
    const calm = featureRows(sampleDataset(302, 2000), FEATURES);
    await helper.predict(detector.id, calm.slice(0, 980));
    await helper.predict(detector.id, calm.slice(980, 1000));
    const after = await client.data('GET', path, { expected: 200 }, 'drift after 1,000 newer inputs');
    expect(after.recent_samples, 'the window is the latest 1,000 inputs').toBe(1000);
    expect(after.data_drift.drifted_features, 'the older shifted inputs are out of the window').toEqual([]);

    await helper.predict(detector.id, calm.slice(1000));
    const stored = await db.modelScoring(training.model_id);
    expect(
      stored.calls.map((c) => c.rows),
      'every call is recorded with its rows',
    ).toEqual([400, 980, 20, 1000]);
    expect(stored.inputs, 'a call of 1,000 rows leaves only its own inputs stored').toBe(1000);
  });

  test('monitoring/performance counts predict calls, rows, anomalies, failures and latency', async ({
    helper,
    client,
  }) => {
    const { detector, training } = await trainedOnFixedData(helper, 'zscore');
    const path = `/api/models/${training.model_id}/monitoring/performance`;
    const empty = await client.data('GET', path, { expected: 200 }, 'performance before any predict: 200');
    expect(
      { requests: empty.throughput_metrics.requests, mean: empty.latency_metrics.mean_ms },
      'no calls yet: 0 requests, no latency',
    ).toEqual({ requests: 0, mean: null });

    let anomalies = 0;
    for (const [seed, n] of [
      [1, 5],
      [2, 10],
      [3, 20],
    ]) {
      const rows = featureRows(sampleDataset(seed, n, 0.2), FEATURES);
      anomalies += (await helper.predict(detector.id, rows)).filter((p) => p.is_anomaly).length;
    }
    const refused = await client.post(`/api/detection/predict/${detector.id}`, { data: [{ feature1: 1 }] });
    expectError(refused, 422, 'VALIDATION_ERROR', 'predict with missing features is refused');

    const perf = await client.data('GET', path, { expected: 200 }, 'performance after predicts: 200');
    expect(perf.model_id, 'the answer names the model').toBe(training.model_id);
    expect(perf.throughput_metrics, 'requests, rows and anomalies of the calls').toMatchObject({
      requests: 4,
      predictions: 35,
      anomalies,
    });
    expect(perf.error_metrics, 'the refused call counts as 1 failure of 4').toEqual({
      failed_requests: 1,
      error_rate: 0.25,
    });
    const l = perf.latency_metrics;
    for (const k of ['mean_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms'])
      expect(l[k], `latency ${k} is a non-negative number`).toBeGreaterThanOrEqual(0);
    expect(l.p50_ms <= l.p99_ms && l.p99_ms <= l.max_ms, 'latency percentiles are ordered').toBe(true);
    const stored = await db.modelScoring(training.model_id);
    expect(
      stored.calls.map((c) => [c.rows, c.failed]),
      'the calls are stored in order, the refused one as failed',
    ).toEqual([
      [5, false],
      [10, false],
      [20, false],
      [0, true],
    ]);
  });

  test('explain: the feature pushed out of range dominates the contributions', async ({ helper, client }) => {
    const { training } = await trainedOnFixedData(helper, 'isolation_forest');
    const path = `/api/models/${training.model_id}/explain`;
    const outlier = { feature1: 0.1, feature2: 7, feature3: -0.2 };
    const local = await client.data(
      'POST',
      path,
      { json: { data: outlier }, expected: 200 },
      'explain a point: 200',
    );
    expect(local.explanation_type, 'a point gives a local explanation').toBe('local');
    const c = local.contributions;
    expect(Object.keys(c).sort(), 'one contribution per model feature').toEqual([...FEATURES]);
    expect(local.top_features[0], 'feature2 (pushed to 7) must be the top feature').toBe('feature2');
    expect(c.feature2, 'feature2 must push the score up').toBeGreaterThan(0);
    expect(c.feature2, 'feature2 must contribute over 3x as much as any other feature').toBeGreaterThan(
      3 * Math.max(Math.abs(c.feature1), Math.abs(c.feature3)),
    );
    expect(local.anomaly_score, 'the point is scored above the reference').toBeGreaterThan(
      local.reference_score,
    );

    const other = await client.data(
      'POST',
      path,
      { json: { data: { feature1: -6, feature2: 0.1, feature3: 0 } }, expected: 200 },
      'explain another point',
    );
    expect(other.top_features[0], 'the explanation follows the point: feature1 now dominates').toBe(
      'feature1',
    );

    const global = await client.data(
      'POST',
      path,
      { json: { explanation_type: 'global', sample_size: 50 }, expected: 200 },
      'global explanation: 200',
    );
    const sum = FEATURES.reduce((s, f) => s + global.feature_importance[f], 0);
    expect(sum, 'global feature importance sums to 1').toBeCloseTo(1, 9);
    expect(global.sample_size, 'global explanation uses the asked sample of training rows').toBe(50);
    expect(Array.isArray(global.explanation_plots), 'explanation_plots is a list').toBe(true);

    expectError(
      await client.post(path, { data: { feature1: 1 } }),
      422,
      'VALIDATION_ERROR',
      'explain of a point missing features',
    );
    expectError(
      await client.post(path, { explanation_type: 'local' }),
      422,
      'VALIDATION_ERROR',
      'a local explanation without a point',
    );
  });

  test('deploy answers 201 and health names the deployment', async ({ helper, client }) => {
    const { training } = await trainedOnFixedData(helper, 'zscore');
    const other = await trainedOnFixedData(helper, 'zscore');
    const health = `/api/models/${training.model_id}/health`;
    const before = await client.data('GET', health, { expected: 200 }, 'health before deploy: 200');
    expect({ status: before.status, deployment: before.deployment }, 'not deployed yet').toEqual({
      status: 'not_deployed',
      deployment: null,
    });
    const deployment = await client.data(
      'POST',
      `/api/models/${training.model_id}/deploy`,
      { json: { deployment_target: 'production', scaling_config: { min_replicas: 2 } }, expected: 201 },
      'deploy is a create: 201',
    );
    expect(deployment, 'the deployment as asked').toMatchObject({
      id: expect.stringMatching(UUID),
      model_id: training.model_id,
      deployment_target: 'production',
      status: 'deployed',
      configuration: { scaling_config: { min_replicas: 2 } },
    });
    const after = await client.data('GET', health, { expected: 200 }, 'health after deploy: 200');
    expect(after.status, 'a deployed model that loads is healthy').toBe('healthy');
    expect(after.deployment?.id, 'health names the latest deployment').toBe(deployment.id);
    expect(typeof after.performance_metrics.requests, 'health carries performance_metrics').toBe('number');
    expect(after.resource_usage.model_document_bytes, 'health carries resource_usage').toBeGreaterThan(0);
    const stored = await db.modelRecord(deployment.id);
    expect(stored, 'the deployment is stored').toMatchObject({
      kind: 'deployment',
      model_id: training.model_id,
      body: { deployment_target: 'production', status: 'deployed' },
    });
    const neighbour = await client.data('GET', `/api/models/${other.training.model_id}/health`, {
      expected: 200,
    });
    expect(neighbour.status, 'another model stays not deployed').toBe('not_deployed');
    expectError(
      await client.post(`/api/models/${training.model_id}/deploy`, { deployment_target: '' }),
      422,
      'VALIDATION_ERROR',
      'deploy with an empty target',
    );
  });

  test('A/B test: points are split exactly by traffic_split and scored by their arm', async ({
    helper,
    client,
  }) => {
    const control = await trainedOnFixedData(helper, 'zscore');
    const treatment = await trainedOnFixedData(helper, 'isolation_forest');
    const created = await client.data(
      'POST',
      '/api/models/ab-test/create',
      {
        json: {
          test_name: helper.name('ab'),
          control_model_id: control.training.model_id,
          treatment_model_id: treatment.training.model_id,
          traffic_split: { control: 0.7, treatment: 0.3 },
        },
        expected: 201,
      },
      'creating an A/B test: 201',
    );
    expect(created, 'the test as created').toMatchObject({
      status: 'running',
      traffic_split: { control: 0.7, treatment: 0.3 },
      routed: 0,
      results: { control: { requests: 0 }, treatment: { requests: 0 } },
    });
    const points = featureRows(sampleDataset(99, 10, 0.3), FEATURES);
    const routed = await client.data(
      'POST',
      `/api/models/ab-test/${created.id}/predict`,
      { json: { data: points }, expected: 200 },
      'predict through an A/B test: 200',
    );
    const arms = routed.predictions.map((p: any) => p.arm);
    expect(arms.filter((a: string) => a === 'treatment').length, '30% of 10 points go to treatment').toBe(3);
    const byArm = { control: control.detector.id, treatment: treatment.detector.id };
    for (const [i, p] of routed.predictions.entries()) {
      const [own] = await helper.predict(byArm[p.arm as 'control' | 'treatment'], [points[i]]);
      expect(p.anomaly_score, `point ${i} must be scored by the ${p.arm} model`).toBe(own.anomaly_score);
    }
    await client.data('POST', `/api/models/ab-test/${created.id}/predict`, {
      json: { data: points },
      expected: 200,
    });
    const results = await client.data(
      'GET',
      `/api/models/ab-test/${created.id}`,
      { expected: 200 },
      'read an A/B test',
    );
    expect(
      [results.results.control.requests, results.results.treatment.requests, results.routed],
      'after 20 points: 14 control, 6 treatment',
    ).toEqual([14, 6, 20]);
    const stored = await db.modelRecord(created.id);
    expect(stored?.body.routed, 'the routed count is stored').toBe(20);

    const base = { test_name: helper.name('ab'), control_model_id: control.training.model_id };
    expectError(
      await client.post('/api/models/ab-test/create', {
        ...base,
        treatment_model_id: control.training.model_id,
      }),
      422,
      'VALIDATION_ERROR',
      'an A/B test of a model against itself',
    );
    expectError(
      await client.post('/api/models/ab-test/create', {
        ...base,
        treatment_model_id: treatment.training.model_id,
        traffic_split: { control: 0.5, treatment: 0.6 },
      }),
      422,
      'VALIDATION_ERROR',
      'a traffic split that does not sum to 1',
    );
    expectError(
      await client.get(`/api/models/ab-test/${control.training.model_id}`),
      404,
      'NOT_FOUND',
      'a model id is not an A/B test id',
    );
  });

  test('alerts/create stores the rule as sent (201); bad rules are 422', async ({ helper, client }) => {
    const { training } = await trainedOnFixedData(helper, 'zscore');
    const rule = {
      alert_name: helper.name('alert'),
      model_id: training.model_id,
      alert_conditions: [
        { metric: 'error_rate', threshold: 0.02, comparison: 'greater_than', duration_minutes: 5 },
        { metric: 'latency_p99', threshold: 150, comparison: 'greater_than', duration_minutes: 3 },
      ],
      notification_channels: ['email', 'webhook'],
    };
    const alert = await client.data(
      'POST',
      '/api/models/alerts/create',
      { json: rule, expected: 201 },
      'alert: 201',
    );
    expect(alert, 'the alert as sent').toMatchObject({
      ...rule,
      status: 'active',
      id: expect.stringMatching(UUID),
    });
    const stored = await db.modelRecord(alert.id);
    expect(stored?.body.alert_conditions, 'the conditions are stored').toEqual(rule.alert_conditions);
    for (const [what, body] of [
      [
        'an unknown metric',
        { ...rule, alert_conditions: [{ metric: 'mood', threshold: 1, comparison: 'greater_than' }] },
      ],
      ['no conditions', { ...rule, alert_conditions: [] }],
      [
        'a bad comparison',
        { ...rule, alert_conditions: [{ metric: 'error_rate', threshold: 1, comparison: 'about' }] },
      ],
    ] as const)
      expectError(
        await client.post('/api/models/alerts/create', body),
        422,
        'VALIDATION_ERROR',
        `an alert with ${what}`,
      );
  });

  test("someone else's or an unknown model is 404 on every monitoring route", async ({ helper, client }) => {
    const { training } = await trainedOnFixedData(helper, 'zscore');
    const foreign = await db.foreignModelCopy(training.model_id);
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    for (const id of [foreign, unknown]) {
      for (const [method, path, body] of [
        ['GET', `/api/models/${id}/monitoring/drift`],
        ['GET', `/api/models/${id}/monitoring/performance`],
        ['POST', `/api/models/${id}/explain`, { data: { feature1: 0, feature2: 0, feature3: 0 } }],
        ['POST', `/api/models/${id}/deploy`, {}],
        ['GET', `/api/models/${id}/health`],
        ['GET', `/api/model-lineage/${id}`],
        [
          'POST',
          '/api/models/alerts/create',
          {
            alert_name: 'x',
            model_id: id,
            alert_conditions: [{ metric: 'error_rate', threshold: 1, comparison: 'less_than' }],
          },
        ],
      ] as const) {
        const res = await client.request(method, path, body ? { json: body } : {});
        expectError(
          res,
          404,
          'NOT_FOUND',
          `${method} ${path} of ${id === foreign ? "someone else's" : 'an unknown'} model`,
        );
      }
    }
    expectStatus(
      await client.get('/api/models/not-a-uuid/health'),
      [404, 422],
      'a non-UUID model id is 404 or 422 (never 500)',
    );
  });
});
