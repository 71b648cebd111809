import { describe, expect, test } from 'vitest';
import { calibrate, fitCalibration } from '../../src/algorithms/calibration.ts';
import { decide, thresholdFor } from '../../src/algorithms/decision.ts';

describe('score calibration (raw score → 0..1)', () => {
  const calibration = fitCalibration([3, 1, 2, 2, 5]);

  test('training scores sit at their average rank / (n + 1), ties shared', () => {
    expect(calibration.values).toEqual([1, 2, 3, 5]);
    // ranks: 1 → 1, 2 → (2+3)/2 = 2.5, 3 → 4, 5 → 5; n + 1 = 6.
    expect(calibration.positions).toEqual([1 / 6, 2.5 / 6, 4 / 6, 5 / 6]);
    expect(calibrate(calibration, 2)).toBe(2.5 / 6);
    expect(calibrate(calibration, 4)).toBeCloseTo((4 / 6 + 5 / 6) / 2, 12);
  });

  test('is strictly increasing over and beyond the training range, inside (0, 1)', () => {
    const xs = [-100, -1, 0, 0.5, 1, 1.5, 2, 2.9, 3, 4, 5, 6, 100, 1e6];
    const ys = xs.map((x) => calibrate(calibration, x));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1]);
    expect(ys[0]).toBeGreaterThan(0);
    expect(ys[ys.length - 1]).toBeLessThan(1);
  });

  test('the upper tail closes half the remaining gap one tail scale past the maximum', () => {
    const w = calibration.tail_scale;
    expect(calibrate(calibration, 5 + w)).toBeCloseTo(1 - (1 - 5 / 6) / 2, 12);
  });

  test('constant training scores still give a usable mapping', () => {
    const flat = fitCalibration([7, 7, 7]);
    expect(calibrate(flat, 7)).toBe(0.5);
    expect(calibrate(flat, 8)).toBeGreaterThan(0.5);
    expect(calibrate(flat, 6)).toBeLessThan(0.5);
  });
});

describe('threshold and decision', () => {
  test('threshold is the linear-interpolated (1 - contamination) quantile', () => {
    // sorted 0..10, q = 0.85 → position 8.5 → 8.5.
    expect(thresholdFor([10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.15)).toBeCloseTo(8.5, 12);
  });

  test('is_anomaly is score > threshold; confidence is the distance over the room on that side', () => {
    expect(decide(0.8, 0.6)).toEqual({
      anomaly_score: 0.8,
      is_anomaly: true,
      confidence: expect.closeTo(0.5, 12),
    });
    expect(decide(0.3, 0.6)).toEqual({
      anomaly_score: 0.3,
      is_anomaly: false,
      confidence: expect.closeTo(0.5, 12),
    });
    expect(decide(0.6, 0.6)).toEqual({ anomaly_score: 0.6, is_anomaly: false, confidence: 0 });
    expect(decide(1, 0.6).confidence).toBe(1);
    expect(decide(0, 0.6).confidence).toBe(1);
  });
});
