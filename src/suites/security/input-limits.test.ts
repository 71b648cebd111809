/**
 * security / input limits: out-of-range paging, impossible dates, deeply nested JSON and batches
 * on the one-point REST route are refused with a 4xx in the envelope, never a 500, and the
 * service keeps answering.
 *
 * Faults this file catches:
 * - an offset beyond PostgreSQL's bigint (or a year 0) reaching the database as a 500
 *   (checked by faults/catalog/security.ts: sec-pg-range-500)
 * - list offsets without an upper bound (sec-offset-unbounded)
 * - deeply nested JSON parsed, stored or serialised (sec-json-depth-unchecked)
 * - a query number such as 1e400 coerced to Infinity and reaching the route (sec-query-infinity)
 * - a list of points accepted by REST /process (batches belong to the socket or to predict)
 */
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { type ApiResponse, expectError, expectStatus, unwrap } from '../fixtures/http-client.ts';
import { FEATURES } from '../fixtures/sample-data.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';

/** The lists and their largest `limit` (500; a dataset's rows 1,000). */
const LISTS: [string, string, number][] = [
  ['datasets', '/api/datasets', 500],
  ['detectors', '/api/detectors', 500],
  ['experiments', '/api/experiments', 500],
  ['sessions', '/api/streaming/sessions', 500],
];
/** Past bigint, past the documented cap (int4), negative, not an integer, infinite once coerced. */
const BAD_OFFSETS = ['99999999999999999999', '9223372036854775808', '2147483648', '-1', '1.5', '1e400'];
const BAD_LIMITS = ['0', '99999999999999999999', '-3', '1e400'];
const POINT = Object.fromEntries(FEATURES.map((f) => [f, 0.5]));

function expect422(res: ApiResponse, what: string): void {
  expectError(res, 422, 'VALIDATION_ERROR', `${what} must be 422 VALIDATION_ERROR, never 500`);
  expectCleanError(res, useStack(), what);
}

describe('input limits', { tags: ['security', 'api'] }, () => {
  test('out-of-range offset and limit on every list route are 422; the largest offset is an empty page', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadCsv('a,b\n1,2\n3,4\n');
    const lists: [string, string, number][] = [
      ...LISTS,
      ['dataset rows', `/api/datasets/${dataset.id}/data`, 1000],
    ];
    for (const [what, path, maxLimit] of lists) {
      expect422(await client.get(path, { query: { limit: maxLimit + 1 } }), `${what} limit=${maxLimit + 1}`);
      for (const offset of BAD_OFFSETS)
        expect422(await client.get(path, { query: { offset } }), `${what} offset=${offset}`);
      for (const limit of BAD_LIMITS)
        expect422(await client.get(path, { query: { limit } }), `${what} limit=${limit}`);
    }
    for (const offset of [1e20, 1e19, -1])
      expect422(await client.post('/api/events/query', { offset }), `event query offset=${offset}`);
    for (const limit of [0, 501, 1e20])
      expect422(await client.post('/api/events/query', { limit }), `event query limit=${limit}`);
    for (const [what, path] of LISTS) {
      const page = unwrap<Record<string, unknown>>(
        await client.get(path, { query: { offset: 2147483647, limit: 1 } }),
        200,
        `${what} at the largest offset must answer`,
      );
      expect(
        { offset: page.offset, items: (page[what] as unknown[]).length },
        `${what}: an empty page echoing the offset`,
      ).toEqual({
        offset: 2147483647,
        items: 0,
      });
    }
    const rows = unwrap<{ rows: unknown[]; offset: number }>(
      await client.get(`/api/datasets/${dataset.id}/data`, { query: { offset: 2147483647 } }),
      200,
      'dataset rows far past the end must answer',
    );
    expect({ rows: rows.rows.length, offset: rows.offset }, 'dataset rows past the end: none').toEqual({
      rows: 0,
      offset: 2147483647,
    });
  });

  test('impossible or out-of-range dates in event filters are 422', async ({ client }) => {
    for (const value of [
      '99999-01-01T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2024-13-01T00:00:00Z',
      'yesterday',
      '2024-01-01',
    ])
      for (const field of ['event_time_start', 'event_time_end'])
        expect422(
          await client.post('/api/events/query', { [field]: value }),
          `event query ${field}=${value}`,
        );
    for (const hours of ['1e400', '-1', 'NaN'])
      expect422(
        await client.get('/api/events/patterns/detect', { query: { hours } }),
        `pattern detection hours=${hours}`,
      );
    expectStatus(await client.get('/api/health'), 200, 'the service keeps answering after bad dates');
  });

  test('deeply nested JSON is 400 JSON_TOO_DEEP and the service keeps answering', async ({
    helper,
    client,
    stack,
  }) => {
    const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
    const title = helper.name('deep');
    const deepEvent = `{"event_type":"x","title":"${title}","data":{"x":${deepArray}}}`;
    const unclosed = `{"name":"x","parameters":${'{"a":'.repeat(50_000)}`;
    for (const [what, path, body] of [
      ['10,000 levels of [', `/api/detectors/create?dataset_id=${randomUUID()}`, deepArray],
      ['an event with 10,000 nested levels in data', '/api/events/create', deepEvent],
      ['50,000 unclosed objects', `/api/detectors/create?dataset_id=${randomUUID()}`, unclosed],
      ['a login with nested credentials', '/api/auth/login', `{"username":${deepArray},"password":"x"}`],
    ] as const) {
      const res = await client.post(path, undefined, {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'JSON_TOO_DEEP', `${what} must be refused with 400 JSON_TOO_DEEP`);
      expectCleanError(res, stack, what);
    }
    const query = await client.data('POST', '/api/events/query', { json: { limit: 500 } }, 'event query');
    expect(
      query.events.filter((e: { title: string }) => e.title === title),
      'a refused deep event must not be stored',
    ).toEqual([]);
    // Control: a document nested well within the limit is an ordinary event.
    const nested = JSON.parse(`${'{"a":'.repeat(30)}1${'}'.repeat(30)}`);
    const event = await client.data(
      'POST',
      '/api/events/create',
      { json: { event_type: 'x', title: helper.name('nested'), data: nested }, expected: 201 },
      '30 levels of nesting must be accepted',
    );
    expect(event.data, 'the nested document is stored whole').toEqual(nested);
    expectStatus(await client.get('/api/health'), 200, 'the service keeps answering after deep JSON');
  });

  test('REST /process scores one point: a batch (a list) is 422 and nothing is scored or counted', async ({
    helper,
    client,
  }) => {
    const { detector } = await helper.trainedDetector({ algorithm: 'zscore', parameters: {} });
    const session = await helper.startSession(detector.id);
    const path = `/api/streaming/sessions/${session.id}/process`;
    for (const [what, data] of [
      ['a list of two points', [POINT, POINT]],
      ['a list of 5,000 points', Array.from({ length: 5_000 }, () => POINT)],
    ] as const)
      expect422(await client.post(path, { data }), `/process with ${what}`);
    const metrics = await helper.sessionMetrics(session.id);
    expect(
      { processed: metrics.messages_processed, failed: metrics.failed_messages },
      'a refused batch must score and count nothing',
    ).toEqual({ processed: 0, failed: 0 });
    const one = await helper.processPoint(session.id, POINT);
    expect(one.sequence, 'the next single point is the session’s first').toBe(1);
  });
});
