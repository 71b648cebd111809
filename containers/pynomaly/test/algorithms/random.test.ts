import { describe, expect, test } from 'vitest';
import { deriveSeed, sampleWithoutReplacement, seededRandom } from '../../src/algorithms/random.ts';

describe('seeded random numbers', () => {
  test('the same seed gives the same stream, a different seed another one', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  test('the stream is pinned: a change to the generator would change every stored model', () => {
    // Regression value, computed once with this mulberry32: first output for seed 0.
    expect(seededRandom(0)()).toBe(1144304738 / 4294967296);
  });

  test('draws lie in [0, 1) and are roughly uniform', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 20_000 }, () => random());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });

  test('sampling without replacement gives distinct indices in range', () => {
    const picked = sampleWithoutReplacement(seededRandom(1), 50, 20);
    expect(picked).toHaveLength(20);
    expect(new Set(picked).size).toBe(20);
    expect(picked.every((i) => i >= 0 && i < 50)).toBe(true);
    expect(sampleWithoutReplacement(seededRandom(1), 5, 10).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('derived seeds differ by index and are stable', () => {
    expect(deriveSeed(42, 0)).toBe(deriveSeed(42, 0));
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(42, 1));
  });
});
