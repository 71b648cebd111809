import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { inlinePool } from '../../src/compute/pool.ts';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';

// No containers: the pool points at a closed port, so only what fails before the database is checked.
let app: FastifyInstance;

beforeAll(async () => {
  const config = loadConfig({
    PYNOMALY_DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
    PYNOMALY_ENVIRONMENT: 'production',
    PYNOMALY_SECRET_KEY: 'Zq8v3LmN0pR7sT2uW5xY9aB4cD6eF1gH',
  });
  app = await buildApp({
    config,
    db: createPool(config.databaseUrl),
    redis: null,
    compute: inlinePool(),
    version: 'test',
  });
});

// The app owns its resources: its close ends the pool too.
afterAll(async () => {
  await app.close();
});

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('the HTTP layer without a database', () => {
  test('an unknown route is a small 404 envelope with the security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.body.length).toBeLessThan(1000);
    const body = res.json();
    expect(body).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
      request_id: res.headers['x-request-id'],
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBeTruthy();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  test('an incoming X-Request-ID is echoed', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'trace-42' } });
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(res.json().request_id).toBe('trace-42');
  });

  test('bad bodies and queries are 422 before any database access', async () => {
    const emptyName = await app.inject({
      method: 'POST',
      url: `/api/detectors/create?dataset_id=${UNKNOWN}`,
      payload: { name: '', algorithm: 'zscore' },
    });
    expect(emptyName.statusCode).toBe(422);
    expect(emptyName.json().error.code).toBe('VALIDATION_ERROR');
    const unknownAlgorithm = await app.inject({
      method: 'POST',
      url: `/api/detectors/create?dataset_id=${UNKNOWN}`,
      payload: { name: 'x', algorithm: 'no_such_algorithm' },
    });
    expect(unknownAlgorithm.statusCode).toBe(422);
    expect(unknownAlgorithm.json().error.message).toContain('no_such_algorithm');
    expect((await app.inject({ method: 'GET', url: '/api/datasets?limit=501' })).statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: '/api/datasets?limit=many' })).statusCode).toBe(422);
    // A malformed path id is answered like an unknown id (README), before any database access.
    expect((await app.inject({ method: 'GET', url: '/api/detectors/not-a-uuid' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/datasets?offset=2147483648' })).statusCode).toBe(
      422,
    );
    const stage = await app.inject({
      method: 'POST',
      url: `/api/models/${UNKNOWN}/promote`,
      payload: { stage: 'heaven' },
    });
    expect(stage.statusCode).toBe(422);
  });

  test('malformed JSON is 400, a foreign media type 415, a model that is not a model 422', async () => {
    const json = await app.inject({
      method: 'POST',
      url: '/api/events/create',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(json.statusCode).toBe(400);
    const xml = await app.inject({
      method: 'POST',
      url: '/api/events/create',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(xml.statusCode).toBe(415);
    const model = await app.inject({
      method: 'POST',
      url: '/api/models/import',
      payload: { format_version: 999 },
    });
    expect(model.statusCode).toBe(422);
    expect(model.body).not.toMatch(/node_modules|\.ts:\d+|at async/);
  });

  test('an upload that is not multipart is 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/datasets/upload',
      payload: { not: 'multipart' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().success).toBe(false);
  });

  test('health reports unhealthy with 503 when PostgreSQL is down; live stays up', async () => {
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: 'unhealthy',
      checks: { database: { status: 'unhealthy' } },
    });
    expect((await app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
  });

  test('the OpenAPI 3.1 document lists the contract operations with their schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');
    for (const path of [
      '/api/datasets/upload',
      '/api/detectors/create',
      '/api/detection/predict/{id}',
      '/api/models/import',
      '/api/experiments/{id}/comparison',
      '/api/autonomous/automl/start',
      '/api/streaming/sessions/{id}/process',
      '/api/events/patterns/detect',
    ])
      expect(Object.keys(document.paths)).toContain(path);
    const upload = document.paths['/api/datasets/upload'].post;
    expect(Object.keys(upload.requestBody.content)).toContain('multipart/form-data');
    expect(upload.responses['4XX']).toBeDefined();
  });

  test('metrics are Prometheus text', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^# HELP /m);
  });
});
