import { quantileSorted } from './matrix.ts';
import type { Prediction } from './types.ts';

/** The (1 - contamination) quantile (linear interpolation) of the training scores. */
export function thresholdFor(trainingScores: readonly number[], contamination: number): number {
  return quantileSorted(
    [...trainingScores].sort((a, b) => a - b),
    1 - contamination,
  );
}

/**
 * is_anomaly = score > threshold (strictly, so with n training rows about contamination·n of
 * them are flagged). Confidence is the distance from the threshold relative to the room on
 * that side: (s - t) / (1 - t) above it, (t - s) / t at or below it, clipped to 0..1.
 */
export function decide(score: number, threshold: number): Prediction {
  const isAnomaly = score > threshold;
  const room = isAnomaly ? 1 - threshold : threshold;
  const distance = Math.abs(score - threshold);
  const confidence = room > 0 ? Math.min(1, Math.max(0, distance / room)) : 1;
  return { anomaly_score: score, is_anomaly: isAnomaly, confidence };
}
