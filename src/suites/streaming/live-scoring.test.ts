/**
 * streaming / WebSocket scoring of real labelled sensor readings.
 *
 * Faults this file catches:
 * - no `connected` frame first, or frames that are not JSON {type, payload}
 * - points sent over the socket not scored, scored out of order, or scored differently from predict
 *   (checked by faults/catalog.ts: stream-drop-every-fifth-score, stream-batch-reversed)
 * - sequence numbers that do not count 1, 2, 3, … across REST and socket
 *   (stream-sequence-from-zero, stream-rest-sequence-skips)
 * - alerts before their score frame, with another event's id, or missing (stream-alert-before-score,
 *   stream-alert-wrong-event-id); events not stored for the session
 * - wrong anomaly flags on real labelled data (ROC AUC of the stream against the labels too low)
 * - metrics counters or rate not matching the points scored (stream-anomalies-count-every-point,
 *   stream-anomaly-rate-off); metrics frames disagreeing with the endpoint (stream-metrics-frame-stale)
 */
import { describe, expect } from 'vitest';
import { rocAuc } from '../fixtures/sample-data.ts';
import {
  expectAlertsStored,
  expectPointFrames,
  expectSessionCounters,
  type SessionMetrics,
  sessionEvents,
} from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';

describe('live scoring over WebSocket', { tags: ['streaming', 'integration'] }, () => {
  test('connected first, then every point scored in order with the flags of predict, alerts for anomalies', async ({
    helper,
    liveSession,
  }) => {
    const { detectorId, points, labels, session, live } = liveSession;
    const predicted = await helper.predict(detectorId, points);
    const expected = predicted.map((p, i) => ({ ...p, point: points[i] }));

    expect(live.frames[0].type, 'the first frame must be "connected"').toBe('connected');
    expect(
      live.frames[0].payload,
      'the connected frame names the session, its status and the metrics interval',
    ).toEqual({
      session_id: session.id,
      status: 'active',
      metrics_interval_ms: 5000,
    });

    // Three batches, to check order across frames as well as within one.
    for (const batch of [points.slice(0, 50), points.slice(50, 120), points.slice(120)])
      live.send({ type: 'points', payload: batch });
    await live.waitForScores(
      points.length,
      `${points.length} score frames (and the last one's alert)`,
      30_000,
    );
    expect(live.malformed, 'every frame must be JSON {type, payload}').toEqual([]);
    const { scores, alerts } = expectPointFrames(live.frames, session.id, expected);

    const auc = rocAuc(
      labels,
      scores.map((s) => s.anomaly_score),
    );
    expect(
      auc,
      'streamed scores must rank the labelled sensor events first (ROC AUC ≥ 0.85)',
    ).toBeGreaterThanOrEqual(0.85);
    const flaggedNormal = scores.filter((s, i) => s.is_anomaly && labels[i] === 0).length;
    const normals = labels.filter((l) => l === 0).length;
    expect(flaggedNormal / normals, 'at most 10% of the normal readings may be flagged').toBeLessThanOrEqual(
      0.1,
    );
    expect(alerts.length, 'the introduced sensor event must produce anomalies').toBeGreaterThan(20);

    expectAlertsStored(alerts, await sessionEvents(helper, session.id), {
      sessionId: session.id,
      detectorId,
    });
    await expectSessionCounters(
      helper,
      session.id,
      { processed: points.length, anomalies: alerts.length, failed: 0 },
      `after ${points.length} socket points`,
    );
  });

  test('REST /process and the socket share one sequence; REST scores are pushed to the socket', async ({
    helper,
    liveSession,
  }) => {
    const { detectorId, points, session, live } = liveSession;
    // Eight consecutive readings that mix normal points and anomalies of the sensor event.
    const flags = (await helper.predict(detectorId, points)).map((p) => p.is_anomaly);
    const from = flags.findIndex(
      (_, i) => new Set(flags.slice(i, i + 8)).size === 2 && i + 8 <= flags.length,
    );
    expect(from, 'the stream must have readings that mix anomalies and normal points').toBeGreaterThanOrEqual(
      0,
    );
    const sent = points.slice(from, from + 8);
    const predicted = await helper.predict(detectorId, sent);
    live.send({ type: 'points', payload: sent.slice(0, 3) });
    await live.waitForScores(3, 'the first 3 socket points scored');
    const rest = [];
    for (const point of sent.slice(3, 6)) rest.push(await helper.processPoint(session.id, point));
    live.send({ type: 'points', payload: sent.slice(6) });
    await live.waitForScores(sent.length, `${sent.length} score frames, REST ones included`);

    const { scores } = expectPointFrames(
      live.frames,
      session.id,
      predicted.map((p, i) => ({ ...p, point: sent[i] })),
    );
    expect(
      rest.map((r) => ({ ...r })),
      'a REST /process answer must equal the score frame pushed for it (sequence 4, 5, 6 after 3 socket points)',
    ).toEqual(scores.slice(3, 6).map(({ point: _point, ...s }) => s));
    await expectSessionCounters(
      helper,
      session.id,
      { processed: sent.length, anomalies: predicted.filter((p) => p.is_anomaly).length, failed: 0 },
      'after socket and REST points',
    );
  });

  test('metrics frames carry the endpoint’s counters', { tags: ['slow'] }, async ({
    helper,
    liveSession,
  }) => {
    const { detectorId, points, session, live } = liveSession;
    const sent = points.slice(130, 150);
    const anomalies = (await helper.predict(detectorId, sent)).filter((p) => p.is_anomaly).length;
    live.send({ type: 'points', payload: sent });
    await live.waitForScores(sent.length, `${sent.length} score frames`);
    const endpoint = await expectSessionCounters(
      helper,
      session.id,
      { processed: sent.length, anomalies, failed: 0 },
      'before the metrics frame',
    );
    // Frames come every 5 s; the first one read after the points were counted must show them.
    await live.waitUntil(
      (frames) => frames.some((f) => f.type === 'metrics' && f.payload.messages_processed === sent.length),
      `a metrics frame counting the ${sent.length} points (metrics frame counters stale?)`,
      15_000,
    );
    const metricsFrames = live.ofType('metrics').map((f) => f.payload);
    const latest = metricsFrames[metricsFrames.length - 1];
    const counters = (m: SessionMetrics) => ({
      session_id: m.session_id,
      status: m.status,
      messages_processed: m.messages_processed,
      anomalies_detected: m.anomalies_detected,
      anomaly_rate: m.anomaly_rate,
      failed_messages: m.failed_messages,
      average_anomaly_score: m.average_anomaly_score,
    });
    expect(counters(latest), 'a metrics frame must carry the same counters as GET …/metrics').toEqual(
      counters(endpoint),
    );
    expect(
      metricsFrames.map((m) => m.messages_processed),
      'metrics frames never count down and never count more than was sent',
    ).toEqual([...metricsFrames.map((m) => m.messages_processed)].sort((a, b) => a - b));
    expect(Math.max(...metricsFrames.map((m) => m.messages_processed)), 'no more than was sent').toBe(
      sent.length,
    );
  });
});
