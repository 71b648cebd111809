/**
 * regression / response shapes of every endpoint against the OpenAPI document, and error
 * envelope consistency.
 *
 * Faults this file catches:
 * - an endpoint of the contract missing from GET /api/openapi.json (removed or renamed route)
 * - a response whose body does not match the schema documented for its status (field renamed,
 *   removed, retyped, envelope dropped, wrong format such as a non-UUID id or non-ISO timestamp)
 *   (checked by faults/catalog.ts: reg-timestamp-not-iso)
 * - a status the document does not declare
 * - error answers that differ in shape between routes (envelope inconsistency)
 */
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, type ApiResponse, login, unwrap } from '../fixtures/http-client.ts';
import { IntegrationHelper } from '../fixtures/integration-helper.ts';
import { OpenApiValidator } from '../fixtures/openapi.ts';
import { RecordingClient } from '../fixtures/recording-client.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';
import { AUTH_OPERATIONS, CONTRACT_OPERATIONS, normalise } from './operations.ts';

/** The registry, monitoring and performance routes of a trained model (and an imported one). */
async function exerciseModelRegistry(
  client: RecordingClient,
  helper: IntegrationHelper,
  model: string,
  other: string,
  datasetId: string,
): Promise<void> {
  const point = { feature1: 0, feature2: 0, feature3: 0 };
  const record = await client.post(`/api/models/${model}/export`, { format: 'json' });
  await client.get(record.body.data?.download_url ?? '/api/models/exports/missing/download');
  const comparison = await client.post('/api/models/compare', {
    baseline_model_id: model,
    candidate_model_id: other,
    test_dataset_id: datasetId,
  });
  await client.get(`/api/models/comparisons/${comparison.body.data?.id}`);
  await client.get(`/api/model-lineage/${model}`);
  await client.get(`/api/models/${model}/monitoring/drift`);
  await client.get(`/api/models/${model}/monitoring/performance`);
  await client.post(`/api/models/${model}/explain`, { data: point });
  await client.post(`/api/models/${model}/deploy`, { deployment_target: 'production' });
  await client.get(`/api/models/${model}/health`);
  const ab = await client.post('/api/models/ab-test/create', {
    test_name: helper.name('shape'),
    control_model_id: model,
    treatment_model_id: other,
  });
  await client.post(`/api/models/ab-test/${ab.body.data?.id}/predict`, { data: [point, point] });
  await client.get(`/api/models/ab-test/${ab.body.data?.id}`);
  await client.post('/api/models/alerts/create', {
    alert_name: helper.name('shape'),
    model_id: model,
    alert_conditions: [{ metric: 'error_rate', threshold: 0.1, comparison: 'greater_than' }],
  });
  await client.post('/api/performance/benchmark', {
    model_id: model,
    test_scenarios: [{ name: 'one', batch_size: 1, iterations: 3 }],
  });
  await client.post('/api/performance/compare', { model_ids: [model, other], test_dataset_id: datasetId });
  await client.get(`/api/performance/models/${model}/metrics`);
  await client.post(`/api/performance/models/${model}/optimize`, { max_trials: 2 });
}

