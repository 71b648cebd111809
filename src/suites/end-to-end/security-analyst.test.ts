/**
 * end-to-end / a security analyst monitoring a live feed: streaming session, alerts,
 * acknowledge, resolve (real labelled sensor readings).
 *
 * Faults this file catches:
 * - alerts on the socket not matching stored events (ids or count)
 * - acknowledge/resolve of an alert's event not reflected in queries and the summary
 * - the session summary disagreeing with what the analyst saw
 */
import { describe, expect, test } from 'vitest';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { useStack } from '../fixtures/stack.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

describe('security-analyst monitoring', { tags: ['integration', 'workflows', 'streaming'] }, () => {
  const it = useIntegrationHelper();

  test('watch a live session, get alerts, acknowledge and resolve them', async () => {
    const { helper, client } = it;
    const stack = useStack();
    const since = new Date(Date.now() - 1000).toISOString();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected');
      live.send({ type: 'points', payload: points });
      const scores = await live.waitForCount('score', points.length, 'every reading scored', 30_000);
      const anomalies = scores.filter((f) => f.payload.is_anomaly).length;
      expect(anomalies, 'the sensor event must raise anomalies').toBeGreaterThan(0);
      const alerts = await live.waitForCount('alert', anomalies, 'one alert per anomaly');

      const queried = await client.data(
        'POST',
        '/api/events/query',
        { json: { event_time_start: since, limit: 500 } },
        'query',
      );
      const events: { id: string; status?: string }[] = queried.events ?? queried;
      expect(events.length, 'every alert must be a stored event').toBe(alerts.length);
      const alertEventIds = alerts.map((a) => a.payload.event_id ?? a.payload.id);
      expect([...alertEventIds].sort(), 'alerts must carry the ids of their events').toEqual(
        events.map((e) => e.id).sort(),
      );

      const [first, second] = alertEventIds;
      const acked = await client.data(
        'POST',
        `/api/events/${first}/acknowledge`,
        { json: {} },
        'acknowledge',
      );
      expect(acked.status, 'acknowledged').toBe('acknowledged');
      const resolved = await client.data(
        'POST',
        `/api/events/${second ?? first}/resolve`,
        { json: {} },
        'resolve',
      );
      expect(resolved.status, 'resolved').toBe('resolved');
      const after = await client.data(
        'POST',
        '/api/events/query',
        { json: { event_time_start: since, limit: 500 } },
        'query',
      );
      const byId = new Map<string, { status?: string }>(
        (after.events ?? after).map((e: { id: string }) => [e.id, e]),
      );
      expect(byId.get(second ?? first)?.status, 'a resolved event must stay resolved in queries').toBe(
        'resolved',
      );
      if (second)
        expect(byId.get(first)?.status, 'an acknowledged event must stay acknowledged').toBe('acknowledged');

      await helper.sessionAction(session.id, 'stop');
      const summary = await client.data(
        'GET',
        `/api/streaming/sessions/${session.id}/summary`,
        {},
        'session summary',
      );
      const text = JSON.stringify(summary);
      expect(text, 'the summary must count every reading').toMatch(
        new RegExp(`"messages_processed":${points.length}\\b`),
      );
      expect(text, 'the summary must count every anomaly').toMatch(
        new RegExp(`"anomalies_detected":${anomalies}\\b`),
      );
    } finally {
      await live.close();
    }
  });
});
