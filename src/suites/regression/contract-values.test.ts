/**
 * regression / the exact status codes and the values the contract fixes, route family by route
 * family (response-shapes.test.ts checks types against the OpenAPI document; a value or a status
 * changed together with the document passes there, not here). Each test creates what it reads.
 *
 * Faults this file catches:
 * - a create answering 200 instead of 201 (checked by faults/catalog.ts: reg-detector-create-200),
 *   experiment run not 202 (checked by faults/catalog.ts: reg-experiment-run-200)
 * - a fixed value changed: status "created"/"uploaded"/"pending"/"completed"/"trained", stage
 *   "staging" (checked by faults/catalog.ts: reg-dataset-status-renamed)
 * - a field the contract names dropped together with its schema, so the OpenAPI check passes
 *   (checked by faults/catalog.ts: reg-root-version-dropped)
 * - list envelopes: {<items>, total, limit, offset}, default limit 50, max 500
 *   (checked by faults/catalog.ts: reg-list-offset-dropped, reg-default-limit-20)
 * - error envelopes: unknown id 404, bad body 422, with error.code, detail and request_id on
 *   every route family (checked by faults/catalog.ts: reg-not-found-code-renamed)
 */
import { describe, expect } from 'vitest';
import { type ApiResponse, describeResponse, expectStatus, unwrap } from '../fixtures/http-client.ts';
import { FEATURES } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, each checked.
type Json = Record<string, any>;

/** The fields the contract names, with their types: a missing or retyped one is named. */
function expectFields(value: Record<string, unknown>, fields: Record<string, string>, what: string): void {
  for (const [field, type] of Object.entries(fields)) {
    expect(value, `${what} must carry \`${field}\``).toHaveProperty(field);
    const actual = value[field];
    const kind = Array.isArray(actual) ? 'array' : actual === null ? 'null' : typeof actual;
    if (type === 'uuid') expect(String(actual), `${what}.${field} must be a UUID`).toMatch(UUID);
    else if (type === 'iso') expect(String(actual), `${what}.${field} must be ISO-8601`).toMatch(ISO);
    else if (type === 'integer')
      expect(Number.isInteger(actual), `${what}.${field} must be an integer, got ${actual}`).toBe(true);
    else expect(kind, `${what}.${field} must be of type ${type}`).toBe(type);
  }
}

/** The documented error envelope with an exact status and code. */
function expectError(res: ApiResponse, status: number, code: string, what: string): void {
  expectStatus(res, status, what);
  const body = res.body as Json;
  expect(body.success, `${what}: the error envelope has success false — ${describeResponse(res)}`).toBe(
    false,
  );
  expect(body.error?.code, `${what}: error.code — ${describeResponse(res)}`).toBe(code);
  expect(typeof body.error?.message, `${what}: error.message is a string`).toBe('string');
  expect(
    typeof body.detail === 'string' && body.detail.length > 0,
    `${what}: detail is a non-empty string`,
  ).toBe(true);
  expect(body.request_id, `${what}: request_id is the X-Request-ID of the answer`).toBe(
    res.headers['x-request-id'],
  );
}