/** Calls every operation of the contract at least once through `client`. */
async function exerciseEverything(client: RecordingClient, helper: IntegrationHelper): Promise<void> {
  await client.get('/');
  await client.get('/api/health');
  await client.get('/api/health/live');
  await client.get('/api/health/ready');
  await client.get('/api/openapi.json');
  const dataset = await helper.uploadSampleDataset();
  await client.get('/api/datasets', { query: { limit: 5, offset: 0 } });
  await client.get(`/api/datasets/${dataset.id}`);
  await client.put(`/api/datasets/${dataset.id}`, {
    name: helper.name('shape'),
    description: 'shapes',
    tags: ['regression'],
  });
  await client.get(`/api/datasets/${dataset.id}/stats`);
  await client.post(`/api/datasets/${dataset.id}/validate`);
  await client.get(`/api/datasets/${dataset.id}/data`, { query: { limit: 3 } });
  await client.post(`/api/datasets/${dataset.id}/export`, { format: 'json' });
  await client.get('/api/detectors/algorithms');
  const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
  await client.get('/api/detectors', { query: { limit: 5 } });
  await client.get(`/api/detectors/${detector.id}`);
  await client.put(`/api/detectors/${detector.id}`, { name: helper.name('shape'), description: 'shapes' });
  const training = await helper.train(detector.id);
  await client.post(`/api/detection/predict/${detector.id}`, {
    data: [
      { feature1: 0, feature2: 0, feature3: 0 },
      { feature1: 9, feature2: 9, feature3: 9 },
    ],
  });
  await client.post(`/api/detection/validate/${detector.id}`, { dataset_id: dataset.id });
  await client.get(`/api/models/${training.model_id}`);
  await client.post(`/api/models/${training.model_id}/register`);
  await client.post(`/api/models/${training.model_id}/promote`, { stage: 'production' });
  const exported = await client.post(`/api/models/${training.model_id}/export`);
  const imported = await client.post('/api/models/import', exported.body.data);
  if (imported.status < 300 && imported.body.data?.detector_id)
    helper.track('detector', imported.body.data.detector_id);
  await exerciseModelRegistry(client, helper, training.model_id, imported.body.data?.id, dataset.id);

  const experiment = await helper.createExperiment(dataset.id, [{ name: 'zscore' }, { name: 'hbos' }], {
    folds: 2,
  });
  await client.post(`/api/experiments/${experiment.id}/run`);
  await expect
    .poll(
      async () =>
        (await helper.client.get(`/api/experiments/${experiment.id}/results`)).body?.data?.algorithm_results
          ?.length,
      { timeout: 90_000, interval: 500, message: 'experiment results' },
    )
    .toBe(2);
  await client.get(`/api/experiments/${experiment.id}/results`);
  await client.get(`/api/experiments/${experiment.id}/comparison`);
  await client.get(`/api/experiments/${experiment.id}/history`);
  await client.get('/api/experiments', { query: { limit: 5 } });
  await client.get(`/api/experiments/${experiment.id}`);
  await client.put(`/api/experiments/${experiment.id}/metadata`, { metadata: { owner: 'shapes' } });
  await client.post(`/api/experiments/${experiment.id}/export`, { format: 'json', include_models: true });

  const job = await client.post('/api/autonomous/automl/start', {
    job_name: helper.name('automl'),
    dataset_id: dataset.id,
    algorithms: ['zscore', 'hbos'],
    optimization_metric: 'roc_auc',
    max_trials: 2,
    max_duration_minutes: 1,
  });
  const jobId = job.body?.data?.id;
  await expect
    .poll(
      async () => (await helper.client.get(`/api/autonomous/automl/${jobId}/status`)).body?.data?.status,
      {
        timeout: 90_000,
        interval: 500,
        message: 'AutoML completion',
      },
    )
    .toMatch(/^(completed|failed)$/);
  await client.get(`/api/autonomous/automl/${jobId}/status`);
  await client.get(`/api/autonomous/automl/${jobId}/results`);
  const deployed = await client.post(`/api/autonomous/automl/${jobId}/deploy`, {
    model_name: helper.name('deployed'),
  });
  if (deployed.body?.data?.detector_id) helper.track('detector', deployed.body.data.detector_id);

  const session = await helper.createSession(detector.id);
  await client.post(`/api/streaming/sessions/${session.id}/start`);
  await client.post(`/api/streaming/sessions/${session.id}/process`, {
    data: { feature1: 9, feature2: 9, feature3: 9 },
  });
  await client.post(`/api/streaming/sessions/${session.id}/pause`);
  await client.post(`/api/streaming/sessions/${session.id}/resume`);
  await client.get(`/api/streaming/sessions/${session.id}/metrics`);
  await client.get(`/api/streaming/sessions/${session.id}/summary`);
  await client.get('/api/streaming/sessions', { query: { limit: 5 } });
  await client.post(`/api/streaming/sessions/${session.id}/alerts`, {
    name: 'shapes',
    threshold_value: 0.9,
    severity: 'high',
    notification_channels: ['email'],
  });
  await client.get(`/api/streaming/sessions/${session.id}/alerts`);
  await client.post(`/api/streaming/sessions/${session.id}/stop`);

  const event = await client.post('/api/events/create', {
    event_type: 'anomaly_detected',
    severity: 'high',
    title: 'regression suite event',
    description: 'created by the regression suite',
    detector_id: detector.id,
    anomaly_score: 0.97,
  });
  const eventId = event.body?.data?.id;
  await client.post('/api/events/query', { severities: ['high'], limit: 10 });
  await client.get('/api/events/summary');
  await client.post(`/api/events/${eventId}/acknowledge`, {});
  await client.post(`/api/events/${eventId}/resolve`, {});
  await client.post('/api/events/patterns', {
    name: helper.name('pattern'),
    pattern_type: 'frequency',
    conditions: { min_events: 2 },
  });
  await client.get('/api/events/patterns/detect', { query: { hours: 1 } });

  await client.delete(`/api/streaming/sessions/${session.id}`);
  await client.delete(`/api/experiments/${experiment.id}`);
  await client.delete(`/api/detectors/${detector.id}`);
  await client.delete(`/api/datasets/${dataset.id}`);
  for (const [kind, id] of [
    ['session', session.id],
    ['experiment', experiment.id],
    ['detector', detector.id],
    ['dataset', dataset.id],
  ] as const)
    helper.forget(kind, id);
}

