import type { Matrix } from '../algorithms/index.ts';
import { unprocessable } from '../http/errors.ts';
import type { Cell } from './csv.ts';

const LABEL_NAMES = ['label', 'is_anomaly', 'anomaly', 'target', 'outlier', 'class', 'y'];

/** A column whose every value is 0 or 1 (or true/false). */
function isBinary(rows: readonly Cell[][], index: number): boolean {
  return rows.every((row) => {
    const v = row[index];
    return v === 0 || v === 1 || v === 'true' || v === 'false';
  });
}

/**
 * The label column of a dataset: the one named at upload, or else a binary column with a
 * conventional name (label, is_anomaly, ...). Null when the data carries no labels.
 */
export function labelColumn(
  columns: readonly string[],
  rows: readonly Cell[][],
  declared: string | null,
): string | null {
  if (declared) return declared;
  for (const name of LABEL_NAMES) {
    const index = columns.findIndex((c) => c.toLowerCase() === name);
    if (index >= 0 && isBinary(rows, index)) return columns[index];
  }
  return null;
}

/** Columns whose every non-empty value is a number, the label column excluded. */
export function numericColumns(
  columns: readonly string[],
  rows: readonly Cell[][],
  label: string | null,
): string[] {
  return columns.filter((column, index) => {
    if (column === label) return false;
    let numbers = 0;
    for (const row of rows) {
      const v = row[index];
      if (v === null) continue;
      if (typeof v !== 'number') return false;
      numbers++;
    }
    return numbers > 0;
  });
}

/** The rows of `features` as a numeric matrix; a missing or text cell is a 422 naming row and column. */
export function featureMatrix(
  columns: readonly string[],
  rows: readonly Cell[][],
  features: readonly string[],
): Matrix {
  const indices = features.map((feature) => {
    const index = columns.indexOf(feature);
    if (index < 0) throw unprocessable(`feature column ${JSON.stringify(feature)} is not in the dataset`);
    return index;
  });
  return rows.map((row, r) =>
    indices.map((index, f) => {
      const v = row[index];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw unprocessable(
          `row ${r + 1} of the dataset has ${v === null ? 'no value' : 'a non-numeric value'} in feature column ${JSON.stringify(features[f])}`,
        );
      return v;
    }),
  );
}

export function labelsOf(columns: readonly string[], rows: readonly Cell[][], label: string): number[] {
  const index = columns.indexOf(label);
  if (index < 0) throw unprocessable(`label column ${JSON.stringify(label)} is not in the dataset`);
  return rows.map((row) => {
    const v = row[index];
    return v === 1 || v === 'true' ? 1 : 0;
  });
}

/** Points given as objects → matrix in feature order; a missing or non-numeric feature is a 422. */
export function pointsMatrix(
  points: readonly Record<string, unknown>[],
  features: readonly string[],
): Matrix {
  return points.map((point, i) =>
    features.map((feature) => {
      const v = point[feature];
      if (v === undefined || v === null)
        throw unprocessable(`data[${i}] is missing feature ${JSON.stringify(feature)}`);
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw unprocessable(`data[${i}].${feature} must be a finite number`);
      return v;
    }),
  );
}
