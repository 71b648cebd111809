import { randomUUID } from 'node:crypto';
import { paginate } from '../paginate.ts';
import type { Queryable } from '../pool.ts';

export interface EventRow {
  id: string;
  owner_id: string;
  event_type: string;
  severity: string;
  title: string;
  description: string;
  anomaly_score: number | null;
  detector_id: string | null;
  session_id: string | null;
  data: Record<string, unknown>;
  status: string;
  event_time: Date;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_notes: string | null;
}

const FIELDS = `id::text, owner_id::text, event_type, severity, title, description, anomaly_score,
  detector_id::text, session_id::text, data, status, event_time, created_at, acknowledged_at, acknowledged_by,
  resolved_at, resolved_by, resolution_notes`;

export interface NewEvent {
  ownerId: string;
  eventType: string;
  severity: string;
  title: string;
  description: string;
  anomalyScore: number | null;
  detectorId: string | null;
  sessionId: string | null;
  data: Record<string, unknown>;
  eventTime?: Date;
}

/** The insert of many events in one statement, and the ids it gives them (in the events' order). */
function insertStatement(
  events: NewEvent[],
  returning: string,
): { text: string; values: unknown[][]; ids: string[] } {
  const ids = events.map(() => randomUUID());
  return {
    ids,
    text: `INSERT INTO events (id, owner_id, event_type, severity, title, description, anomaly_score, detector_id, session_id, data, event_time)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[],
       $8::uuid[], $9::uuid[], $10::jsonb[], $11::timestamptz[])${returning}`,
    values: [
      ids,
      events.map((e) => e.ownerId),
      events.map((e) => e.eventType),
      events.map((e) => e.severity),
      events.map((e) => e.title),
      events.map((e) => e.description),
      events.map((e) => e.anomalyScore),
      events.map((e) => e.detectorId),
      events.map((e) => e.sessionId),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => (e.eventTime ?? new Date()).toISOString()),
    ],
  };
}

/**
 * Inserts many events in one statement (one round trip, all or none), without reading them back:
 * predict answers with its scores, not the events, and a 1,000-row call flags tens of them.
 */
export async function recordEvents(db: Queryable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { text, values } = insertStatement(events, '');
  await db.query(text, values);
}

/** Inserts many events in one statement (one round trip, all or none) and answers them in order. */
export async function insertEvents(db: Queryable, events: NewEvent[]): Promise<EventRow[]> {
  if (events.length === 0) return [];
  const { text, values, ids } = insertStatement(events, `\n     RETURNING ${FIELDS}`);
  const { rows } = await db.query<EventRow>(text, values);
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export interface EventQuery {
  eventTypes?: string[];
  severities?: string[];
  statuses?: string[];
  minAnomalyScore?: number;
  start?: string;
  end?: string;
  detectorId?: string;
  sessionId?: string;
  limit: number;
  offset: number;
}

export async function queryEvents(
  db: Queryable,
  ownerId: string,
  query: EventQuery,
): Promise<{ items: EventRow[]; total: number }> {
  const params: unknown[] = [ownerId];
  const where = ['owner_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.eventTypes?.length) add('event_type = ANY(?)', query.eventTypes);
  if (query.severities?.length) add('severity = ANY(?)', query.severities);
  if (query.statuses?.length) add('status = ANY(?)', query.statuses);
  if (query.minAnomalyScore !== undefined) add('anomaly_score >= ?', query.minAnomalyScore);
  if (query.start) add('event_time >= ?', query.start);
  if (query.end) add('event_time <= ?', query.end);
  if (query.detectorId) add('detector_id = ?', query.detectorId);
  if (query.sessionId) add('session_id = ?', query.sessionId);
  return paginate<EventRow>(db, {
    from: 'events',
    fields: FIELDS,
    where: where.join(' AND '),
    params,
    orderBy: 'event_time DESC, id',
    limit: query.limit,
    offset: query.offset,
  });
}

export async function eventSummary(
  db: Queryable,
  ownerId: string,
  since?: string,
): Promise<{
  total: number;
  byType: Record<string, number>;
  bySeverity: Record<string, number>;
  byStatus: Record<string, number>;
}> {
  const params: unknown[] = [ownerId];
  let where = 'owner_id = $1';
  if (since) {
    params.push(since);
    where += ' AND event_time >= $2';
  }
  const { rows } = await db.query<{ event_type: string; severity: string; status: string; n: number }>(
    `SELECT event_type, severity, status, count(*)::int AS n FROM events WHERE ${where} GROUP BY 1, 2, 3`,
    params,
  );
  const result = {
    total: 0,
    byType: {} as Record<string, number>,
    bySeverity: {} as Record<string, number>,
    byStatus: {} as Record<string, number>,
  };
  for (const row of rows) {
    result.total += row.n;
    result.byType[row.event_type] = (result.byType[row.event_type] ?? 0) + row.n;
    result.bySeverity[row.severity] = (result.bySeverity[row.severity] ?? 0) + row.n;
    result.byStatus[row.status] = (result.byStatus[row.status] ?? 0) + row.n;
  }
  return result;
}

export async function setEventStatus(
  db: Queryable,
  ownerId: string,
  id: string,
  status: 'acknowledged' | 'resolved',
  by: string,
  notes: string | null,
): Promise<EventRow | null> {
  const { rows } = await db.query<EventRow>(
    status === 'acknowledged'
      ? `UPDATE events SET status = CASE WHEN status = 'resolved' THEN status ELSE 'acknowledged' END,
           acknowledged_at = COALESCE(acknowledged_at, now()), acknowledged_by = COALESCE(acknowledged_by, $3),
           resolution_notes = COALESCE($4, resolution_notes)
         WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`
      : `UPDATE events SET status = 'resolved', resolved_at = now(), resolved_by = $3,
           resolution_notes = COALESCE($4, resolution_notes)
         WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [id, ownerId, by, notes],
  );
  return rows[0] ?? null;
}

export interface PatternRow {
  id: string;
  name: string;
  pattern_type: string;
  conditions: Record<string, unknown>;
  time_window_seconds: number;
  created_at: Date;
}

export async function insertPattern(
  db: Queryable,
  input: {
    ownerId: string;
    name: string;
    patternType: string;
    conditions: Record<string, unknown>;
    timeWindowSeconds: number;
  },
): Promise<PatternRow> {
  const { rows } = await db.query<PatternRow>(
    `INSERT INTO event_patterns (id, owner_id, name, pattern_type, conditions, time_window_seconds)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text, name, pattern_type, conditions, time_window_seconds, created_at`,
    [
      randomUUID(),
      input.ownerId,
      input.name,
      input.patternType,
      JSON.stringify(input.conditions),
      input.timeWindowSeconds,
    ],
  );
  return rows[0];
}

export async function listPatterns(db: Queryable, ownerId: string): Promise<PatternRow[]> {
  const { rows } = await db.query<PatternRow>(
    `SELECT id::text, name, pattern_type, conditions, time_window_seconds, created_at FROM event_patterns
     WHERE owner_id = $1 ORDER BY created_at`,
    [ownerId],
  );
  return rows;
}