async function exerciseAuth(client: RecordingClient): Promise<void> {
  const stack = useStack();
  const anonymous = client.withCredentials(null);
  const loginRes = await anonymous.post('/api/auth/login', {
    username: stack.admin.username,
    password: stack.admin.password,
  });
  const tokens = unwrap<{ access_token: string; refresh_token: string }>(loginRes, 200, 'login');
  const refreshed = await anonymous.post('/api/auth/refresh', { refresh_token: tokens.refresh_token });
  const admin = client.withCredentials({
    token: unwrap<{ access_token: string }>(refreshed, 200, 'refresh').access_token,
  });
  await admin.get('/api/auth/me');
  const username = `it-shape-${randomUUID().slice(0, 8)}`;
  await admin.post('/api/auth/register', {
    username,
    password: `Pw-${randomUUID()}`,
    role: 'viewer',
    email: `${username}@example.test`,
  });
  const key = await admin.post('/api/auth/api-keys', { name: `shape-${randomUUID().slice(0, 6)}` });
  await admin.delete(`/api/auth/api-keys/${key.body?.data?.id}`);
  const own = (await login(stack.httpUrl, stack.admin.username, stack.admin.password)).access_token;
  await client.withCredentials({ token: own }).post('/api/auth/logout');
}

describe('response shapes against the OpenAPI document', { tags: ['regression', 'api'] }, () => {
  test('every contract operation is documented, called, and answers as documented', async ({ stack }) => {
    const base = new ApiClient(stack.httpUrl);
    const validator = await OpenApiValidator.load(base);
    expect(validator.document.openapi, 'the document must be OpenAPI 3.1').toMatch(/^3\.1\./);

    const required = [...CONTRACT_OPERATIONS, ...(stack.authEnabled ? AUTH_OPERATIONS : [])];
    const documented = new Set(validator.operations().map((o) => normalise(o.method, o.template)));
    const undocumented = required.filter((op) => !documented.has(op));
    expect(undocumented, 'every operation of the contract must be in the OpenAPI document').toEqual([]);

    const token = stack.authEnabled
      ? (await login(stack.httpUrl, stack.admin.username, stack.admin.password)).access_token
      : null;
    const client = new RecordingClient(stack.httpUrl, token ? { token } : null);
    const helper = new IntegrationHelper(stack, client);
    try {
      await exerciseEverything(client, helper);
      if (stack.authEnabled) await exerciseAuth(client);
    } finally {
      const leftovers = await helper.cleanup();
      expect(leftovers, 'everything created for the shape checks must be deletable').toEqual([]);
    }

    const json = client.recorded.filter((r) => (r.headers['content-type'] ?? '').includes('json'));
    const problems = json.flatMap((res) =>
      validator.validate(res).map((p) => `${p} (request_id ${res.requestId})`),
    );
    // The first problems go into the message, so the first line of a failure names the field.
    expect(
      problems,
      `every response must match the schema documented for its operation and status: ${problems.slice(0, 3).join('; ')}`,
    ).toEqual([]);
    const failures = client.recorded.filter((r) => r.status >= 400);
    expect(
      failures.map((r) => `${r.method} ${r.path} → ${r.status}: ${r.text.slice(0, 200)}`),
      'the happy path must not meet errors',
    ).toEqual([]);
    const called = new Set(
      client.recorded
        .map((r) => validator.find(r.method, r.path))
        .filter((o) => o !== undefined)
        .map((o) => normalise(o.method, o.template)),
    );
    expect(
      required.filter((op) => !called.has(op)),
      'every contract operation must have been called',
    ).toEqual([]);
  });

  test('errors share one envelope on every route, matching the document', async ({ stack }) => {
    const token = stack.authEnabled
      ? (await login(stack.httpUrl, stack.admin.username, stack.admin.password)).access_token
      : null;
    const client = new RecordingClient(stack.httpUrl, token ? { token } : null);
    const validator = await OpenApiValidator.load(client);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const errors: ApiResponse[] = [
      await client.get(`/api/datasets/${unknown}`),
      await client.get(`/api/detectors/${unknown}`),
      await client.get(`/api/models/${unknown}`),
      await client.get(`/api/experiments/${unknown}/results`),
      await client.get(`/api/streaming/sessions/${unknown}/metrics`),
      await client.get(`/api/autonomous/automl/${unknown}/status`),
      await client.post(`/api/events/${unknown}/resolve`, {}),
      await client.post('/api/detectors/create', { name: '' }, { query: { dataset_id: unknown } }),
      await client.post('/api/experiments/create', { name: 'x' }),
      await client.post('/api/streaming/sessions', { name: 'x' }),
      await client.get('/api/datasets', { query: { limit: 100000 } }),
    ];
    for (const res of errors) {
      expect(res.status, `an error is expected: ${res.method} ${res.path}`).toBeGreaterThanOrEqual(400);
      expectCleanError(res, stack, `${res.method} ${res.path}`);
      const keys = Object.keys(res.body).sort();
      expect(keys, `${res.method} ${res.path}: the error envelope has exactly the documented keys`).toEqual(
        expect.arrayContaining(['detail', 'error', 'request_id', 'success']),
      );
    }
    const problems = errors.flatMap((res) => validator.validate(res));
    expect(problems, 'every error must match the schema the document declares for its status').toEqual([]);
  });
});
