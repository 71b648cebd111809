import { InvalidDataError } from './errors.ts';
import type { Matrix } from './types.ts';

/** Throws unless X is a non-empty matrix of finite numbers with `featureCount` columns (or any, if omitted). */
export function checkMatrix(X: unknown, featureCount?: number, minimumRows = 1): asserts X is Matrix {
  if (!Array.isArray(X)) throw new InvalidDataError('data must be an array of rows');
  if (X.length < minimumRows)
    throw new InvalidDataError(`data must have at least ${minimumRows} row(s), got ${X.length}`);
  const width = featureCount ?? (Array.isArray(X[0]) ? X[0].length : 0);
  if (width < 1) throw new InvalidDataError('rows must have at least one feature');
  for (let i = 0; i < X.length; i++) {
    const row: unknown = X[i];
    if (!Array.isArray(row)) throw new InvalidDataError(`row ${i} is not an array`);
    if (row.length !== width)
      throw new InvalidDataError(`row ${i} has ${row.length} features, expected ${width}`);
    for (let j = 0; j < width; j++) {
      const value: unknown = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new InvalidDataError(`row ${i}, feature ${j} is not a finite number`);
    }
  }
}

export function column(X: Matrix, j: number): number[] {
  return X.map((row) => row[j]);
}

/** Rows packed into one Float64Array (row-major), for tight distance loops. */
export function packRows(X: Matrix): Float64Array {
  const width = X[0]?.length ?? 0;
  const packed = new Float64Array(X.length * width);
  X.forEach((row, i) => {
    packed.set(row, i * width);
  });
  return packed;
}

/** Linear-interpolated quantile (NumPy's default, "type 7") of values sorted ascending. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return fraction === 0 ? sorted[below] : sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

export function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Index of the first element > x in an ascending array (count of elements <= x). */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element >= x in an ascending array (count of elements < x). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
