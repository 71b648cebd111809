/**
 * end-to-end / a security analyst monitoring a live feed: streaming session, alerts,
 * acknowledge, resolve (real labelled sensor readings).
 *
 * Faults this file catches:
 * - alerts on the socket not matching stored events (ids or count)
 * - acknowledge/resolve of an alert's event not reflected in queries and the summary
 * - the session summary disagreeing with what the analyst saw (checked by faults/catalog.ts:
 *   e2e-summary-anomalies-wrong)
 * - streaming events stored without their session (e2e-stream-events-without-session)
 * - acknowledge resolving, or resolve touching other events (e2e-acknowledge-resolves)
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import {
  expectAlertsStored,
  expectPointFrames,
  expectSessionCounters,
  sessionEvents,
} from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

describe('security-analyst monitoring', { tags: ['integration', 'workflows', 'streaming'] }, () => {
  test('watch a live session, get alerts, acknowledge and resolve them', async ({
    helper,
    client,
    stack,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected');
      live.send({ type: 'points', payload: points });
      await live.waitForScores(points.length, 'every reading scored (and the last alert)', 30_000);
      const predicted = await helper.predict(detectorId, points);
      const { alerts } = expectPointFrames(
        live.frames,
        session.id,
        predicted.map((p, i) => ({ ...p, point: points[i] })),
      );
      expect(alerts.length, 'the sensor event must raise at least three alerts').toBeGreaterThanOrEqual(3);

      // Every query is scoped to this session: events of other tests never count.
      const events = await sessionEvents(helper, session.id);
      expectAlertsStored(alerts, events, { sessionId: session.id, detectorId });
      expect(
        events.map((e) => e.status),
        'new alerts are open events',
      ).toEqual(events.map(() => 'open'));

      const [first, second, untouched] = alerts.map((a) => a.event_id);
      // acknowledged_by / resolved_by name the caller (service README): the admin, or `anonymous` without auth.
      const caller = stack.authEnabled ? stack.admin.username : 'anonymous';
      const ackRes = await client.post(`/api/events/${first}/acknowledge`, {
        by: 'analyst-1',
        notes: 'looking',
      });
      expectStatus(ackRes, 200, 'acknowledge an alert’s event');
      expect(ackRes.body.data, 'acknowledge answers the event, acknowledged, by the caller').toMatchObject({
        id: first,
        status: 'acknowledged',
        acknowledged_by: caller,
        resolved_at: null,
      });
      expect(ackRes.body.data.acknowledged_at, 'acknowledge sets acknowledged_at').toBeTruthy();
      const resolveRes = await client.post(`/api/events/${second}/resolve`, {
        by: 'analyst-1',
        notes: 'sensor fixed',
      });
      expectStatus(resolveRes, 200, 'resolve an alert’s event');
      expect(
        resolveRes.body.data,
        'resolve answers the event, resolved, by the caller, with the notes',
      ).toMatchObject({
        id: second,
        status: 'resolved',
        resolved_by: caller,
        resolution_notes: 'sensor fixed',
      });
      expect(resolveRes.body.data.resolved_at, 'resolve sets resolved_at').toBeTruthy();
      const unknown = await client.post('/api/events/00000000-0000-4000-8000-000000000000/resolve', {});
      expectStatus(unknown, 404, 'resolve of an unknown event');

      const after = new Map((await sessionEvents(helper, session.id)).map((e) => [e.id, e.status]));
      expect(
        [after.get(first), after.get(second), after.get(untouched)],
        'in queries: the acknowledged event stays acknowledged, the resolved one resolved, the others open',
      ).toEqual(['acknowledged', 'resolved', 'open']);
      expect(
        [...after.values()].filter((status) => status === 'open').length,
        'acknowledge and resolve change only their own event',
      ).toBe(alerts.length - 2);
      const open = await client.data(
        'POST',
        '/api/events/query',
        { json: { session_id: session.id, statuses: ['open'], limit: 500 }, expected: 200 },
        'query the open events of the session',
      );
      expect(open.total, 'the open events of the session: every alert but the two handled').toBe(
        alerts.length - 2,
      );

      const stopped = await helper.sessionAction(session.id, 'stop');
      expect(stopped.status, 'the analyst stops the session').toBe('stopped');
      await expectSessionCounters(
        helper,
        session.id,
        { processed: points.length, anomalies: alerts.length, failed: 0 },
        'after the analyst stopped the session',
      );
      const summary = await client.data(
        'GET',
        `/api/streaming/sessions/${session.id}/summary`,
        { expected: 200 },
        'session summary',
      );
      expect(summary.session.status, 'the summary shows the session stopped').toBe('stopped');
      const alertIds = new Set(alerts.map((a) => a.event_id));
      expect(summary.recent_anomalies.length, 'the summary lists the most recent anomalies (up to 10)').toBe(
        Math.min(10, alerts.length),
      );
      expect(
        summary.recent_anomalies.every((a: { id: string }) => alertIds.has(a.id)),
        'the summary’s recent anomalies are alerts of this session',
      ).toBe(true);
    } finally {
      await live.close();
    }
  });
});
