/**
 * streaming / WebSocket scoring of real labelled sensor readings.
 *
 * Faults this file catches:
 * - no `connected` frame first, or frames that are not JSON {type, payload}
 * - points sent over the socket not scored, scored out of order, or scored differently from predict
 *   (checked by faults/catalog.ts: stream-drop-every-fifth-score, stream-batch-reversed)
 * - wrong anomaly flags on real labelled data (ROC AUC of the stream against the labels too low)
 * - no `alert` frame per anomaly, or alerts for normal points
 * - points scored through REST /process not pushed to the socket
 * - no periodic `metrics` frame; metrics counters not matching the points scored
 * - an unknown session accepted for a live socket
 */
import { describe, expect, test } from 'vitest';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { rocAuc } from '../fixtures/sample-data.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { useStack } from '../fixtures/stack.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

interface ScorePayload {
  session_id?: string;
  anomaly_score: number;
  is_anomaly: boolean;
  timestamp?: string;
}

describe('live scoring over WebSocket', { tags: ['streaming', 'integration'] }, () => {
  const it = useIntegrationHelper();

  test('connected first, then every point scored in order with the flags of predict, alerts for anomalies', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points, labels } = await sensorDetector(helper);
    const expected = await helper.predict(detectorId, points);
    const session = await helper.startSession(detectorId);

    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'a connected frame after the upgrade');
      expect(live.frames[0].type, 'the first frame must be "connected"').toBe('connected');
      expect(JSON.stringify(live.frames[0].payload), 'the connected frame must name the session').toContain(
        session.id,
      );

      // Three batches, to check order across frames as well as within one.
      for (const batch of [points.slice(0, 50), points.slice(50, 120), points.slice(120)])
        live.send({ type: 'points', payload: batch });
      const scores = (
        await live.waitForCount('score', points.length, `${points.length} score frames`, 30_000)
      ).map((f) => f.payload as ScorePayload);
      expect(live.malformed, 'every frame must be JSON {type, payload}').toEqual([]);
      expect(scores.length, 'exactly one score frame per point').toBe(points.length);
      expect(
        scores.map((s) => s.anomaly_score),
        'socket scores must equal predict scores of the same points, in the order sent',
      ).toEqual(expected.map((p) => p.anomaly_score));
      expect(
        scores.map((s) => s.is_anomaly),
        'socket anomaly flags must equal predict flags of the same points',
      ).toEqual(expected.map((p) => p.is_anomaly));

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
      expect(
        flaggedNormal / normals,
        'at most 10% of the normal readings may be flagged',
      ).toBeLessThanOrEqual(0.1);
      const anomalies = scores.filter((s) => s.is_anomaly).length;
      expect(anomalies, 'the introduced sensor event must produce anomalies').toBeGreaterThan(20);

      const alerts = await live.waitForCount('alert', anomalies, `${anomalies} alert frames`, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.ofType('alert').length, 'exactly one alert per anomaly, none for normal points').toBe(
        anomalies,
      );
      for (const alert of alerts)
        expect(
          alert.payload.anomaly_score,
          'an alert carries the anomaly score of an anomaly',
        ).toBeGreaterThanOrEqual(Math.min(...scores.filter((s) => s.is_anomaly).map((s) => s.anomaly_score)));

      const metrics = await helper.sessionMetrics(session.id, 'metrics');
      expect(metrics.messages_processed, 'metrics must count every point scored over the socket').toBe(
        points.length,
      );
      expect(metrics.anomalies_detected, 'metrics must count every anomaly').toBe(anomalies);
    } finally {
      await live.close();
    }
  });

  test('points scored through REST /process are pushed to the socket', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected frame');
      const rest = [];
      for (const point of points.slice(40, 50)) rest.push(await helper.processPoint(session.id, point));
      const pushed = await live.waitForCount('score', 10, 'a score frame for each REST /process call');
      expect(
        pushed.map((f) => f.payload.anomaly_score),
        'the socket must see the REST scores in the order they were processed',
      ).toEqual(rest.map((r) => r.anomaly_score));
    } finally {
      await live.close();
    }
  });

  test('metrics frames arrive periodically and match the counters', { tags: ['slow'] }, async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      live.send({ type: 'points', payload: points.slice(0, 20) });
      await live.waitForCount('score', 20, '20 score frames');
      const [first] = await live.waitForCount('metrics', 1, 'a periodic metrics frame', 35_000);
      await live.waitUntil(
        (frames) =>
          frames.filter((f) => f.type === 'metrics' && f.payload.messages_processed === 20).length > 0,
        'a metrics frame that counts the 20 points',
        35_000,
      );
      expect(first.payload, 'a metrics frame carries messages_processed').toHaveProperty(
        'messages_processed',
      );
    } finally {
      await live.close();
    }
  });

  test('a live socket for an unknown session is refused', async () => {
    const stack = useStack();
    const { helper } = it;
    const url = `${stack.wsUrl}/api/streaming/sessions/00000000-0000-4000-8000-000000000000/live`;
    const status = await LiveSocket.upgradeStatus(url, helper.client.authHeaders());
    if (status === 101) {
      // Accepted at HTTP level: then the server must say so in a frame and close.
      const live = await LiveSocket.openUrl(url, helper.client.authHeaders());
      await live.waitUntil(
        (frames) => frames.some((f) => f.type === 'error') || live.closed !== null,
        'an error frame or a close for an unknown session',
      );
      expect(live.ofType('connected').length, 'an unknown session must not get a connected frame').toBe(0);
      await live.close();
    } else {
      expect(status, 'an unknown session must be refused with 404 at the upgrade').toBe(404);
    }
  });
});
