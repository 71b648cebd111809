import type { Prediction } from '../algorithms/index.ts';
import type { NewEvent } from '../db/repositories/events.ts';

/** Severity of an anomaly by its score: the further past the threshold, the more severe. */
export function severityOf(score: number): 'critical' | 'high' | 'medium' | 'low' {
  if (score >= 0.9) return 'critical';
  if (score >= 0.75) return 'high';
  if (score >= 0.6) return 'medium';
  return 'low';
}

/** One event per anomalous prediction, carrying the point and its score. */
export function anomalyEvents(
  ownerId: string,
  source: { detectorId: string | null; sessionId: string | null; detectorName?: string },
  points: readonly Record<string, unknown>[],
  predictions: readonly Prediction[],
): NewEvent[] {
  const events: NewEvent[] = [];
  predictions.forEach((p, i) => {
    if (!p.is_anomaly) return;
    events.push({
      ownerId,
      eventType: 'anomaly_detected',
      severity: severityOf(p.anomaly_score),
      title: source.sessionId ? 'Anomaly in streaming session' : 'Anomaly detected by prediction',
      description: `anomaly_score ${p.anomaly_score.toFixed(4)}${source.detectorName ? ` from detector ${source.detectorName}` : ''}`,
      anomalyScore: p.anomaly_score,
      detectorId: source.detectorId,
      sessionId: source.sessionId,
      data: { point: points[i], confidence: p.confidence },
    });
  });
  return events;
}