describe('status codes and the values the contract fixes', { tags: ['regression', 'api'] }, () => {
  test('meta: GET / {message, version}, health {status, timestamp, version, checks}, live and ready 200', async ({
    client,
  }) => {
    const root = await client.get('/');
    expectStatus(root, 200, 'GET /: 200');
    expectFields(root.body, { message: 'string', version: 'string' }, 'GET /');
    const health = await client.get('/api/health');
    expectStatus(health, 200, 'GET /api/health on a healthy stack: 200');
    expectFields(
      health.body,
      { status: 'string', timestamp: 'iso', version: 'string', checks: 'object' },
      'GET /api/health',
    );
    expect(health.body.status, 'a stack with PostgreSQL and Redis up is "healthy"').toBe('healthy');
    expect(health.body.version, 'health and root name the same version').toBe(root.body.version);
    expectFields(health.body.checks, { database: 'object', redis: 'object' }, 'GET /api/health checks');
    expectStatus(await client.get('/api/health/live'), 200, 'GET /api/health/live: 200');
    expectStatus(await client.get('/api/health/ready'), 200, 'GET /api/health/ready: 200');
  });

  test('datasets: upload 201 "uploaded", then 200 on read, update, stats, validate, data, export and delete', async ({
    helper,
    client,
  }) => {
    const name = helper.name('values');
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: 'values.csv', content: 'feature1,feature2,label\n1,2,0\n3,4,0\n50,60,1\n' },
      { name, description: 'contract values', target_column: 'label' },
    );
    const dataset = unwrap<Json>(res, 201, 'an upload is a create: 201');
    helper.track('dataset', dataset.id);
    expectFields(
      dataset,
      {
        id: 'uuid',
        name: 'string',
        description: 'string',
        status: 'string',
        rows: 'integer',
        columns: 'array',
        created_at: 'iso',
      },
      'the uploaded dataset',
    );
    expect(dataset, 'upload answers the documented values').toMatchObject({
      name,
      description: 'contract values',
      status: 'uploaded',
      rows: 3,
      columns: ['feature1', 'feature2', 'label'],
    });
    const read = await client.data(
      'GET',
      `/api/datasets/${dataset.id}`,
      { expected: 200 },
      'read a dataset: 200',
    );
    expect(read, 'a read dataset is the uploaded one').toMatchObject({
      id: dataset.id,
      name,
      status: 'uploaded',
    });
    const updated = await client.data(
      'PUT',
      `/api/datasets/${dataset.id}`,
      { json: { name: `${name}-2`, description: 'changed', tags: ['a'] }, expected: 200 },
      'update a dataset: 200',
    );
    expect(updated, 'update answers the new values').toMatchObject({
      name: `${name}-2`,
      description: 'changed',
      tags: ['a'],
    });
    const stats = await client.data(
      'GET',
      `/api/datasets/${dataset.id}/stats`,
      { expected: 200 },
      'stats: 200',
    );
    expectFields(
      stats,
      { column_stats: 'object', data_quality: 'object', missing_values: 'object' },
      'dataset stats',
    );
    const validation = await client.data(
      'POST',
      `/api/datasets/${dataset.id}/validate`,
      { expected: 200 },
      'validate a dataset: 200',
    );
    expectFields(validation, { is_valid: 'boolean', validation_results: 'object' }, 'dataset validation');
    const sample = await client.get(`/api/datasets/${dataset.id}/data`, { query: { limit: 2 } });
    expectStatus(sample, 200, 'sample rows: 200');
    const exported = await client.post(`/api/datasets/${dataset.id}/export`, { format: 'json' });
    expectStatus(exported, 200, 'export a dataset: 200');
    expectStatus(await client.delete(`/api/datasets/${dataset.id}`), 200, 'delete a dataset: 200');
    expectError(await client.get(`/api/datasets/${dataset.id}`), 404, 'NOT_FOUND', 'a deleted dataset');
    helper.forget('dataset', dataset.id);
  });

  test('detectors and models: create 201 "created", train "completed", model "staging", export format_version, import 201', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const name = helper.name('values');
    const res = await client.post(
      '/api/detectors/create',
      {
        name,
        description: 'values',
        algorithm: 'zscore',
        parameters: { contamination: 0.05 },
        feature_columns: [...FEATURES],
      },
      { query: { dataset_id: dataset.id } },
    );
    const detector = unwrap<Json>(res, 201, 'creating a detector is a create: 201');
    helper.track('detector', detector.id);
    expectFields(
      detector,
      {
        id: 'uuid',
        name: 'string',
        algorithm: 'string',
        status: 'string',
        parameters: 'object',
        feature_columns: 'array',
      },
      'the created detector',
    );
    expect(detector, 'create answers the documented values').toMatchObject({
      name,
      algorithm: 'zscore',
      status: 'created',
      parameters: { contamination: 0.05 },
      feature_columns: [...FEATURES],
    });
    const training = await client.data(
      'POST',
      `/api/detection/train/${detector.id}`,
      { expected: 200 },
      'training: 200',
    );
    expectFields(
      training,
      { status: 'string', model_id: 'uuid', metrics: 'object', training_time: 'number' },
      'training',
    );
    expect(training.status, 'training ends "completed"').toBe('completed');
    for (const metric of ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'])
      expect(typeof training.metrics[metric], `training metrics carry ${metric} (labelled data)`).toBe(
        'number',
      );
    const trained = await client.data(
      'GET',
      `/api/detectors/${detector.id}`,
      { expected: 200 },
      'read a detector',
    );
    expect(trained, 'after training the detector is "trained" with the model').toMatchObject({
      status: 'trained',
      model_id: training.model_id,
    });
    const model = await client.data(
      'GET',
      `/api/models/${training.model_id}`,
      { expected: 200 },
      'read a model',
    );
    expectFields(
      model,
      {
        id: 'uuid',
        version: 'string',
        algorithm: 'string',
        parameters: 'object',
        metrics: 'object',
        created_at: 'iso',
        detector_id: 'uuid',
        status: 'string',
        stage: 'string',
      },
      'the model',
    );
    expect(model.version, 'a model version is a semantic version string ("1.0.0" for the first)').toBe(
      '1.0.0',
    );
    expect(training.version, 'training answers the same version string as the model').toBe(model.version);
    expect(model, 'the model belongs to the detector').toMatchObject({
      id: training.model_id,
      algorithm: 'zscore',
      detector_id: detector.id,
    });
    const registered = await client.data(
      'POST',
      `/api/models/${training.model_id}/register`,
      { expected: 200 },
      'register a model: 200',
    );
    expect(registered.stage, 'register moves the model to stage "staging"').toBe('staging');
    const promoted = await client.data(
      'POST',
      `/api/models/${training.model_id}/promote`,
      { json: { stage: 'production' }, expected: 200 },
      'promote a model: 200',
    );
    expect(promoted.stage, 'promote sets the asked stage').toBe('production');
    const document = await client.data(
      'POST',
      `/api/models/${training.model_id}/export`,
      { expected: 200 },
      'export a model: 200',
    );
    expect(
      Number.isInteger(document.format_version),
      'an exported model document carries an integer format_version',
    ).toBe(true);
    const imported = await client.data(
      'POST',
      '/api/models/import',
      { json: document, expected: 201 },
      'importing a model is a create: 201',
    );
    helper.track('detector', imported.detector_id);
    expectFields(imported, { id: 'uuid', detector_id: 'uuid', algorithm: 'string' }, 'the imported model');
  });

  test('experiments: create 201 "created", run 202, results, comparison and history', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadSampleDataset();
    const res = await client.post('/api/experiments/create', {
      name: helper.name('values'),
      dataset_id: dataset.id,
      algorithms: [
        { name: 'zscore', parameters: {} },
        { name: 'hbos', parameters: {} },
      ],
      evaluation_metrics: ['roc_auc'],
      cross_validation: { enabled: false, folds: 3 },
    });
    const experiment = unwrap<Json>(res, 201, 'creating an experiment is a create: 201');
    helper.track('experiment', experiment.id);
    expect(experiment.status, 'a new experiment is "created"').toBe('created');
    expectStatus(
      await client.post(`/api/experiments/${experiment.id}/run`),
      202,
      'running an experiment answers 202',
    );
    await expect
      .poll(
        async () =>
          (await client.get(`/api/experiments/${experiment.id}/results`)).body?.data?.algorithm_results
            ?.length,
        {
          timeout: 90_000,
          interval: 300,
          message: 'experiment results for both algorithms',
        },
      )
      .toBe(2);
    const results = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/results`,
      { expected: 200 },
      'results: 200',
    );
    expect(results.experiment_id, 'results name their experiment').toBe(experiment.id);
    for (const r of results.algorithm_results)
      expectFields(
        r,
        {
          algorithm_name: 'string',
          metrics: 'object',
          cross_validation_scores: 'array',
          model_id: 'uuid',
          training_time: 'number',
        },
        'an algorithm result',
      );
    expect(['zscore', 'hbos'], 'best_algorithm is one of the algorithms').toContain(results.best_algorithm);
    const comparison = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/comparison`,
      { expected: 200 },
      'comparison: 200',
    );
    expectFields(
      comparison,
      {
        ranking: 'array',
        best_algorithm: 'object',
        best_algorithm_name: 'string',
        metric_comparison: 'object',
      },
      'the comparison',
    );
    expectFields(
      comparison.best_algorithm,
      { algorithm_name: 'string', model_id: 'uuid', score: 'number' },
      'the comparison best_algorithm',
    );
    const history = await client.data(
      'GET',
      `/api/experiments/${experiment.id}/history`,
      { expected: 200 },
      'history: 200',
    );
    expect(history.events.length, 'the history has events').toBeGreaterThan(0);
    for (const e of history.events)
      expect(typeof e.event_type, 'every history event has an event_type').toBe('string');
  });

  test('AutoML: start 201 {id, status}, status carries progress', async ({ helper, client }) => {
    const dataset = await helper.uploadSampleDataset();
    const job = await client.data(
      'POST',
      '/api/autonomous/automl/start',
      {
        json: {
          job_name: helper.name('values'),
          dataset_id: dataset.id,
          algorithms: ['zscore'],
          optimization_metric: 'roc_auc',
          max_trials: 1,
          max_duration_minutes: 1,
        },
        expected: 201,
      },
      'starting AutoML is a create: 201',
    );
    expectFields(job, { id: 'uuid', status: 'string' }, 'the AutoML job');
    const status = await client.data(
      'GET',
      `/api/autonomous/automl/${job.id}/status`,
      { expected: 200 },
      'AutoML status: 200',
    );
    expectFields(
      status,
      { status: 'string', progress_percentage: 'number', current_trial: 'integer' },
      'AutoML status',
    );
    expect(status, 'AutoML status carries best_score').toHaveProperty('best_score');
    // Finish before the dataset is deleted by the cleanup.
    await expect
      .poll(async () => (await client.get(`/api/autonomous/automl/${job.id}/status`)).body?.data?.status, {
        timeout: 90_000,
        interval: 300,
        message: 'AutoML completion',
      })
      .toMatch(/^(completed|failed)$/);
  });

  test('streaming: create 201 "pending", start/pause/resume/stop 200 with their statuses, process and metrics', async ({
    helper,
    client,
  }) => {
    const { detector } = await helper.trainedDetector({ algorithm: 'zscore' });
    const res = await client.post('/api/streaming/sessions', {
      name: helper.name('values'),
      detector_id: detector.id,
      configuration: { processing_mode: 'real_time', batch_size: 1, max_throughput: 100 },
    });
    const session = unwrap<Json>(res, 201, 'creating a session is a create: 201');
    helper.track('session', session.id);
    expect(session, 'a new session is "pending" on its detector').toMatchObject({
      status: 'pending',
      detector_id: detector.id,
    });
    const action = async (name: string, status: string) => {
      const data = await client.data(
        'POST',
        `/api/streaming/sessions/${session.id}/${name}`,
        { expected: 200 },
        `${name}: 200`,
      );
      expect(data.status, `${name} makes the session "${status}"`).toBe(status);
    };
    await action('start', 'active');
    const scored = await client.data(
      'POST',
      `/api/streaming/sessions/${session.id}/process`,
      { json: { data: { feature1: 9, feature2: 9, feature3: 9 } }, expected: 200 },
      'process: 200',
    );
    expectFields(
      scored,
      { session_id: 'uuid', anomaly_score: 'number', is_anomaly: 'boolean', timestamp: 'iso' },
      'a processed point',
    );
    expect(scored.session_id, 'a processed point names its session').toBe(session.id);
    await action('pause', 'paused');
    await action('resume', 'active');
    const metrics = await client.data(
      'GET',
      `/api/streaming/sessions/${session.id}/metrics`,
      { expected: 200 },
      'metrics: 200',
    );
    expectFields(
      metrics,
      {
        messages_processed: 'integer',
        messages_per_second: 'number',
        anomalies_detected: 'integer',
        anomaly_rate: 'number',
        failed_messages: 'integer',
        measurement_time: 'iso',
      },
      'session metrics',
    );
    expect(metrics.messages_processed, 'the one processed point is counted').toBe(1);
    expectStatus(await client.get(`/api/streaming/sessions/${session.id}/summary`), 200, 'summary: 200');
    await action('stop', 'stopped');
    expectStatus(await client.delete(`/api/streaming/sessions/${session.id}`), 200, 'delete a session: 200');
    expectError(
      await client.get(`/api/streaming/sessions/${session.id}/metrics`),
      404,
      'NOT_FOUND',
      'a deleted session',
    );
    helper.forget('session', session.id);
  });

  test('events: create 201, acknowledge and resolve 200 with their statuses, pattern 201', async ({
    helper,
    client,
  }) => {
    const title = helper.name('values');
    const event = await client.data(
      'POST',
      '/api/events/create',
      {
        json: { event_type: 'anomaly_detected', severity: 'high', title, anomaly_score: 0.8 },
        expected: 201,
      },
      'creating an event is a create: 201',
    );
    expect(event, 'the event answers the given values, "open"').toMatchObject({
      title,
      severity: 'high',
      anomaly_score: 0.8,
      status: 'open',
    });
    const acked = await client.data(
      'POST',
      `/api/events/${event.id}/acknowledge`,
      { json: {}, expected: 200 },
      'acknowledge: 200',
    );
    expect(acked.status, 'acknowledge makes the event "acknowledged"').toBe('acknowledged');
    const resolved = await client.data(
      'POST',
      `/api/events/${event.id}/resolve`,
      { json: {}, expected: 200 },
      'resolve: 200',
    );
    expect(resolved.status, 'resolve makes the event "resolved"').toBe('resolved');
    const summary = await client.data('GET', '/api/events/summary', { expected: 200 }, 'events summary: 200');
    expectFields(
      summary,
      { total_events: 'integer', events_by_type: 'object', events_by_severity: 'object' },
      'the events summary',
    );
    const pattern = await client.data(
      'POST',
      '/api/events/patterns',
      {
        json: { name: helper.name('pattern'), pattern_type: 'frequency', conditions: { min_events: 2 } },
        expected: 201,
      },
      'creating a pattern is a create: 201',
    );
    expectFields(pattern, { id: 'uuid', name: 'string', pattern_type: 'string' }, 'the pattern');
    expectStatus(
      await client.get('/api/events/patterns/detect', { query: { hours: 1 } }),
      200,
      'pattern detection: 200',
    );
  });

  test.for([
    ['datasets', '/api/datasets'],
    ['detectors', '/api/detectors'],
    ['experiments', '/api/experiments'],
    ['sessions', '/api/streaming/sessions'],
  ])(
    'list %s: {<items>, total, limit, offset}, default limit 50, max 500',
    async ([items, path], { client }) => {
      const plain = await client.data('GET', path, { expected: 200 }, `list ${items} without parameters`);
      expect(Object.keys(plain).sort(), `the ${items} list envelope has exactly its documented keys`).toEqual(
        [items, 'limit', 'offset', 'total'].sort(),
      );
      expect(Array.isArray(plain[items]), `${items} is a list`).toBe(true);
      expect(
        { limit: plain.limit, offset: plain.offset },
        `${items}: the default limit is 50, offset 0`,
      ).toEqual({
        limit: 50,
        offset: 0,
      });
      expect(
        Number.isInteger(plain.total) && plain.total >= plain[items].length,
        `${items}: total counts the items`,
      ).toBe(true);
      const paged = await client.data(
        'GET',
        path,
        { query: { limit: 2, offset: 1 }, expected: 200 },
        `list ${items} paged`,
      );
      expect({ limit: paged.limit, offset: paged.offset }, `${items}: limit and offset are echoed`).toEqual({
        limit: 2,
        offset: 1,
      });
      expect(paged[items].length, `${items}: at most limit items`).toBeLessThanOrEqual(2);
      expectStatus(
        await client.get(path, { query: { limit: 500 } }),
        200,
        `${items}: limit 500 is the allowed maximum`,
      );
      expectError(
        await client.get(path, { query: { limit: 501 } }),
        422,
        'VALIDATION_ERROR',
        `${items}: limit 501 is refused`,
      );
    },
  );

  test('event query: {events, total, limit, offset} with default limit 50', async ({ client }) => {
    const page = await client.data('POST', '/api/events/query', { json: {}, expected: 200 }, 'query events');
    expect(Object.keys(page).sort(), 'the events list envelope has exactly its documented keys').toEqual([
      'events',
      'limit',
      'offset',
      'total',
    ]);
    expect({ limit: page.limit, offset: page.offset }, 'events: the default limit is 50, offset 0').toEqual({
      limit: 50,
      offset: 0,
    });
  });

  test('errors: unknown id 404 and bad body 422 with the documented envelope on every route family', async ({
    client,
  }) => {
    const notFound: [string, Promise<ApiResponse>][] = [
      ['dataset', client.get(`/api/datasets/${UNKNOWN}`)],
      ['detector', client.get(`/api/detectors/${UNKNOWN}`)],
      ['training', client.post(`/api/detection/train/${UNKNOWN}`)],
      ['predict', client.post(`/api/detection/predict/${UNKNOWN}`, { data: [{ feature1: 1 }] })],
      ['model', client.get(`/api/models/${UNKNOWN}`)],
      ['experiment', client.get(`/api/experiments/${UNKNOWN}/results`)],
      ['AutoML job', client.get(`/api/autonomous/automl/${UNKNOWN}/status`)],
      ['session', client.post(`/api/streaming/sessions/${UNKNOWN}/start`)],
      ['event', client.post(`/api/events/${UNKNOWN}/resolve`, {})],
      // A non-UUID id names nothing that can exist: 404 like an unknown one (README).
      ['non-UUID detector', client.get('/api/detectors/not-a-uuid')],
    ];
    for (const [what, res] of notFound) expectError(await res, 404, 'NOT_FOUND', `an unknown ${what} id`);
    const badBody: [string, Promise<ApiResponse>][] = [
      ['dataset update', client.put(`/api/datasets/${UNKNOWN}`, { name: '' })],
      [
        'detector create',
        client.post('/api/detectors/create', { name: '' }, { query: { dataset_id: UNKNOWN } }),
      ],
      ['predict', client.post(`/api/detection/predict/${UNKNOWN}`, { data: 'rows' })],
      ['model promote', client.post(`/api/models/${UNKNOWN}/promote`, { stage: 'heaven' })],
      ['experiment create', client.post('/api/experiments/create', { name: 'x' })],
      ['AutoML start', client.post('/api/autonomous/automl/start', { job_name: 'x' })],
      ['session create', client.post('/api/streaming/sessions', { name: 'x' })],
      ['event create', client.post('/api/events/create', { severity: 'high' })],
    ];
    for (const [what, res] of badBody) expectError(await res, 422, 'VALIDATION_ERROR', `a bad ${what}`);
  });
});
