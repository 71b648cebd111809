import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf } from '../auth/authenticate.ts';
import {
  type EventRow,
  eventSummary,
  insertEvents,
  insertPattern,
  listPatterns,
  type PatternRow,
  queryEvents,
  setEventStatus,
} from '../db/repositories/events.ts';
import { success } from '../http/envelope.ts';
import { notFound } from '../http/errors.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  DetectedPatterns,
  DetectQuery,
  Event,
  EventCreate,
  EventList,
  EventQuery,
  EventSummary,
  Pattern,
  PatternCreate,
  StatusChange,
} from '../schemas/events.ts';
import { severityOf } from '../services/anomaly-events.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function eventView(row: EventRow) {
  const { owner_id: _owner, ...rest } = row;
  return {
    ...rest,
    event_time: row.event_time.toISOString(),
    created_at: row.created_at.toISOString(),
    acknowledged_at: iso(row.acknowledged_at),
    resolved_at: iso(row.resolved_at),
  };
}

function patternView(row: PatternRow) {
  return { ...row, created_at: row.created_at.toISOString() };
}

/** Patterns in recent events: bursts per source, severity concentration, and the stored rules that match. */
function detectPatterns(events: EventRow[], rules: PatternRow[], hours: number) {
  const found: {
    pattern_type: string;
    description: string;
    event_count: number;
    confidence: number;
    [k: string]: unknown;
  }[] = [];
  const bySource = new Map<string, EventRow[]>();
  for (const e of events) {
    const key = e.session_id
      ? `session:${e.session_id}`
      : e.detector_id
        ? `detector:${e.detector_id}`
        : 'manual';
    bySource.set(key, [...(bySource.get(key) ?? []), e]);
  }
  for (const [source, list] of bySource)
    if (list.length >= 5)
      found.push({
        pattern_type: 'frequency',
        description: `${list.length} events from ${source} in the last ${hours} h`,
        event_count: list.length,
        confidence: Math.min(1, list.length / 20),
        source,
      });
  const severe = events.filter((e) => e.severity === 'critical' || e.severity === 'high');
  if (severe.length >= 3)
    found.push({
      pattern_type: 'severity_concentration',
      description: `${severe.length} high or critical events in the last ${hours} h`,
      event_count: severe.length,
      confidence: events.length > 0 ? severe.length / events.length : 0,
    });
  for (const rule of rules) {
    const windowStart = Date.now() - rule.time_window_seconds * 1000;
    const inWindow = events.filter((e) => e.event_time.getTime() >= windowStart);
    const minEvents = Number(rule.conditions.min_events ?? 1);
    const minScore = Number(rule.conditions.min_anomaly_score ?? 0);
    const matching = inWindow.filter((e) => (e.anomaly_score ?? 0) >= minScore);
    if (matching.length >= minEvents)
      found.push({
        pattern_type: rule.pattern_type,
        description: `rule ${JSON.stringify(rule.name)} matched ${matching.length} events`,
        event_count: matching.length,
        confidence: 1,
        pattern_id: rule.id,
      });
  }
  return found;
}

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['events'];

  app.post(
    '/api/events/create',
    { schema: { tags, body: EventCreate, response: enveloped(Event, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const [row] = await insertEvents(app.db, [
        {
          ownerId: caller.id,
          eventType: body.event_type,
          severity:
            body.severity ?? (body.anomaly_score !== undefined ? severityOf(body.anomaly_score) : 'low'),
          title: body.title,
          description: body.description ?? '',
          anomalyScore: body.anomaly_score ?? null,
          detectorId: body.detector_id ?? null,
          sessionId: body.session_id ?? null,
          data: (body.data ?? {}) as Record<string, unknown>,
          eventTime: body.event_time ? new Date(body.event_time) : undefined,
        },
      ]);
      return reply.status(201).send(success(request.id, eventView(row), 'Event created'));
    },
  );

  app.post(
    '/api/events/query',
    { config: { readOnly: true }, schema: { tags, body: EventQuery, response: enveloped(EventList) } },
    async (request) => {
      const q = request.body;
      const page = await queryEvents(app.db, callerOf(request).id, {
        eventTypes: q.event_types,
        severities: q.severities,
        statuses: q.statuses,
        minAnomalyScore: q.min_anomaly_score,
        start: q.event_time_start,
        end: q.event_time_end,
        detectorId: q.detector_id,
        sessionId: q.session_id,
        limit: q.limit,
        offset: q.offset,
      });
      return success(request.id, {
        events: page.items.map(eventView),
        total: page.total,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.get('/api/events/summary', { schema: { tags, response: enveloped(EventSummary) } }, async (request) => {
    const summary = await eventSummary(app.db, callerOf(request).id);
    return success(request.id, {
      total_events: summary.total,
      events_by_type: summary.byType,
      events_by_severity: summary.bySeverity,
      events_by_status: summary.byStatus,
      open_events: summary.byStatus.open ?? 0,
    });
  });

  for (const action of ['acknowledge', 'resolve'] as const)
    app.post(
      `/api/events/:id/${action}`,
      { schema: { tags, params: IdParams, body: StatusChange, response: enveloped(Event) } },
      async (request) => {
        const caller = callerOf(request);
        const row = await setEventStatus(
          app.db,
          caller.id,
          request.params.id,
          action === 'acknowledge' ? 'acknowledged' : 'resolved',
          // Who acted is the caller, never a name the body claims.
          caller.username,
          request.body.notes ?? null,
        );
        if (!row) throw notFound('Event');
        return success(request.id, eventView(row), `Event ${row.status}`);
      },
    );

  app.post(
    '/api/events/patterns',
    { schema: { tags, body: PatternCreate, response: enveloped(Pattern, 201) } },
    async (request, reply) => {
      const row = await insertPattern(app.db, {
        ownerId: callerOf(request).id,
        name: request.body.name,
        patternType: request.body.pattern_type,
        conditions: (request.body.conditions ?? {}) as Record<string, unknown>,
        timeWindowSeconds: request.body.time_window_seconds ?? 3600,
      });
      return reply.status(201).send(success(request.id, patternView(row), 'Pattern created'));
    },
  );

  app.get(
    '/api/events/patterns/detect',
    { schema: { tags, querystring: DetectQuery, response: enveloped(DetectedPatterns) } },
    async (request) => {
      const caller = callerOf(request);
      const { hours } = request.query;
      const since = new Date(Date.now() - hours * 3_600_000).toISOString();
      const recent = await queryEvents(app.db, caller.id, { start: since, limit: 10_000, offset: 0 });
      const rules = await listPatterns(app.db, caller.id);
      return success(request.id, {
        hours,
        total_events: recent.total,
        patterns: detectPatterns(recent.items, rules, hours),
      });
    },
  );
};
