import type { AppContext } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import { findDetector } from '../db/repositories/detectors.ts';
import { insertEvents } from '../db/repositories/events.ts';
import {
  type AlertRuleRow,
  alertRules,
  findSessionById,
  recordFailed,
  recordScored,
  type SessionRow,
} from '../db/repositories/sessions.ts';
import { type ApiError, conflict, notFound, unprocessable } from '../http/errors.ts';
import { anomalyEvents, severityOf } from './anomaly-events.ts';
import { pointsMatrix } from './features.ts';
import type { Frame } from './streaming-hub.ts';

export interface ScoredPoint {
  session_id: string;
  sequence: number;
  anomaly_score: number;
  is_anomaly: boolean;
  confidence: number;
  timestamp: string;
  point_timestamp: string | number | null;
  event_id: string | null;
}

// ISO 8601 date or date-time (seconds, fraction and zone optional); Date.parse then checks the values.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Checks every point's optional `timestamp`: an ISO 8601 string or a finite number (422 otherwise). */
export function checkTimestamps(points: readonly Record<string, unknown>[]): void {
  points.forEach((point, i) => {
    const t = point.timestamp;
    if (t === undefined || (typeof t === 'number' && Number.isFinite(t))) return;
    if (typeof t === 'string' && ISO_8601.test(t) && !Number.isNaN(Date.parse(t))) return;
    throw unprocessable(`data[${i}].timestamp must be an ISO 8601 date-time string or a number`);
  });
}

/** Whether an anomaly_score rule fires for a score. */
function fires(rule: AlertRuleRow, score: number): boolean {
  return rule.comparison_operator === '>' ? score > rule.threshold_value : score >= rule.threshold_value;
}

/** Runs work for one session strictly one after another, so points are scored in arrival order. */
export class SessionQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(sessionId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(sessionId, tail);
    void tail.then(() => {
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId);
    });
    return next;
  }
}

export const sessionQueues = new SessionQueues();

export function notActive(session: SessionRow): ApiError {
  return conflict(`Streaming session is ${session.status}; only an active session scores points`);
}

/**
 * Scores points for a session: checks it is active, scores with its detector's current model,
 * counts them and stores one event per anomaly in one transaction, then publishes a score frame
 * per point (and an alert frame per anomaly) to every watcher. Callers serialise per session.
 */
export async function scoreForSession(
  ctx: AppContext,
  sessionId: string,
  points: readonly Record<string, unknown>[],
): Promise<ScoredPoint[]> {
  const session = await findSessionById(ctx.db, sessionId);
  if (!session) throw notFound('Streaming session');
  if (session.status !== 'active') throw notActive(session);
  const detector = session.detector_id
    ? await findDetector(ctx.db, session.owner_id, session.detector_id)
    : null;
  if (!detector?.model_id) throw conflict('The session has no trained detector to score with');
  const model = await ctx.models.get(detector.model_id);
  // anomaly_score rules replace the default "one alert per anomaly" (see the README).
  const rules = (await alertRules(ctx.db, session.id)).filter((r) => r.metric_name === 'anomaly_score');
  let X: number[][];
  try {
    checkTimestamps(points);
    X = pointsMatrix(points, detector.feature_columns);
  } catch (error) {
    await recordFailed(ctx.db, session.id, points.length).catch(() => undefined);
    throw error;
  }
  const started = performance.now();
  const predictions = model.predict(X);
  const elapsed = performance.now() - started;
  const anomalies = predictions.filter((p) => p.is_anomaly).length;
  const scoreSum = predictions.reduce((s, p) => s + p.anomaly_score, 0);
  const { last, events } = await inTransaction(ctx.db, async (client) => {
    const last = await recordScored(client, session.id, {
      count: points.length,
      anomalies,
      scoreSum,
      processingMs: elapsed,
    });
    if (last === null) return { last, events: [] };
    const events = await insertEvents(
      client,
      anomalyEvents(
        session.owner_id,
        { detectorId: detector.id, sessionId: session.id, detectorName: detector.name },
        points,
        predictions,
      ),
    );
    return { last, events };
  });
  if (last === null) {
    const fresh = await findSessionById(ctx.db, session.id);
    throw fresh ? notActive(fresh) : notFound('Streaming session');
  }
  const first = last - points.length + 1;
  const timestamp = new Date().toISOString();
  const frames: Frame[] = [];
  const results: ScoredPoint[] = [];
  let eventIndex = 0;
  predictions.forEach((p, i) => {
    const eventId = p.is_anomaly ? (events[eventIndex++]?.id ?? null) : null;
    const pointTimestamp = (points[i].timestamp as string | number | undefined) ?? null;
    const scored: ScoredPoint = {
      session_id: session.id,
      sequence: first + i,
      anomaly_score: p.anomaly_score,
      is_anomaly: p.is_anomaly,
      confidence: p.confidence,
      timestamp,
      point_timestamp: pointTimestamp,
      event_id: eventId,
    };
    results.push(scored);
    frames.push({ type: 'score', payload: { ...scored, point: points[i] } });
    const alert = (rule: AlertRuleRow | null): Frame => ({
      type: 'alert',
      payload: {
        id: eventId,
        event_id: eventId,
        session_id: session.id,
        sequence: first + i,
        anomaly_score: p.anomaly_score,
        severity: rule ? rule.severity : severityOf(p.anomaly_score),
        timestamp,
        point_timestamp: pointTimestamp,
        point: points[i],
        rule_id: rule?.id ?? null,
        rule_name: rule?.name ?? null,
        notification_channels: rule?.notification_channels ?? [],
        channel: rule?.notification_channels[0] ?? null,
      },
    });
    if (rules.length === 0) {
      if (p.is_anomaly) frames.push(alert(null));
    } else for (const rule of rules) if (fires(rule, p.anomaly_score)) frames.push(alert(rule));
  });
  await ctx.hub.publish(session.id, frames);
  return results;
}

/** The metrics of a session from its stored counters. */
export function sessionMetrics(session: SessionRow) {
  const now = new Date();
  const end = session.status === 'stopped' && session.stopped_at ? session.stopped_at : now;
  const seconds = session.started_at
    ? Math.max((end.getTime() - session.started_at.getTime()) / 1000, 1e-3)
    : 0;
  const processed = session.messages_processed;
  return {
    session_id: session.id,
    status: session.status,
    messages_processed: processed,
    messages_per_second: seconds > 0 ? processed / seconds : 0,
    anomalies_detected: session.anomalies_detected,
    anomaly_rate: processed > 0 ? session.anomalies_detected / processed : 0,
    failed_messages: session.failed_messages,
    average_anomaly_score: processed > 0 ? session.score_sum / processed : 0,
    average_processing_time_ms: processed > 0 ? session.processing_ms / processed : 0,
    measurement_time: now.toISOString(),
  };
}
