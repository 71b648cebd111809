import { describe, expect, test } from 'vitest';
import { median, percentile, round, summary } from '../../../bench/lib/stats.ts';

describe('bench statistics', () => {
  test('median: the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  test('p95 by nearest rank: of 10 samples the slowest, of 20 the 19th', () => {
    const ten = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    expect(percentile(ten, 0.95)).toBe(10);
    expect(percentile(ten, 0.5)).toBe(5);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 0.95)).toBe(19);
    expect(percentile(twenty, 0)).toBe(1);
    expect(percentile(twenty, 1)).toBe(20);
  });

  test('summary of a sample, unsorted input left as it was', () => {
    const sample = [2.5, 1, 4, 3];
    expect(summary(sample)).toEqual({ n: 4, median: 2.75, p95: 4, min: 1 });
    expect(sample).toEqual([2.5, 1, 4, 3]);
  });

  test('an empty sample has no percentile', () => {
    expect(() => percentile([], 0.5)).toThrow(/empty/);
    expect(() => median([])).toThrow(/empty/);
  });

  test('round to digits', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.23456, 3)).toBe(1.235);
  });
});
