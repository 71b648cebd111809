import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { column, median } from './matrix.ts';
import { robustScale } from './robust-scale.ts';
import { readInteger, readNumbers, readObject } from './state-reader.ts';
import type { Matrix } from './types.ts';

/**
 * Time-series anomaly detector for a series given as rows in time order (the order of the
 * batch, which is the dataset's row order in training). Each feature is its own series, and
 * a row's raw score is the largest of two robust z-scores over its features:
 *
 *  - residual: the distance of a value x_t from the centred rolling median of the 2h + 1
 *    values x_{t+k·lag}, k = -h..h, h = floor(window_size / 2) (fewer at the ends of the
 *    batch), less the training residuals' median, over their spread (1.4826·MAD). With
 *    period = 0, lag = 1: the neighbours in time, which follow a level or a curve smooth over
 *    the window (a seasonal peak keeps a small curvature residual). With period = P, lag = P:
 *    the same phase of the neighbouring seasons, so the seasonal component is removed
 *    exactly and a peak is compared with the other peaks. A spike (up to h consecutive
 *    seasons, or points) does not move the median and keeps its full height;
 *  - level: the value's own robust z-score against the training values (median, 1.4826·MAD),
 *    so a value far from anything seen in training stands out even without neighbours. A
 *    seasonal peak of amplitude A sits about A / (1.05·A) ≈ 1 spread from the median, no
 *    more than ordinary noise.
 *
 * A batch shorter than one full window (2h·lag + 1 rows) is not a series: its rows are scored by the level alone, each by itself. From there on a row's score depends on its neighbours in
 * the batch (the one detector where it does). The calibration maps raw scores to 0..1.
 */
export function rollingResiduals(series: readonly number[], halfWidth: number, lag = 1): number[] {
  return series.map((value, t) => {
    const window: number[] = [];
    for (let k = -halfWidth; k <= halfWidth; k++) {
      const u = t + k * lag;
      if (u >= 0 && u < series.length) window.push(series[u]);
    }
    return value - median(window);
  });
}

interface SeriesState {
  half_width: number;
  /** Distance between the values of a window: the period, or 1 without one. */
  lag: number;
  /** Per feature: median and spread of the training residuals. */
  centres: number[];
  scales: number[];
  /** Per feature: median and robust spread of the training values. */
  value_centres: number[];
  value_scales: number[];
}

function fitSeries(X: Matrix, parameters: Record<string, unknown>): SeriesState {
  const state: SeriesState = {
    half_width: Math.floor((parameters.window_size as number) / 2),
    lag: Math.max(1, parameters.period as number),
    centres: [],
    scales: [],
    value_centres: [],
    value_scales: [],
  };
  for (let j = 0; j < X[0].length; j++) {
    const values = column(X, j);
    const residuals = rollingResiduals(values, state.half_width, state.lag);
    const centre = median(residuals);
    state.centres.push(centre);
    state.scales.push(robustScale(residuals, centre));
    const level = median(values);
    state.value_centres.push(level);
    state.value_scales.push(robustScale(values, level));
  }
  return state;
}

function restoreSeries(state: unknown, featureCount: number) {
  const fields = readObject(state, 'state.detector');
  const halfWidth = readInteger(fields.half_width, 'state.detector.half_width', 1);
  const lag = readInteger(fields.lag, 'state.detector.lag', 1);
  const read = (name: string) => readNumbers(fields[name], `state.detector.${name}`, featureCount);
  const centres = read('centres');
  const valueCentres = read('value_centres');
  const scales = read('scales');
  const valueScales = read('value_scales');
  if ([...scales, ...valueScales].some((s) => s <= 0))
    throw new ModelFormatError('state.detector.scales and value_scales must be positive');
  return {
    rawScores: (X: Matrix) => {
      const scores = new Array<number>(X.length).fill(0);
      const isSeries = X.length >= 2 * halfWidth * lag + 1;
      for (let j = 0; j < featureCount; j++) {
        const values = column(X, j);
        const residuals = isSeries ? rollingResiduals(values, halfWidth, lag) : null;
        values.forEach((value, t) => {
          let score = Math.abs(value - valueCentres[j]) / valueScales[j];
          if (residuals) score = Math.max(score, Math.abs(residuals[t] - centres[j]) / scales[j]);
          scores[t] = Math.max(scores[t], score);
        });
      }
      return scores;
    },
  };
}

export const timeSeriesAnomaly: AlgorithmDefinition = {
  info: {
    name: 'time_series_anomaly',
    display_name: 'Time Series Anomaly',
    description:
      'Robust z-score of each value against the rolling median of its neighbours in time (rows in order); one series per feature.',
    parameters: {
      window_size: {
        type: 'integer',
        default: 5,
        minimum: 3,
        maximum: 1001,
        description:
          'Rolling-median window: the floor(window_size / 2) values either side of a value, and the value itself.',
      },
      period: {
        type: 'integer',
        default: 0,
        minimum: 0,
        maximum: 100000,
        description:
          'Season length in rows (0: none). With a period the rolling median runs over the same phase of neighbouring seasons.',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: false,
  fit: (X, parameters) => fitSeries(X, parameters),
  restore: (state, featureCount) => restoreSeries(state, featureCount),
};
