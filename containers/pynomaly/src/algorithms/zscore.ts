import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { column, median } from './matrix.ts';
import { robustScale } from './robust-scale.ts';
import { readNumbers, readObject } from './state-reader.ts';

/**
 * Robust z-score: per feature |x - median| / (1.4826·MAD), fitted on the training rows; a
 * row's raw score is the largest over its features. The calibration maps it to 0..1.
 */
export const zscore: AlgorithmDefinition = {
  info: {
    name: 'zscore',
    display_name: 'Robust Z-Score',
    description:
      'Largest per-feature robust z-score |x - median| / (1.4826·MAD) (median/MAD fitted on training data).',
    parameters: { contamination: CONTAMINATION_INFO },
  },
  scoresInUnitInterval: false,
  fit: (X) => {
    const medians: number[] = [];
    const scales: number[] = [];
    for (let j = 0; j < X[0].length; j++) {
      const values = column(X, j);
      const centre = median(values);
      medians.push(centre);
      scales.push(robustScale(values, centre));
    }
    return { medians, scales };
  },
  restore: (state, featureCount) => {
    const fields = readObject(state, 'state.detector');
    const medians = readNumbers(fields.medians, 'state.detector.medians', featureCount);
    const scales = readNumbers(fields.scales, 'state.detector.scales', featureCount);
    if (scales.some((s) => s <= 0)) throw new ModelFormatError('state.detector.scales must be positive');
    return {
      rawScores: (X) =>
        X.map((row) => {
          let largest = 0;
          for (let j = 0; j < featureCount; j++)
            largest = Math.max(largest, Math.abs(row[j] - medians[j]) / scales[j]);
          return largest;
        }),
    };
  },
};
