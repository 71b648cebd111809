import { ModelFormatError } from './errors.ts';
import { quantileSorted, upperBound } from './matrix.ts';
import { readAscending, readNumber, readObject } from './state-reader.ts';

/**
 * Maps an algorithm's raw outlier score (any real number, higher = more anomalous) to 0..1.
 *
 * Inside the range of the training scores it is their empirical CDF: each distinct training
 * score v sits at (average rank of v) / (n + 1), and scores in between are interpolated
 * linearly. Outside that range it approaches 0 or 1 hyperbolically,
 *   above the largest training score u:  1 - (1 - p(u)) · w / (w + (x - u)),
 *   below the smallest one l:            p(l) · w / (w + (l - x)),
 * with w the training scores' 10-90 % spread (or a positive fallback). So the mapping is
 * continuous, strictly increasing, never exactly 0 or 1 in practice, and a point far beyond
 * everything seen in training still outranks a nearer one. It depends only on the training
 * scores, which the model document stores, so every row is scored alone and the same way
 * after an import.
 */
export interface Calibration {
  /** Distinct training raw scores, ascending. */
  values: number[];
  /** Their positions in (0, 1), strictly ascending. */
  positions: number[];
  /** Raw-score distance over which the tails close half of the remaining gap. */
  tail_scale: number;
}

export function fitCalibration(trainingRawScores: readonly number[]): Calibration {
  const sorted = [...trainingRawScores].sort((a, b) => a - b);
  const n = sorted.length;
  const values: number[] = [];
  const positions: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    values.push(sorted[i]);
    positions.push(((i + j) / 2 + 1) / (n + 1));
    i = j + 1;
  }
  const spread = quantileSorted(sorted, 0.9) - quantileSorted(sorted, 0.1);
  const range = sorted[n - 1] - sorted[0];
  const fallback = Math.max(Math.abs(sorted[n - 1]), 1) * 1e-3;
  const tailScale = spread > 0 ? spread : range > 0 ? range : fallback;
  return { values, positions, tail_scale: tailScale };
}

export function calibrate(calibration: Calibration, raw: number): number {
  const { values, positions, tail_scale: w } = calibration;
  const last = values.length - 1;
  if (raw >= values[last]) {
    return raw === values[last]
      ? positions[last]
      : 1 - ((1 - positions[last]) * w) / (w + (raw - values[last]));
  }
  if (raw < values[0]) return (positions[0] * w) / (w + (values[0] - raw));
  const k = upperBound(values, raw) - 1;
  const fraction = (raw - values[k]) / (values[k + 1] - values[k]);
  return positions[k] + (positions[k + 1] - positions[k]) * fraction;
}

export function readCalibration(value: unknown, path: string): Calibration {
  const fields = readObject(value, path);
  const values = readAscending(fields.values, `${path}.values`);
  const positions = readAscending(fields.positions, `${path}.positions`, values.length);
  if (values.length === 0) throw new ModelFormatError(`${path}.values must not be empty`);
  for (let i = 1; i < values.length; i++) {
    if (values[i] === values[i - 1])
      throw new ModelFormatError(`${path}.values must be distinct (index ${i})`);
    if (positions[i] === positions[i - 1])
      throw new ModelFormatError(`${path}.positions must be distinct (index ${i})`);
  }
  if (positions[0] <= 0 || positions[positions.length - 1] >= 1)
    throw new ModelFormatError(`${path}.positions must lie strictly between 0 and 1`);
  const tailScale = readNumber(fields.tail_scale, `${path}.tail_scale`);
  if (tailScale <= 0) throw new ModelFormatError(`${path}.tail_scale must be positive`);
  return { values, positions, tail_scale: tailScale };
}
