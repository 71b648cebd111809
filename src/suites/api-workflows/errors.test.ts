/**
 * api-workflows / the error path of every route this suite covers: an unknown id is 404 NOT_FOUND,
 * so is an id that is not a UUID, a bad body or query 422 VALIDATION_ERROR, each in
 * the error envelope {success: false, error: {code, message}, detail, request_id}.
 *
 * Faults this file catches:
 * - an unknown id answered with 200/500 or another status (checked by faults/catalog/api-workflows.ts:
 *   api-experiment-run-unknown-500), a malformed id reaching the database (500)
 * - bad input accepted, or refused without the envelope
 */
import { describe } from 'vitest';
import { expectError } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const POINT = { feature1: 1, feature2: 1, feature3: 1 };

/** [method, path with {id}, body] of every route that names an object. */
const ID_ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/datasets/{id}'],
  ['PUT', '/api/datasets/{id}', { name: 'x' }],
  ['DELETE', '/api/datasets/{id}'],
  ['GET', '/api/datasets/{id}/stats'],
  ['POST', '/api/datasets/{id}/validate', {}],
  ['GET', '/api/datasets/{id}/data'],
  ['POST', '/api/datasets/{id}/export', { format: 'csv' }],
  ['GET', '/api/detectors/{id}'],
  ['PUT', '/api/detectors/{id}', { name: 'x' }],
  ['DELETE', '/api/detectors/{id}'],
  ['POST', '/api/detection/train/{id}', {}],
  ['POST', '/api/detection/predict/{id}', { data: [POINT] }],
  ['POST', '/api/detection/validate/{id}', {}],
  ['GET', '/api/models/{id}'],
  ['POST', '/api/models/{id}/register', {}],
  ['POST', '/api/models/{id}/promote', { stage: 'production' }],
  ['POST', '/api/models/{id}/export', {}],
  ['POST', '/api/experiments/{id}/run', {}],
  ['GET', '/api/experiments/{id}/results'],
  ['GET', '/api/experiments/{id}/comparison'],
  ['GET', '/api/experiments/{id}/history'],
  ['DELETE', '/api/experiments/{id}'],
  ['GET', '/api/autonomous/automl/{id}/status'],
  ['GET', '/api/autonomous/automl/{id}/results'],
  ['POST', '/api/streaming/sessions/{id}/start', {}],
  ['POST', '/api/streaming/sessions/{id}/pause', {}],
  ['POST', '/api/streaming/sessions/{id}/resume', {}],
  ['POST', '/api/streaming/sessions/{id}/stop', {}],
  ['POST', '/api/streaming/sessions/{id}/process', { data: POINT }],
  ['GET', '/api/streaming/sessions/{id}/metrics'],
  ['GET', '/api/streaming/sessions/{id}/summary'],
  ['DELETE', '/api/streaming/sessions/{id}'],
  ['POST', '/api/events/{id}/acknowledge', {}],
  ['POST', '/api/events/{id}/resolve', {}],
];

/** [what, method, path, body, query] that break the request schema. */
const BAD_REQUESTS: [string, string, string, unknown, Record<string, string | number>?][] = [
  ['a dataset list limit above 500', 'GET', '/api/datasets', undefined, { limit: 501 }],
  ['a negative dataset list offset', 'GET', '/api/datasets', undefined, { offset: -1 }],
  ['a detector list limit of 0', 'GET', '/api/detectors', undefined, { limit: 0 }],
  [
    'a session list offset that is not a number',
    'GET',
    '/api/streaming/sessions',
    undefined,
    { offset: 'x' },
  ],
  ['an experiment list limit above 500', 'GET', '/api/experiments', undefined, { limit: 501 }],
  ['a detector without a body', 'POST', '/api/detectors/create', {}, { dataset_id: UNKNOWN }],
  [
    'a detector on a dataset id that is not a UUID',
    'POST',
    '/api/detectors/create',
    { name: 'x', algorithm: 'zscore' },
    { dataset_id: 'nope' },
  ],
  ['predict of a non-list', 'POST', `/api/detection/predict/${UNKNOWN}`, { data: 'x' }],
  ['predict of no rows', 'POST', `/api/detection/predict/${UNKNOWN}`, { data: [] }],
  ['a promote to an unknown stage', 'POST', `/api/models/${UNKNOWN}/promote`, { stage: 'heaven' }],
  ['a PUT of a dataset with an empty name', 'PUT', `/api/datasets/${UNKNOWN}`, { name: '' }],
  [
    'an experiment without algorithms',
    'POST',
    '/api/experiments/create',
    { name: 'x', dataset_id: UNKNOWN, algorithms: [] },
  ],
  [
    'an experiment with an unknown metric',
    'POST',
    '/api/experiments/create',
    { name: 'x', dataset_id: UNKNOWN, algorithms: [{ name: 'zscore' }], evaluation_metrics: ['luck'] },
  ],
  [
    'an AutoML job without a name',
    'POST',
    '/api/autonomous/automl/start',
    { dataset_id: UNKNOWN, max_trials: 2, max_duration_minutes: 1 },
  ],
  [
    'an AutoML job with 0 trials',
    'POST',
    '/api/autonomous/automl/start',
    { job_name: 'x', dataset_id: UNKNOWN, max_trials: 0, max_duration_minutes: 1 },
  ],
  ['a session without a detector', 'POST', '/api/streaming/sessions', { name: 'x' }],
  [
    'a point that is not numeric',
    'POST',
    `/api/streaming/sessions/${UNKNOWN}/process`,
    { data: { feature1: 'x' } },
  ],
  ['an event without a title', 'POST', '/api/events/create', { event_type: 'anomaly_detected' }],
  [
    'an event with a score above 1',
    'POST',
    '/api/events/create',
    { event_type: 'x', title: 'x', anomaly_score: 2 },
  ],
  ['an event query limit of 0', 'POST', '/api/events/query', { limit: 0 }],
  ['an event query with an unknown severity', 'POST', '/api/events/query', { severities: ['apocalyptic'] }],
];

describe('error paths', { tags: ['api', 'integration', 'workflows'] }, () => {
  test.for(ID_ROUTES)(
    '%s %s: an unknown id and a malformed id are 404',
    async ([method, path, body], { client }) => {
      const unknown = await client.request(method, path.replace('{id}', UNKNOWN), { json: body });
      expectError(unknown, 404, 'NOT_FOUND', `${method} ${path} with an unknown id must be 404`);
      const malformed = await client.request(method, path.replace('{id}', 'not-a-uuid'), { json: body });
      expectError(malformed, 404, 'NOT_FOUND', `${method} ${path} with a non-UUID id must be 404 (README)`);
    },
  );

  test.for(BAD_REQUESTS)('%s is 422', async ([what, method, path, body, query], { client }) => {
    const res = await client.request(method, path, { json: body, query });
    expectError(res, 422, 'VALIDATION_ERROR', `${what} must be refused with 422`);
  });

  test('a body that is not JSON is 400 INVALID_JSON', async ({ client }) => {
    const res = await client.request('POST', '/api/experiments/create', {
      body: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'INVALID_JSON', 'a truncated JSON body must be refused with 400');
  });
});
