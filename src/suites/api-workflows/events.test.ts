/**
 * api-workflows / events: from detections, and the query's filters, pages and order.
 * Every query is scoped to a detector id (and session id) of this test, never to a time window.
 *
 * Faults this file catches:
 * - anomalies found by predict not becoming events (or normal points becoming events), an event
 *   without its score, detector or the README's severity
 * - a query filter ignored (event_types, severities, statuses, min_anomaly_score, detector_id,
 *   session_id, event_time_start/end), offset ignored, not newest first (checked by
 *   faults/catalog/api-workflows.ts: api-events-severity-filter-ignored, api-events-oldest-first)
 * - summary not counting events by type; acknowledge / resolve changing another event or none
 */
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectError } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

interface Event {
  id: string;
  event_type: string;
  severity: string;
  anomaly_score: number | null;
  detector_id: string | null;
  session_id: string | null;
  status: string;
  event_time: string;
  resolved_at: string | null;
}

/** The README's severity of an anomaly score. */
function severityOf(score: number): string {
  if (score >= 0.9) return 'critical';
  if (score >= 0.75) return 'high';
  if (score >= 0.6) return 'medium';
  return 'low';
}

describe('events', { tags: ['api', 'integration', 'workflows'] }, () => {
  test('every anomaly found by predict becomes an event of its detector, and only those', async ({
    helper,
    client,
  }) => {
    const { detector } = await helper.trainedDetector();
    const points = [
      { feature1: 0, feature2: 0, feature3: 0 },
      { feature1: 9, feature2: 9, feature3: 9 },
      { feature1: 0.3, feature2: -0.1, feature3: 0.2 },
      { feature1: -8, feature2: 7, feature3: 9 },
    ];
    const predictions = await helper.predict(detector.id, points);
    expect(
      predictions.map((p) => p.is_anomaly),
      'the two far-away points must be flagged and the two central ones not',
    ).toEqual([false, true, false, true]);

    const found = await client.data(
      'POST',
      '/api/events/query',
      { json: { detector_id: detector.id, limit: 500 }, expected: 200 },
      'the events query must answer 200',
    );
    const events: Event[] = found.events;
    expect(found.total, 'each anomaly of predict must become exactly one event of its detector').toBe(2);
    const anomalyScores = predictions.filter((p) => p.is_anomaly).map((p) => p.anomaly_score);
    expect(
      events.map((e) => e.anomaly_score).sort(),
      'the events must carry the scores of the flagged points',
    ).toEqual([...anomalyScores].sort());
    for (const e of events)
      expect(
        { type: e.event_type, severity: e.severity, detector: e.detector_id, status: e.status },
        'an anomaly event: anomaly_detected, severity from its score, its detector, open',
      ).toEqual({
        type: 'anomaly_detected',
        severity: severityOf(e.anomaly_score ?? 0),
        detector: detector.id,
        status: 'open',
      });
  });

  test('the query filters, pages and orders events newest first', async ({ helper, client }) => {
    // Ids and a type only this test uses: every query below is scoped to them.
    const detectorId = randomUUID();
    const otherDetectorId = randomUUID();
    const sessionId = randomUUID();
    const typeA = helper.name('type-a');
    const typeB = helper.name('type-b');
    const at = (minutes: number) => new Date(Date.UTC(2024, 0, 1, 12, minutes)).toISOString();
    const create = async (body: Record<string, unknown>): Promise<Event> => {
      const event = await client.data(
        'POST',
        '/api/events/create',
        { json: { title: 'integration-test event', ...body }, expected: 201 },
        'creating an event must answer 201 Created',
      );
      expect(
        {
          type: event.event_type,
          score: event.anomaly_score,
          detector: event.detector_id,
          time: event.event_time,
        },
        'a created event must keep its type, score, detector and time',
      ).toEqual({
        type: body.event_type,
        score: body.anomaly_score,
        detector: body.detector_id,
        time: body.event_time,
      });
      return event;
    };
    const e1 = await create({
      event_type: typeA,
      severity: 'low',
      anomaly_score: 0.3,
      event_time: at(0),
      detector_id: detectorId,
      session_id: sessionId,
    });
    const e2 = await create({
      event_type: typeB,
      severity: 'high',
      anomaly_score: 0.8,
      event_time: at(1),
      detector_id: detectorId,
    });
    const e3 = await create({
      event_type: typeA,
      severity: 'critical',
      anomaly_score: 0.95,
      event_time: at(2),
      detector_id: detectorId,
      session_id: sessionId,
    });
    const neighbour = await create({
      event_type: typeA,
      severity: 'critical',
      anomaly_score: 0.99,
      event_time: at(3),
      detector_id: otherDetectorId,
    });

    const query = async (filter: Record<string, unknown>, what: string): Promise<string[]> => {
      const page = await client.data(
        'POST',
        '/api/events/query',
        { json: { detector_id: detectorId, limit: 500, ...filter }, expected: 200 },
        `the events query (${what}) must answer 200`,
      );
      expect(page.total, `total must count the events matching ${what}`).toBe(page.events.length);
      return page.events.map((e: Event) => e.id);
    };
    expect(await query({}, 'detector_id'), 'detector_id must list its 3 events, newest first').toEqual([
      e3.id,
      e2.id,
      e1.id,
    ]);
    expect(
      await query({ detector_id: otherDetectorId }, 'another detector_id'),
      'detector_id must list only that detector’s events',
    ).toEqual([neighbour.id]);

    const first = await client.data(
      'POST',
      '/api/events/query',
      { json: { detector_id: detectorId, limit: 2, offset: 0 }, expected: 200 },
      'the events query must answer 200',
    );
    expect(
      {
        ids: first.events.map((e: Event) => e.id),
        total: first.total,
        limit: first.limit,
        offset: first.offset,
      },
      'limit 2 offset 0: the 2 newest events, total 3, limit and offset echoed',
    ).toEqual({ ids: [e3.id, e2.id], total: 3, limit: 2, offset: 0 });
    const second = await client.data(
      'POST',
      '/api/events/query',
      { json: { detector_id: detectorId, limit: 2, offset: 2 }, expected: 200 },
      'the events query must answer 200',
    );
    expect(
      { ids: second.events.map((e: Event) => e.id), total: second.total, offset: second.offset },
      'limit 2 offset 2: the oldest event only',
    ).toEqual({ ids: [e1.id], total: 3, offset: 2 });

    expect(await query({ event_types: [typeA] }, 'event_types'), 'event_types must filter').toEqual([
      e3.id,
      e1.id,
    ]);
    expect(await query({ severities: ['high', 'critical'] }, 'severities'), 'severities must filter').toEqual(
      [e3.id, e2.id],
    );
    expect(
      await query({ min_anomaly_score: 0.8 }, 'min_anomaly_score'),
      'min_anomaly_score must keep scores at or above it',
    ).toEqual([e3.id, e2.id]);
    expect(
      await query({ event_time_start: at(1), event_time_end: at(1) }, 'a one-instant window'),
      'event_time_start and event_time_end are inclusive bounds',
    ).toEqual([e2.id]);
    expect(
      await query({ event_time_end: at(0) }, 'event_time_end'),
      'event_time_end must drop later events',
    ).toEqual([e1.id]);
    expect(
      await query({ event_time_start: at(2) }, 'event_time_start'),
      'event_time_start must drop earlier events',
    ).toEqual([e3.id]);
    expect(
      await query({ detector_id: undefined, session_id: sessionId }, 'session_id'),
      'session_id must list that session’s events',
    ).toEqual([e3.id, e1.id]);

    const summary = await client.data('GET', '/api/events/summary', { expected: 200 }, 'events summary');
    expect(
      [summary.events_by_type[typeA], summary.events_by_type[typeB]],
      'events_by_type must count the events of each (test-unique) type',
    ).toEqual([3, 1]);

    const acknowledged = await client.data(
      'POST',
      `/api/events/${e2.id}/acknowledge`,
      { json: {}, expected: 200 },
      'acknowledge must answer 200',
    );
    expect(acknowledged.status, 'acknowledge must set status "acknowledged"').toBe('acknowledged');
    const resolved = await client.data(
      'POST',
      `/api/events/${e1.id}/resolve`,
      { json: { notes: 'handled' }, expected: 200 },
      'resolve must answer 200',
    );
    expect(
      { id: resolved.id, status: resolved.status, notes: resolved.resolution_notes },
      'resolve must set status "resolved" with its notes',
    ).toEqual({ id: e1.id, status: 'resolved', notes: 'handled' });
    expect(await query({ statuses: ['acknowledged'] }, 'statuses'), 'statuses must filter').toEqual([e2.id]);
    expect(await query({ statuses: ['resolved'] }, 'statuses'), 'statuses must filter').toEqual([e1.id]);
    expect(
      await query({ statuses: ['open'] }, 'statuses'),
      'acknowledge and resolve must leave the other events open',
    ).toEqual([e3.id]);
    expectError(
      await client.post(`/api/events/${randomUUID()}/resolve`, {}),
      404,
      'NOT_FOUND',
      'resolving an unknown event must be 404',
    );
  });
});
