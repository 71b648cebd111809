/**
 * security / SQL injection, XSS, path traversal and command injection in every string field,
 * query parameter and path parameter.
 *
 * Faults this file catches:
 * - string concatenation into SQL (a payload changes a result, errors with 500, or sleeps)
 * - a free-text field that does not round-trip exactly (payload interpreted, or mangled)
 * - an enum-like field (algorithm, processing_mode, stage, export format) accepting a payload
 * - a path parameter payload answered with anything but 404/422 (or with a 5xx)
 * - responses served as HTML (XSS reflected), or error bodies with stack traces or secrets
 */
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { describeResponse, expectStatus } from '../fixtures/http-client.ts';
import { FEATURES } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { PAYLOADS } from './payloads.ts';
import { createUser } from './users.ts';

const PATH_ROUTES = [
  (id: string) => `/api/datasets/${id}`,
  (id: string) => `/api/detectors/${id}`,
  (id: string) => `/api/models/${id}`,
  (id: string) => `/api/experiments/${id}/results`,
  (id: string) => `/api/streaming/sessions/${id}/metrics`,
  (id: string) => `/api/autonomous/automl/${id}/status`,
];

describe('injection payloads', { tags: ['security', 'api'] }, () => {
  test('query parameters: payloads filter nothing in and break nothing', async ({ client: admin, stack }) => {
    // A fresh user: their lists hold only this test's dataset, whatever other tests created.
    const { helper, client } = await createUser(admin);
    await helper.uploadSampleDataset();
    for (const { family, value } of PAYLOADS) {
      const started = Date.now();
      const res = await client.get('/api/datasets', { query: { name_contains: value } });
      expect(Date.now() - started, `name_contains=${value} must not run SQL (pg_sleep)`).toBeLessThan(4_000);
      expectStatus(res, [200, 400, 422], `name_contains with a ${family} payload`);
      if (res.status === 200)
        expect(
          res.body.data.total,
          `name_contains=${value} must match no dataset (it is data, not SQL)`,
        ).toBe(0);
      else expectCleanError(res, stack, `name_contains=${value}`);
    }
    for (const value of ['1 OR 1=1', '-1', '1000000', "1'; --"]) {
      const res = await client.get('/api/datasets', { query: { limit: value } });
      expectStatus(res, [400, 422], `limit=${value} must be refused`);
      expectCleanError(res, stack, `limit=${value}`);
    }
    const statusFilter = await client.get('/api/experiments', { query: { status: "completed' OR '1'='1" } });
    expectStatus(statusFilter, [200, 400, 422], 'an experiment status filter with SQL');
    if (statusFilter.status === 200)
      expect(statusFilter.body.data.total, 'a SQL status filter must match nothing').toBe(0);
  });

  test('free-text fields keep payloads verbatim; enum fields refuse them', async ({
    client: admin,
    stack,
  }) => {
    // A fresh user: its own objects and its own rate-limit budget.
    const { helper, client } = await createUser(admin);
    const dataset = await helper.uploadSampleDataset();
    const { detector } = await helper.trainedDetector({ dataset, algorithm: 'zscore' });
    for (const { family, value } of PAYLOADS) {
      const what = `${family} payload ${JSON.stringify(value)}`;
      const put = await client.put(`/api/datasets/${dataset.id}`, {
        name: value,
        description: value,
        tags: [value],
      });
      expectStatus(put, [200, 400, 422], `dataset PUT with a ${what}`);
      if (put.status === 200) {
        const got = await client.data('GET', `/api/datasets/${dataset.id}`, {}, 'GET after PUT');
        expect(
          [got.name, got.description],
          `dataset name/description must keep the ${what} verbatim`,
        ).toEqual([value, value]);
      } else expectCleanError(put, stack, `dataset PUT with a ${what}`);

      const upload = await client.upload(
        '/api/datasets/upload',
        { filename: 'x.csv', content: 'a,b\n1,2\n3,4\n' },
        {
          name: value,
          description: value,
        },
      );
      expectStatus(upload, [200, 201, 400, 422], `upload with a ${what} as name`);
      if (upload.status < 300) {
        helper.track('dataset', upload.body.data.id);
        expect(upload.body.data.name, `upload must keep the ${what} as name verbatim`).toBe(value);
      } else expectCleanError(upload, stack, `upload with a ${what}`);

      const created = await client.post(
        '/api/detectors/create',
        {
          name: value,
          description: value,
          algorithm: 'zscore',
          parameters: {},
          feature_columns: [...FEATURES],
        },
        { query: { dataset_id: dataset.id } },
      );
      expectStatus(created, [200, 201, 400, 422], `detector create with a ${what}`);
      if (created.status < 300) {
        helper.track('detector', created.body.data.id);
        expect(created.body.data.name, `detector name must keep the ${what} verbatim`).toBe(value);
      } else expectCleanError(created, stack, `detector create with a ${what}`);

      const session = await client.post('/api/streaming/sessions', {
        name: value,
        detector_id: detector.id,
        configuration: { processing_mode: 'real_time', batch_size: 1, max_throughput: 100 },
      });
      expectStatus(session, [200, 201, 400, 422], `session create with a ${what}`);
      if (session.status < 300) helper.track('session', session.body.data.id);
      else expectCleanError(session, stack, `session create with a ${what}`);

      const refusals = [
        await client.post(
          '/api/detectors/create',
          { name: 'x', algorithm: value, parameters: {}, feature_columns: [...FEATURES] },
          { query: { dataset_id: dataset.id } },
        ),
        await client.post(
          '/api/detectors/create',
          { name: 'x', algorithm: 'zscore', parameters: {}, feature_columns: [value] },
          { query: { dataset_id: dataset.id } },
        ),
        await client.post('/api/streaming/sessions', {
          name: 'x',
          detector_id: detector.id,
          configuration: { processing_mode: value, batch_size: 1, max_throughput: 100 },
        }),
        await client.post(`/api/datasets/${dataset.id}/export`, { format: value }),
        await client.post(`/api/detection/predict/${detector.id}`, {
          data: [{ feature1: value, feature2: 1, feature3: 1 }],
        }),
      ];
      for (const res of refusals) {
        expectStatus(res, [400, 404, 422], `an enum or numeric field must refuse a ${what}`);
        expectCleanError(res, stack, `${res.method} ${res.path} with a ${what}`);
      }
    }
    const list = await client.data(
      'GET',
      '/api/datasets',
      { query: { limit: 1 } },
      'datasets still listable',
    );
    expect(list.total, 'the datasets table must still exist and list rows').toBeGreaterThan(0);
  });

  test('path parameters: every payload is 404 or 422, never 200 or 5xx', async ({ client: admin, stack }) => {
    // A fresh user: its own rate-limit budget.
    const { client } = await createUser(admin);
    for (const { family, value } of [...PAYLOADS, { family: 'path', value: '..%2F..%2Fetc%2Fpasswd' }]) {
      for (const route of PATH_ROUTES) {
        const res = await client.get(route(encodeURIComponent(value)));
        expectStatus(res, [404, 422], `GET ${route(':id')} with a ${family} id ${JSON.stringify(value)}`);
        expectCleanError(res, stack, `GET ${route(':id')} with a ${family} id`);
        expect(
          res.text,
          `the body must not contain /etc/passwd contents: ${describeResponse(res)}`,
        ).not.toMatch(/root:x:0:0/);
      }
      const del = await client.delete(`/api/datasets/${encodeURIComponent(value)}`);
      expectStatus(del, [404, 422], `DELETE of a dataset with a ${family} id`);
    }
  });

  test('every JSON answer is served as JSON, so reflected payloads never render', async ({
    client: admin,
  }) => {
    // A fresh user: its own objects and its own rate-limit budget.
    const { helper, client } = await createUser(admin);
    const xss = PAYLOADS.find((p) => p.family === 'xss')!.value;
    const dataset = await helper.uploadCsv('a,b\n1,2\n', { name: xss });
    const res = await client.get(`/api/datasets/${dataset.id}`);
    expect(res.headers['content-type'], 'a JSON answer must be application/json').toMatch(
      /^application\/json/,
    );
    expect(res.headers['x-content-type-options'], 'nosniff must stop HTML sniffing').toBe('nosniff');
    const missing = await client.get(`/api/datasets/${encodeURIComponent(xss)}`);
    expect(missing.headers['content-type'], 'an error answer must be application/json').toMatch(
      /^application\/json/,
    );
  });
});
