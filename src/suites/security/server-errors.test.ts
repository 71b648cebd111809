/**
 * security / the body of a 500. The correct service only answers 500 for a genuine unexpected
 * error, so the test makes one from outside: a trigger in the service's own PostgreSQL raises an
 * error for writes of this test's own dataset only (service-control's failWritesOf), and the
 * error's text imitates what must never leave the server (SQL, a file path with line numbers, a
 * unique marker). Stopping PostgreSQL was not chosen: its data is on tmpfs and would be lost, and
 * it would fail every other request too.
 *
 * Faults this file catches:
 * - a 500 carrying the error's message, stack, SQL or file paths
 *   (checked by faults/catalog.ts: sec-500-leaks-error)
 * - a 500 outside the error envelope, or one that changed the row anyway
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, onTestFinished } from 'vitest';
import { describeResponse, expectStatus } from '../fixtures/http-client.ts';
import { failWritesOf } from '../fixtures/service-control.ts';
import { test } from '../fixtures/test.ts';

/** What a leaking 500 would carry: the raised text, SQL, paths with line numbers, stack frames. */
const LEAKS: [string, RegExp][] = [
  ['SQL', /\b(SELECT|UPDATE|INSERT)\b.*\b(FROM|SET|INTO)\b/i],
  ['a file path', /\/(app|usr|src|dist)\/[\w./-]+/],
  ['a source line', /\.(ts|js|mjs|cjs):\d+/],
  ['a stack frame', /\bat [\w$.<>]+ \(|\bat async\b/],
  ['a PostgreSQL error', /\b(plpgsql|PL\/pgSQL|SQLSTATE|P0001)\b/i],
];

describe('the body of a 500', { tags: ['security', 'api'] }, () => {
  test('an unexpected error answers the opaque envelope: no message, stack, SQL or path', async ({
    helper,
    client,
    stack,
  }) => {
    const dataset = await helper.uploadCsv('a,b\n1,2\n3,4\n');
    const marker = helper.name('boom');
    const secret = `leak-${randomUUID()}`;
    const leak = `${secret}: SELECT password_hash FROM users WHERE id = 1; at query (/app/dist/db/pool.js:42:7)`;
    const restore = await failWritesOf(stack, { table: 'datasets', column: 'name', marker, leak });
    onTestFinished(restore);

    const res = await client.put(`/api/datasets/${dataset.id}`, { name: marker });
    expectStatus(res, 500, 'a write the database refuses unexpectedly must be a 500');
    const body = res.body as {
      success?: unknown;
      error?: { code?: unknown; message?: unknown };
      detail?: unknown;
      request_id?: unknown;
    };
    expect(
      typeof body === 'object' &&
        body.success === false &&
        typeof body.error?.code === 'string' &&
        typeof body.error?.message === 'string' &&
        typeof body.detail === 'string' &&
        body.request_id === res.headers['x-request-id'],
      `a 500 must be the error envelope with the request id: ${describeResponse(res)}`,
    ).toBe(true);
    expect(
      Object.keys(body.error ?? {}).sort(),
      `a 500 names only code and message: ${describeResponse(res)}`,
    ).toEqual(['code', 'message']);
    expect(res.text.includes(secret), `a 500 leaks the error's own text: ${describeResponse(res)}`).toBe(
      false,
    );
    for (const [what, pattern] of LEAKS)
      expect(res.text, `a 500 leaks ${what}: ${describeResponse(res)}`).not.toMatch(pattern);

    const after = await client.data('GET', `/api/datasets/${dataset.id}`, {}, 'read back after the 500');
    expect(after.name, 'the failed write must not have changed the dataset').toBe(dataset.name);
    await restore();
    const renamed = await client.data(
      'PUT',
      `/api/datasets/${dataset.id}`,
      { json: { name: marker } },
      'the same write without the trigger',
    );
    expect(renamed.name, 'the 500 came from the injected failure only').toBe(marker);
  });
});
