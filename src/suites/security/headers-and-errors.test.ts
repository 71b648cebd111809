/**
 * security / response headers, error hygiene, CORS.
 *
 * Faults this file catches:
 * - a response without X-Request-ID, nosniff, X-Frame-Options DENY, a CSP or a Referrer-Policy
 *   (on success, on errors, on health and docs routes); no HSTS in production
 *   (checked by faults/catalog.ts: sec-no-frame-options)
 * - error bodies with stack traces, file paths, the secret key, the DB password or the admin password
 * - errors outside the envelope {success: false, error: {code, message}, detail, request_id}
 * - malformed JSON, wrong media types or unknown methods answered with 500
 * - an unknown route answering with a large body (> 1,000 bytes)
 * - CORS answering a foreign origin, or not answering the configured one
 */
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { describeResponse, expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

describe('headers and error hygiene', { tags: ['security', 'api'] }, () => {
  test('security headers are on every response', async ({ helper, client, stack }) => {
    const dataset = await helper.uploadCsv('a,b\n1,2\n');
    const responses = [
      await client.get('/'),
      await client.get('/api/health'),
      await client.get('/api/health/live'),
      await client.get('/api/openapi.json'),
      await client.get(`/api/datasets/${dataset.id}`),
      await client.get('/api/datasets/00000000-0000-4000-8000-000000000000'),
      await client.get('/api/no/such/route'),
      await client.post('/api/datasets/upload', { not: 'multipart' }),
      await client.get('/api/datasets', { auth: false }),
    ];
    const production = stack.serviceEnv.PYNOMALY_ENVIRONMENT === 'production';
    for (const res of responses) {
      const h = res.headers;
      const where = describeResponse(res).slice(0, 160);
      expect(h['x-request-id'], `X-Request-ID missing: ${where}`).toBeTruthy();
      expect(h['x-content-type-options'], `nosniff missing: ${where}`).toBe('nosniff');
      expect(h['x-frame-options']?.toUpperCase(), `X-Frame-Options DENY missing: ${where}`).toBe('DENY');
      expect(h['content-security-policy'], `Content-Security-Policy missing: ${where}`).toBeTruthy();
      expect(h['referrer-policy'], `Referrer-Policy missing: ${where}`).toBeTruthy();
      if (production)
        expect(h['strict-transport-security'], `HSTS missing in production: ${where}`).toMatch(/max-age=\d+/);
      expect(h['x-powered-by'], `X-Powered-By must not advertise the stack: ${where}`).toBeUndefined();
    }
    const ids = new Set(responses.map((r) => r.headers['x-request-id']));
    expect(ids.size, 'every response must get its own request id').toBe(responses.length);
  });

  test('errors: right status, the envelope, no stack trace, no secret', async ({ client, stack }) => {
    const cases = [
      [await client.get('/api/no/such/route'), 404, 'an unknown route'],
      [
        await client.post('/api/detectors/create', undefined, {
          body: '{"name": "x", ',
          headers: { 'content-type': 'application/json' },
        }),
        [400, 422],
        'malformed JSON',
      ],
      [
        await client.post('/api/detectors/create', undefined, {
          body: '<xml/>',
          headers: { 'content-type': 'application/xml' },
        }),
        [400, 415],
        'an unsupported media type',
      ],
      [await client.request('PATCH', '/api/datasets'), [404, 405], 'an unknown method'],
      [await client.get('/api/datasets', { query: { limit: 'many' } }), [400, 422], 'a non-numeric limit'],
      [await client.get(`/api/datasets/${'9'.repeat(5000)}`), [404, 414, 422], 'a huge id'],
      [
        await client.post('/api/detection/predict/00000000-0000-4000-8000-000000000000', { data: [] }),
        [404, 422],
        'predict on an unknown detector',
      ],
      [
        await client.post('/api/models/import', {
          format_version: 1,
          algorithm: 'zscore',
          state: { median: 'x' },
        }),
        [400, 422],
        'a broken model document',
      ],
    ] as const;
    for (const [res, status, what] of cases) {
      expectStatus(res, status as number | number[], what);
      expectCleanError(res, stack, what);
    }
    const unknown = cases[0][0];
    expect(
      unknown.text.length,
      `an unknown route must answer with < 1000 bytes: ${describeResponse(unknown)}`,
    ).toBeLessThan(1000);
  });

  test('CORS follows the configuration', async ({ client, stack }) => {
    const enabled = stack.serviceEnv.PYNOMALY_CORS_ENABLED === 'true';
    const allowed = (stack.serviceEnv.PYNOMALY_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const foreign = 'http://evil.example';
    const preflight = (origin: string) =>
      client.request('OPTIONS', '/api/datasets', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const fromForeign = await preflight(foreign);
    expect(
      fromForeign.headers['access-control-allow-origin'],
      'a foreign origin must never be allowed',
    ).not.toBe(foreign);
    expect(fromForeign.headers['access-control-allow-origin'], 'CORS must never be a wildcard').not.toBe('*');
    if (enabled) {
      expect(allowed.length, 'CORS is enabled: the stack must name PYNOMALY_CORS_ORIGINS').toBeGreaterThan(0);
      const fromAllowed = await preflight(allowed[0]);
      expect(
        fromAllowed.headers['access-control-allow-origin'],
        `the configured origin ${allowed[0]} must be allowed`,
      ).toBe(allowed[0]);
      const simple = await client.get('/api/health', { headers: { origin: allowed[0] } });
      expect(
        simple.headers['access-control-allow-origin'],
        'a simple request from the allowed origin gets ACAO',
      ).toBe(allowed[0]);
    } else {
      const simple = await client.get('/api/health', { headers: { origin: foreign } });
      expect(
        simple.headers['access-control-allow-origin'],
        'CORS disabled: no Access-Control-Allow-Origin',
      ).toBeUndefined();
    }
  });
});
