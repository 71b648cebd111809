/**
 * security / what maps the API needs credentials: with auth on, /metrics, the OpenAPI document
 * and the Swagger UI (every sub-path, its assets too) answer 401 in the envelope without
 * credentials, and 200 with a Bearer token or an API key of any role. Health probes stay public
 * (the orchestrator's readiness check uses them). With auth off all of it is open.
 *
 * Faults this file catches:
 * - /metrics served without credentials (checked by faults/catalog/security.ts: sec-metrics-public)
 * - the OpenAPI document served without credentials (sec-openapi-public)
 * - the Swagger UI or its assets served without credentials (sec-docs-public)
 * - the readiness probe needing credentials (the orchestrator could no longer start a stack)
 */
import { describe, expect, inject } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { ApiClient, clientForStack, expectError, expectStatus, unwrap } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { createUser } from './users.ts';

/** What each guarded path must serve once the caller is known. */
const GUARDED: { path: string; check: (text: string) => boolean; what: string }[] = [
  { path: '/metrics', check: (t) => /^# HELP /m.test(t), what: 'Prometheus text' },
  { path: '/api/openapi.json', check: (t) => /"openapi"\s*:\s*"3\./.test(t), what: 'the OpenAPI document' },
  { path: '/api/docs/json', check: (t) => /"openapi"\s*:\s*"3\./.test(t), what: 'the OpenAPI document' },
  {
    path: '/api/docs/static/swagger-initializer.js',
    check: (t) => /SwaggerUIBundle/.test(t),
    what: 'the Swagger UI start script',
  },
  {
    path: '/api/docs/static/swagger-ui-bundle.js',
    check: (t) => t.length > 10_000,
    what: 'a Swagger UI asset (static file)',
  },
];

const PUBLIC = ['/api/health', '/api/health/live', '/api/health/ready', '/'];

if (inject('stack').authEnabled) {
  describe('docs and metrics need credentials (auth on)', { tags: ['security', 'api'] }, () => {
    test('without credentials the docs, the OpenAPI document and /metrics are 401 in the envelope', async ({
      stack,
    }) => {
      const anonymous = new ApiClient(stack.httpUrl);
      for (const { path } of [...GUARDED, { path: '/api/docs' }]) {
        const res = await anonymous.get(path);
        expectError(res, 401, 'UNAUTHORIZED', `${path} must need credentials when auth is on`);
        expectCleanError(res, stack, `${path} without credentials`);
      }
      const forged = await new ApiClient(stack.httpUrl, { apiKey: 'pk_not-a-key' }).get('/metrics');
      expectError(forged, 401, 'UNAUTHORIZED', '/metrics with an invalid API key must be 401');
      for (const path of PUBLIC)
        expectStatus(await anonymous.get(path), 200, `${path} must stay public (probes, the orchestrator)`);
    });

    test('a Bearer token or an API key of any role opens them', async ({ client: admin, stack }) => {
      const viewer = await createUser(admin, 'viewer');
      const key = unwrap<{ id: string; api_key: string }>(
        await viewer.client.post('/api/auth/api-keys', { name: viewer.helper.name('scraper') }),
        201,
        'a viewer creates an API key for a scraper',
      );
      viewer.helper.track('api-key', key.id);
      const scraper = new ApiClient(stack.httpUrl, { apiKey: key.api_key });
      for (const [who, client] of [
        ['the admin (Bearer)', admin],
        ['a viewer (Bearer)', viewer.client],
        ['a viewer’s API key', scraper],
      ] as const)
        for (const { path, check, what } of GUARDED) {
          const res = await client.get(path);
          expectStatus(res, 200, `${path} must answer ${who}`);
          expect(check(res.text), `${path} must serve ${what} to ${who}`).toBe(true);
        }
      const ui = await viewer.client.get('/api/docs');
      expectStatus(ui, [200, 302], '/api/docs must answer a logged-in viewer');
    });
  });
} else {
  describe('docs and metrics (auth off)', { tags: ['security', 'api'] }, () => {
    test('the docs, the OpenAPI document and /metrics are open when auth is off', async ({ stack }) => {
      const anonymous = await clientForStack(stack);
      for (const { path, check, what } of GUARDED) {
        const res = await anonymous.get(path);
        expectStatus(res, 200, `${path} must be open when auth is off`);
        expect(check(res.text), `${path} must serve ${what}`).toBe(true);
      }
    });
  });
}
