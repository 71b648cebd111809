import { randomUUID } from 'node:crypto';
import { paginate } from '../paginate.ts';
import type { Queryable } from '../pool.ts';

export interface SessionConfiguration {
  processing_mode: 'real_time' | 'micro_batch';
  batch_size: number;
  max_throughput: number;
  [key: string]: unknown;
}

export interface SessionRow {
  id: string;
  owner_id: string;
  detector_id: string | null;
  name: string;
  configuration: SessionConfiguration;
  data_source: Record<string, unknown> | null;
  status: string;
  messages_processed: number;
  anomalies_detected: number;
  failed_messages: number;
  score_sum: number;
  processing_ms: number;
  created_at: Date;
  started_at: Date | null;
  stopped_at: Date | null;
  last_message_at: Date | null;
}

const FIELDS = `id::text, owner_id::text, detector_id::text, name, configuration, data_source, status, messages_processed,
  anomalies_detected, failed_messages, score_sum, processing_ms, created_at, started_at, stopped_at, last_message_at`;

export async function insertSession(
  db: Queryable,
  input: {
    ownerId: string;
    detectorId: string;
    name: string;
    configuration: SessionConfiguration;
    dataSource: Record<string, unknown> | null;
  },
): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO streaming_sessions (id, owner_id, detector_id, name, configuration, data_source)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${FIELDS}`,
    [
      randomUUID(),
      input.ownerId,
      input.detectorId,
      input.name,
      JSON.stringify(input.configuration),
      input.dataSource === null ? null : JSON.stringify(input.dataSource),
    ],
  );
  return rows[0];
}

export async function findSession(db: Queryable, ownerId: string, id: string): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${FIELDS} FROM streaming_sessions WHERE id = $1 AND owner_id = $2`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function findSessionById(db: Queryable, id: string): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(`SELECT ${FIELDS} FROM streaming_sessions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listSessions(
  db: Queryable,
  ownerId: string,
  options: { limit: number; offset: number },
): Promise<{ items: SessionRow[]; total: number }> {
  return paginate<SessionRow>(db, {
    from: 'streaming_sessions',
    fields: FIELDS,
    where: 'owner_id = $1',
    params: [ownerId],
    orderBy: 'created_at DESC, id',
    limit: options.limit,
    offset: options.offset,
  });
}

/** Changes the status when the current one is in `from`; null when the transition is not allowed. */
export async function transition(
  db: Queryable,
  ownerId: string,
  id: string,
  from: readonly string[],
  to: string,
): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE streaming_sessions SET status = $4,
       started_at = CASE WHEN $4 = 'active' AND started_at IS NULL THEN now() ELSE started_at END,
       stopped_at = CASE WHEN $4 = 'stopped' THEN now() ELSE stopped_at END
     WHERE id = $1 AND owner_id = $2 AND status = ANY($3) RETURNING ${FIELDS}`,
    [id, ownerId, from, to],
  );
  return rows[0] ?? null;
}

/** Active sessions in all, or of one owner. */
export async function countActive(db: Queryable, ownerId?: string): Promise<number> {
  const { rows } = ownerId
    ? await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM streaming_sessions WHERE status = 'active' AND owner_id = $1`,
        [ownerId],
      )
    : await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM streaming_sessions WHERE status = 'active'`,
      );
  return rows[0].n;
}

/**
 * Counts a scored batch in one statement, only while the session is active. Returns the
 * counter after the batch (the last point's sequence number), or null when not active.
 */
export async function recordScored(
  db: Queryable,
  id: string,
  batch: { count: number; anomalies: number; scoreSum: number; processingMs: number },
): Promise<number | null> {
  const { rows } = await db.query<{ messages_processed: number }>(
    `UPDATE streaming_sessions SET messages_processed = messages_processed + $2,
       anomalies_detected = anomalies_detected + $3, score_sum = score_sum + $4,
       processing_ms = processing_ms + $5, last_message_at = now()
     WHERE id = $1 AND status = 'active' RETURNING messages_processed`,
    [id, batch.count, batch.anomalies, batch.scoreSum, batch.processingMs],
  );
  return rows[0]?.messages_processed ?? null;
}

export async function recordFailed(db: Queryable, id: string, count: number): Promise<void> {
  await db.query('UPDATE streaming_sessions SET failed_messages = failed_messages + $2 WHERE id = $1', [
    id,
    count,
  ]);
}

export async function deleteSession(db: Queryable, ownerId: string, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM streaming_sessions WHERE id = $1 AND owner_id = $2', [
    id,
    ownerId,
  ]);
  return (result.rowCount ?? 0) > 0;
}

export interface AlertRuleRow {
  id: string;
  session_id: string;
  name: string;
  metric_name: string;
  threshold_value: number;
  comparison_operator: '>=' | '>';
  severity: string;
  notification_channels: string[];
  duration_threshold_minutes: number | null;
  created_at: Date;
}

const RULE_FIELDS = `id::text, session_id::text, name, metric_name, threshold_value, comparison_operator, severity,
  notification_channels, duration_threshold_minutes, created_at`;

export async function insertAlertRule(
  db: Queryable,
  input: Omit<AlertRuleRow, 'id' | 'created_at'>,
): Promise<AlertRuleRow> {
  const { rows } = await db.query<AlertRuleRow>(
    `INSERT INTO streaming_alert_rules (id, session_id, name, metric_name, threshold_value, comparison_operator,
       severity, notification_channels, duration_threshold_minutes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${RULE_FIELDS}`,
    [
      randomUUID(),
      input.session_id,
      input.name,
      input.metric_name,
      input.threshold_value,
      input.comparison_operator,
      input.severity,
      JSON.stringify(input.notification_channels),
      input.duration_threshold_minutes,
    ],
  );
  return rows[0];
}

/** A session's alert rules, oldest first (the order their alert frames are sent in). */
export async function alertRules(db: Queryable, sessionId: string): Promise<AlertRuleRow[]> {
  const { rows } = await db.query<AlertRuleRow>(
    `SELECT ${RULE_FIELDS} FROM streaming_alert_rules WHERE session_id = $1 ORDER BY created_at, id`,
    [sessionId],
  );
  return rows;
}
