import type { Cell } from './csv.ts';

export interface NumericStats {
  name: string;
  type: 'numeric';
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
  q25: number;
  q75: number;
  unique: number;
}

export interface TextStats {
  name: string;
  type: 'text';
  count: number;
  missing: number;
  unique: number;
  top: string | null;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function columnStats(
  columns: readonly string[],
  rows: readonly Cell[][],
): Record<string, NumericStats | TextStats> {
  const result: Record<string, NumericStats | TextStats> = {};
  columns.forEach((name, index) => {
    const values = rows
      .map((row) => row[index])
      .filter((v): v is number | string => v !== null && v !== undefined);
    const missing = rows.length - values.length;
    const unique = new Set(values).size;
    if (values.length > 0 && values.every((v) => typeof v === 'number')) {
      const numbers = values as number[];
      const sum = numbers.reduce((s, v) => s + v, 0);
      const mean = sum / numbers.length;
      const variance =
        numbers.length > 1 ? numbers.reduce((s, v) => s + (v - mean) ** 2, 0) / (numbers.length - 1) : 0;
      const sorted = [...numbers].sort((a, b) => a - b);
      result[name] = {
        name,
        type: 'numeric',
        count: numbers.length,
        missing,
        mean,
        std: Math.sqrt(variance),
        min: sorted[0],
        max: sorted[sorted.length - 1],
        median: quantile(sorted, 0.5),
        q25: quantile(sorted, 0.25),
        q75: quantile(sorted, 0.75),
        unique,
      };
    } else {
      const counts = new Map<string, number>();
      for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      let top: string | null = null;
      let best = 0;
      for (const [value, n] of counts)
        if (n > best) {
          best = n;
          top = value;
        }
      result[name] = { name, type: 'text', count: values.length, missing, unique, top };
    }
  });
  return result;
}

export function missingValues(columns: readonly string[], rows: readonly Cell[][]): Record<string, number> {
  const result: Record<string, number> = {};
  columns.forEach((name, index) => {
    result[name] = rows.filter((row) => row[index] === null || row[index] === undefined).length;
  });
  return result;
}

export function dataQuality(columns: readonly string[], rows: readonly Cell[][]) {
  const cells = columns.length * rows.length;
  const missing = Object.values(missingValues(columns, rows)).reduce((s, n) => s + n, 0);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const row of rows) {
    const key = JSON.stringify(row);
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  const completeness = cells === 0 ? 0 : 1 - missing / cells;
  const uniqueness = rows.length === 0 ? 0 : 1 - duplicates / rows.length;
  return {
    total_rows: rows.length,
    total_columns: columns.length,
    missing_cells: missing,
    duplicate_rows: duplicates,
    completeness,
    uniqueness,
    quality_score: (completeness + uniqueness) / 2,
  };
}
