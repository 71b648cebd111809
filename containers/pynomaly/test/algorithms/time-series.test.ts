import { describe, expect, test } from 'vitest';
import { trainModel } from '../../src/algorithms/index.ts';
import { rollingResiduals } from '../../src/algorithms/time-series.ts';
import { normalSource } from './sample-data.ts';

describe('time_series_anomaly', () => {
  test('residuals from the centred rolling median, by hand (half-width 1)', () => {
    // Medians of [1,2], [1,2,3], [2,3,100], [3,100,5], [100,5,6], [5,6,7], [6,7].
    expect(rollingResiduals([1, 2, 3, 100, 5, 6, 7], 1)).toEqual([-0.5, 0, 0, 95, -1, 0, 0.5]);
  });

  // Ten days of an hourly seasonal signal (amplitude 10, period 24) with N(0, 0.3) noise and
  // one spike of +6 at hour 100 (on a slope, well inside the seasonal range).
  const draw = normalSource(11);
  const SPIKE = 100;
  const series = Array.from({ length: 240 }, (_, t) => [
    10 * Math.sin((2 * Math.PI * t) / 24) + draw(0, 0.3) + (t === SPIKE ? 6 : 0),
  ]);
  const peaks = series.map((_, t) => t).filter((t) => t % 24 === 6 || t % 24 === 18);
  const model = trainModel('time_series_anomaly', series, { period: 24, contamination: 0.02 }, 1);

  test('with period 24: flags the injected spike and none of the seasonal peaks and troughs', () => {
    const predictions = model.predict(series);
    expect(predictions[SPIKE].is_anomaly, 'the spike is an anomaly').toBe(true);
    for (const t of peaks) {
      expect(predictions[t].is_anomaly, `seasonal extreme at hour ${t} is normal`).toBe(false);
      expect(predictions[t].anomaly_score).toBeLessThan(predictions[SPIKE].anomaly_score);
    }
    const highest = Math.max(...predictions.map((p) => p.anomaly_score));
    expect(predictions[SPIKE].anomaly_score, 'the spike scores highest').toBe(highest);
  });

  test('without a period the neighbours in time still rank the spike first', () => {
    const plain = trainModel('time_series_anomaly', series, { contamination: 0.02 }, 1);
    const scores = plain.scores(series);
    expect(scores[SPIKE]).toBe(Math.max(...scores));
    expect(plain.predict(series)[SPIKE].is_anomaly).toBe(true);
  });

  test('a batch shorter than one window is scored row by row, by the level alone', () => {
    const rows = [[0], [9.5], [40]];
    const alone = rows.map((row) => model.scores([row])[0]);
    expect(model.scores(rows)).toEqual(alone);
    expect(model.predict([[40]])[0].is_anomaly, 'a value far outside the series alone').toBe(true);
    expect(model.predict([[9.5]])[0].is_anomaly, 'a seasonal peak value alone').toBe(false);
  });

  test('window_size sets the neighbourhood: a 2-point burst hides from window 3, not from window 5', () => {
    const burst = series.map((row, t) => [row[0] + (t === 144 || t === 145 ? 8 : 0)]);
    const narrow = trainModel('time_series_anomaly', burst, { window_size: 3, contamination: 0.02 }, 1);
    const wide = trainModel('time_series_anomaly', burst, { window_size: 5, contamination: 0.02 }, 1);
    expect(wide.predict(burst)[144].is_anomaly, 'window 5: two of five values cannot move the median').toBe(
      true,
    );
    expect(narrow.predict(burst)[144].is_anomaly, 'window 3: the burst is the median').toBe(false);
  });
});
