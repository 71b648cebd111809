import type { AppContext } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import { findDetector } from '../db/repositories/detectors.ts';
import { insertEvents } from '../db/repositories/events.ts';
import { findSessionById, recordFailed, recordScored, type SessionRow } from '../db/repositories/sessions.ts';
import { type ApiError, conflict, notFound } from '../http/errors.ts';
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
  event_id: string | null;
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
  let X: number[][];
  try {
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
    const scored: ScoredPoint = {
      session_id: session.id,
      sequence: first + i,
      anomaly_score: p.anomaly_score,
      is_anomaly: p.is_anomaly,
      confidence: p.confidence,
      timestamp,
      event_id: eventId,
    };
    results.push(scored);
    frames.push({ type: 'score', payload: { ...scored, point: points[i] } });
    if (p.is_anomaly)
      frames.push({
        type: 'alert',
        payload: {
          id: eventId,
          event_id: eventId,
          session_id: session.id,
          sequence: first + i,
          anomaly_score: p.anomaly_score,
          severity: severityOf(p.anomaly_score),
          timestamp,
          point: points[i],
        },
      });
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
