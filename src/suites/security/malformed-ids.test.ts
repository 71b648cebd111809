/**
 * security / malformed ids: a path id that is not a UUID names nothing that can exist, so it is
 * answered exactly like an unknown id — 404 NOT_FOUND — on every method and on the live socket.
 * UUIDs that are input (a query's dataset_id) stay 422.
 *
 * Faults this file catches:
 * - a malformed path id answered 422 (the id's format as an oracle, a second error path)
 *   (checked by faults/catalog/security.ts: sec-malformed-id-422)
 * - a malformed id reaching the database (500)
 */
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { expectError } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

const MALFORMED = ['not-a-uuid', '1', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g'];

/** One route of each family and method, with a valid body. */
const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/datasets/{id}'],
  ['GET', '/api/datasets/{id}/stats'],
  ['GET', '/api/datasets/{id}/data'],
  ['GET', '/api/detectors/{id}'],
  ['GET', '/api/models/{id}'],
  ['GET', '/api/experiments/{id}/results'],
  ['GET', '/api/autonomous/automl/{id}/status'],
  ['GET', '/api/streaming/sessions/{id}'],
  ['GET', '/api/streaming/sessions/{id}/metrics'],
  ['PUT', '/api/datasets/{id}', { name: 'x' }],
  ['PUT', '/api/detectors/{id}', { name: 'x' }],
  ['DELETE', '/api/detectors/{id}'],
  ['DELETE', '/api/streaming/sessions/{id}'],
  ['DELETE', '/api/auth/api-keys/{id}'],
  ['POST', '/api/detection/train/{id}'],
  ['POST', '/api/detection/predict/{id}', { data: [{ feature1: 1 }] }],
  ['POST', '/api/models/{id}/promote', { stage: 'archived' }],
  ['POST', '/api/streaming/sessions/{id}/process', { data: { feature1: 1 } }],
  ['POST', '/api/events/{id}/acknowledge', {}],
];

describe('malformed ids', { tags: ['security', 'api'] }, () => {
  test.for(ROUTES)(
    '%s %s: a malformed id is 404 NOT_FOUND like an unknown one',
    async ([method, path, body], { client, stack }) => {
      const unknown = await client.request(method, path.replace('{id}', randomUUID()), { json: body ?? {} });
      expectError(unknown, 404, 'NOT_FOUND', `${method} ${path} with an unknown id must be 404`);
      for (const id of MALFORMED) {
        const res = await client.request(method, path.replace('{id}', encodeURIComponent(id)), {
          json: body ?? {},
        });
        expectError(
          res,
          404,
          'NOT_FOUND',
          `${method} ${path} with the malformed id ${JSON.stringify(id)} must be 404`,
        );
        expectCleanError(res, stack, `${method} ${path} with a malformed id`);
      }
    },
  );

  test('the live socket refuses a malformed session id with 404; a malformed input UUID stays 422', async ({
    client,
    stack,
  }) => {
    const status = await LiveSocket.upgradeStatus(
      `${stack.wsUrl}/api/streaming/sessions/not-a-uuid/live`,
      client.authHeaders(),
    );
    expect(status, 'a live socket on a malformed session id must be refused with 404').toBe(404);
    const create = await client.post(
      '/api/detectors/create',
      { name: 'x', algorithm: 'zscore', parameters: {} },
      { query: { dataset_id: 'not-a-uuid' } },
    );
    expectError(create, 422, 'VALIDATION_ERROR', 'a malformed dataset_id in a query is input: 422');
    const badBody = await client.post('/api/models/not-a-uuid/promote', { stage: 'heaven' });
    expectError(
      badBody,
      404,
      'NOT_FOUND',
      'the path id is checked before the body: a malformed id with a bad body is 404',
    );
  });
});
