/**
 * api-workflows / events from detections.
 *
 * Faults this file catches:
 * - anomalies found by predict not becoming events (or normal points becoming events)
 * - event query filters (type, severity, min score, time window) ignored
 * - summary totals not counting the events
 * - acknowledge / resolve not changing the status; unknown event not 404
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';

interface Event {
  id: string;
  event_type: string;
  severity: string;
  anomaly_score?: number;
  detector_id?: string;
  status?: string;
  event_time?: string;
}

describe('events from detections', { tags: ['api', 'integration', 'workflows'] }, () => {
  const it = useIntegrationHelper();

  test('every anomaly found by predict becomes an event, and only those', async () => {
    const { helper, client } = it;
    const { detector } = await helper.trainedDetector();
    const since = new Date(Date.now() - 1000).toISOString();
    const before = await client.data('GET', '/api/events/summary', {}, 'events summary');

    const points = [
      { feature1: 0, feature2: 0, feature3: 0 },
      { feature1: 9, feature2: 9, feature3: 9 },
      { feature1: 0.3, feature2: -0.1, feature3: 0.2 },
      { feature1: -8, feature2: 7, feature3: 9 },
    ];
    const predictions = await helper.predict(detector.id, points);
    const anomalies = predictions.filter((p) => p.is_anomaly).length;
    expect(anomalies, 'the two far-away points must be flagged and the two central ones not').toBe(2);

    const found = await client.data(
      'POST',
      '/api/events/query',
      { json: { event_time_start: since, limit: 500 } },
      'events query',
    );
    const events: Event[] = (found.events ?? found).filter(
      (e: Event) => !e.detector_id || e.detector_id === detector.id,
    );
    expect(events.length, 'each anomaly of predict must become exactly one event').toBe(anomalies);
    for (const e of events) {
      expect(e.anomaly_score, 'an event of an anomaly carries its (high) score').toBeGreaterThan(
        Math.max(...predictions.filter((p) => !p.is_anomaly).map((p) => p.anomaly_score)),
      );
    }
    const after = await client.data('GET', '/api/events/summary', {}, 'events summary');
    expect(after.total_events - before.total_events, 'summary must count the new events').toBe(anomalies);
    const type = events[0].event_type;
    expect(
      (after.events_by_type[type] ?? 0) - (before.events_by_type[type] ?? 0),
      'events_by_type must count the new events',
    ).toBe(anomalies);

    const highOnly = await client.data(
      'POST',
      '/api/events/query',
      { json: { event_time_start: since, min_anomaly_score: 1.01, limit: 500 } },
      'events query with min score above any score',
    );
    expect((highOnly.events ?? highOnly).length, 'min_anomaly_score must filter events').toBe(0);
    const future = await client.data(
      'POST',
      '/api/events/query',
      { json: { event_time_start: new Date(Date.now() + 3_600_000).toISOString(), limit: 500 } },
      'events query in the future',
    );
    expect((future.events ?? future).length, 'event_time_start must filter events').toBe(0);
    const otherType = await client.data(
      'POST',
      '/api/events/query',
      { json: { event_time_start: since, event_types: ['no_such_type'], limit: 500 } },
      'events query by another type',
    );
    expect((otherType.events ?? otherType).length, 'event_types must filter events').toBe(0);

    const acknowledged = await client.data(
      'POST',
      `/api/events/${events[0].id}/acknowledge`,
      { json: {} },
      'acknowledge',
    );
    expect(acknowledged.status, 'acknowledge must set status "acknowledged"').toBe('acknowledged');
    const resolved = await client.data(
      'POST',
      `/api/events/${events[0].id}/resolve`,
      { json: {} },
      'resolve',
    );
    expect(resolved.status, 'resolve must set status "resolved"').toBe('resolved');
    const unknown = await client.post('/api/events/00000000-0000-4000-8000-000000000000/resolve', {});
    expectStatus(unknown, 404, 'resolving an unknown event must be 404');
  });
});
