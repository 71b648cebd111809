/**
 * streaming / points that carry their own `timestamp` (upstream's harness sends ISO 8601 strings).
 *
 * Faults this file catches:
 * - a point with an ISO 8601 `timestamp` string refused by /process or the socket
 *   (faults/catalog/streaming.ts: stream-timestamp-string-refused)
 * - the point's timestamp not echoed on its score (REST answer and score frame) or not kept on the
 *   point (stream-point-timestamp-dropped)
 * - a malformed timestamp string scored instead of refused with VALIDATION_ERROR, or not counted as
 *   failed (stream-malformed-timestamp-accepted)
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { expectPointFrames, expectSessionCounters } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';

describe('streaming point timestamps', { tags: ['streaming', 'integration'] }, () => {
  test('an ISO 8601 or numeric timestamp is kept on the point and echoed on its score, REST and socket', async ({
    helper,
    client,
    liveSession,
  }) => {
    const { detectorId, points, session, live } = liveSession;
    const stamps: (string | number | undefined)[] = [
      '2024-12-25T10:00:00Z',
      '2024-12-25T10:01:00.250+01:00',
      1735120920,
      undefined,
      '2024-12-25T10:03:00Z',
    ];
    const sent = points
      .slice(100, 105)
      .map((p, i) => (stamps[i] === undefined ? p : { ...p, timestamp: stamps[i] }));
    const predicted = await helper.predict(detectorId, points.slice(100, 105));
    const rest = [];
    for (const point of sent.slice(0, 3)) {
      const res = await client.post(`/api/streaming/sessions/${session.id}/process`, { data: point });
      expectStatus(
        res,
        200,
        `a point with timestamp ${JSON.stringify(point.timestamp)} must be scored by /process`,
      );
      rest.push(res.body.data);
    }
    expect(
      rest.map((r) => ({
        point_timestamp: r.point_timestamp,
        anomaly_score: r.anomaly_score,
        sequence: r.sequence,
      })),
      '/process must echo the point’s timestamp as sent (point_timestamp) and score it like predict, ignoring the timestamp',
    ).toEqual(
      sent.slice(0, 3).map((p, i) => ({
        point_timestamp: p.timestamp,
        anomaly_score: predicted[i].anomaly_score,
        sequence: i + 1,
      })),
    );
    live.send({ type: 'points', payload: sent.slice(3) });
    await live.waitForScores(sent.length, `${sent.length} score frames (3 REST, 2 socket)`);
    const { scores } = expectPointFrames(
      live.frames,
      session.id,
      predicted.map((p, i) => ({ ...p, point: sent[i] as Record<string, number> })),
    );
    expect(
      scores.map((s) => s.point_timestamp),
      'every score frame must echo its point’s timestamp as sent (null for the point without one)',
    ).toEqual([stamps[0], stamps[1], stamps[2], null, stamps[4]]);
    expect(
      rest,
      'a REST answer must equal its score frame without the point (point_timestamp included)',
    ).toEqual(scores.slice(0, 3).map(({ point: _point, ...s }) => s));
    await expectSessionCounters(
      helper,
      session.id,
      { processed: sent.length, anomalies: predicted.filter((p) => p.is_anomaly).length, failed: 0 },
      'after timestamped points',
    );
  });

  test('a malformed timestamp string is VALIDATION_ERROR on REST and on the socket, and counts as failed', async ({
    helper,
    client,
    liveSession,
  }) => {
    // The socket is open during the REST calls too: error frames go only to the socket that sent the bad frame.
    const { detectorId, points, session, live } = liveSession;
    const path = `/api/streaming/sessions/${session.id}/process`;
    for (const timestamp of ['invalid', '2024-13-45T10:00:00Z', '25/12/2024 10:00']) {
      const res = await client.post(path, { data: { ...points[0], timestamp } });
      expectStatus(
        res,
        422,
        `/process of a point with timestamp ${JSON.stringify(timestamp)} must be refused`,
      );
      expect(res.body.error?.code, `timestamp ${JSON.stringify(timestamp)}: VALIDATION_ERROR`).toBe(
        'VALIDATION_ERROR',
      );
      expect(res.body.error?.message, 'the refusal names the timestamp').toContain('timestamp');
    }
    live.send({ type: 'points', payload: [points[1], { ...points[2], timestamp: 'yesterday' }] });
    await live.waitForCount('error', 1, 'an error frame for a socket point with a malformed timestamp');
    expect(live.errors()[0].code, 'a malformed timestamp on the socket: VALIDATION_ERROR').toBe(
      'VALIDATION_ERROR',
    );
    // A good point afterwards is number 1: the refused points consumed no sequence number.
    const ok = await helper.processPoint(session.id, points[3]);
    expect(ok.sequence, 'the first good point after refused timestamps is number 1').toBe(1);
    await live.waitForScores(1, 'the good point’s score frame');
    expect(live.scores().length, 'no point of a refused frame may be scored').toBe(1);
    const [predicted] = await helper.predict(detectorId, [points[3]]);
    await expectSessionCounters(
      helper,
      session.id,
      // 3 refused REST points + the 2 points of the refused frame (README: a frame is scored whole or not at all).
      { processed: 1, anomalies: predicted.is_anomaly ? 1 : 0, failed: 5 },
      'after malformed timestamps and one good point',
    );
  });
});
