/**
 * streaming / the error path: bad frames on the socket, bad REST calls, unknown sessions.
 *
 * Faults this file catches:
 * - bad frames (not JSON, unknown type, wrong payload, non-numeric or missing features) closing the
 *   socket, being ignored without an error frame and code, or poisoning the session for later points
 *   (checked by faults/catalog.ts: stream-bad-json-closes-socket)
 * - bad points not counted in failed_messages, counted as processed, or given a sequence number
 *   (stream-failed-not-counted)
 * - an unknown session accepted for a live socket (stream-unknown-session-upgrade-accepted) or for REST
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { expectPointFrames, expectSessionCounters } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('streaming bad input', { tags: ['streaming', 'integration'] }, () => {
  test('bad frames get error frames with a code, keep the socket open and count only bad points as failed', async ({
    helper,
    liveSession,
  }) => {
    const { detectorId, points, session, live } = liveSession;
    // [what, frame, error code, bad points it carries (failed_messages, service README)]
    const badFrames: [string, unknown, string, number][] = [
      ['text that is not JSON', 'hello {', 'BAD_FRAME', 0],
      ['JSON without a type', { payload: [] }, 'BAD_FRAME', 0],
      ['an unknown type', { type: 'teleport', payload: {} }, 'BAD_FRAME', 0],
      ['points that are not a list', { type: 'points', payload: 'many' }, 'BAD_FRAME', 0],
      ['an empty list of points', { type: 'points', payload: [] }, 'BAD_FRAME', 0],
      ['a JSON array', [1, 2, 3], 'BAD_FRAME', 0],
      [
        'a point with a non-numeric feature',
        { type: 'points', payload: [{ humidity: 'wet', temperature: 20 }] },
        'VALIDATION_ERROR',
        1,
      ],
      ['a point missing a feature', { type: 'points', payload: [{ humidity: 44 }] }, 'VALIDATION_ERROR', 1],
      [
        'a batch of three with one bad point',
        { type: 'points', payload: [points[0], { humidity: 44, temperature: null }, points[1]] },
        'VALIDATION_ERROR',
        3,
      ],
    ];
    for (let i = 0; i < badFrames.length; i++) {
      const [what, frame, code] = badFrames[i];
      live.send(frame);
      await live.waitForCount('error', i + 1, `an error frame for ${what}`);
      expect(live.errors()[i].code, `the error frame for ${what} carries code ${code}`).toBe(code);
      expect(live.errors()[i].message, `the error frame for ${what} says what is wrong`).toBeTruthy();
      expect(live.isOpen, `the socket must stay open after ${what}`).toBe(true);
    }
    live.send({ type: 'ping' });
    await live.waitForCount('pong', 1, 'a pong for a ping after the bad frames');

    // Good points still score, numbered from 1: bad points consume no sequence number.
    const good = points.slice(2, 5);
    live.send({ type: 'points', payload: good.slice(0, 2) });
    live.send({ type: 'points', payload: good[2] });
    await live.waitForScores(3, 'good points (a list, then a single object) scored after bad frames');
    const predicted = await helper.predict(detectorId, good);
    expectPointFrames(
      live.frames,
      session.id,
      predicted.map((p, i) => ({ ...p, point: good[i] })),
    );
    const failed = badFrames.reduce((sum, [, , , bad]) => sum + bad, 0);
    await expectSessionCounters(
      helper,
      session.id,
      { processed: 3, anomalies: predicted.filter((p) => p.is_anomaly).length, failed },
      'after bad frames and 3 good points',
    );
  });

  test('bad REST /process calls are refused with their status and code', async ({ helper, client }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const path = `/api/streaming/sessions/${session.id}/process`;

    const missing = await client.post(path, { data: { humidity: 44 } });
    expectStatus(missing, 422, 'a point missing a feature must be refused');
    expect(missing.body.error?.code, 'a point missing a feature: VALIDATION_ERROR').toBe('VALIDATION_ERROR');
    const text = await client.post(path, { data: { humidity: 'wet', temperature: 20 } });
    expectStatus(text, 422, 'a non-numeric feature must be refused by the request schema');
    expect(text.body.error?.code, 'a non-numeric feature: VALIDATION_ERROR').toBe('VALIDATION_ERROR');
    const noData = await client.post(path, { point: points[0] });
    expectStatus(noData, 422, 'a body without data must be refused');
    const unknown = await client.post(`/api/streaming/sessions/${UNKNOWN}/process`, { data: points[0] });
    expectStatus(unknown, 404, '/process of an unknown session');
    expect(unknown.body.error?.code, '/process of an unknown session: NOT_FOUND').toBe('NOT_FOUND');
    expectStatus(
      await client.post('/api/streaming/sessions/not-a-uuid/process', { data: points[0] }),
      404,
      '/process of a session id that is not a UUID',
    );
    expectStatus(
      await client.get(`/api/streaming/sessions/${UNKNOWN}/metrics`),
      404,
      'metrics of an unknown session',
    );

    const ok = await helper.processPoint(session.id, points[0]);
    expect(ok.sequence, 'the first good point after refused calls is number 1').toBe(1);
    const [predicted] = await helper.predict(detectorId, [points[0]]);
    await expectSessionCounters(
      helper,
      session.id,
      // Only the point that passed the schema and reached the session counts as failed (README).
      { processed: 1, anomalies: predicted.is_anomaly ? 1 : 0, failed: 1 },
      'after refused REST calls and one good point',
    );
  });

  test('a live socket for an unknown session is refused with 404 at the upgrade', async ({
    helper,
    stack,
  }) => {
    const url = `${stack.wsUrl}/api/streaming/sessions/${UNKNOWN}/live`;
    expect(
      await LiveSocket.upgradeStatus(url, helper.client.authHeaders()),
      'an unknown session must be refused with 404 at the upgrade',
    ).toBe(404);
  });
});
