import { sampleSkewness } from 'simple-statistics';
import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { column, lowerBound, upperBound } from './matrix.ts';
import { robustScale } from './robust-scale.ts';
import { readArray, readAscending, readNumbers, readObject } from './state-reader.ts';

/**
 * ECOD (Li et al., 2022): per feature, the empirical CDF of the training column (stored
 * sorted; new rows never join it, so a row scores the same alone or in any batch) gives a
 * left tail probability F(x) = #(train <= x) / n and a right one #(train >= x) / n. The raw
 * score is max(Σ -log left, Σ -log right, Σ -log of the tail the feature's skewness points
 * to). Past the training range, where the count is 0, the tail probability continues as
 * 1/(n+1) · s / (s + distance past the edge) with s the feature's robust spread, so it stays
 * finite and keeps falling with distance.
 */
function tailProbability(count: number, n: number, distancePastEdge: number, spread: number): number {
  if (count > 0) return count / n;
  return (1 / (n + 1)) * (spread / (spread + distancePastEdge));
}

export const ecod: AlgorithmDefinition = {
  info: {
    name: 'ecod',
    display_name: 'Empirical-CDF Outlier Detection',
    description:
      'Sum of -log tail probabilities under per-feature empirical CDFs of the training data, skewness-corrected (Li et al., 2022).',
    parameters: { contamination: CONTAMINATION_INFO },
  },
  scoresInUnitInterval: false,
  fit: (X) => {
    const columns = X[0].map((_, j) => column(X, j).sort((a, b) => a - b));
    return {
      columns,
      skew_signs: columns.map((c) => (c.length >= 3 && sampleSkewness(c) < 0 ? -1 : 1)),
      spreads: columns.map((c) => robustScale(c)),
    };
  },
  restore: (state, featureCount) => {
    const fields = readObject(state, 'state.detector');
    const columns = readArray(fields.columns, 'state.detector.columns', featureCount).map((c, j) =>
      readAscending(c, `state.detector.columns[${j}]`),
    );
    const n = columns[0].length;
    if (n === 0 || columns.some((c) => c.length !== n))
      throw new ModelFormatError('state.detector.columns must be non-empty and of equal length');
    const skewSigns = readNumbers(fields.skew_signs, 'state.detector.skew_signs', featureCount);
    if (skewSigns.some((s) => s !== 1 && s !== -1))
      throw new ModelFormatError('state.detector.skew_signs must be 1 or -1');
    const spreads = readNumbers(fields.spreads, 'state.detector.spreads', featureCount);
    if (spreads.some((s) => s <= 0)) throw new ModelFormatError('state.detector.spreads must be positive');
    return {
      rawScores: (X) =>
        X.map((row) => {
          let left = 0;
          let right = 0;
          let skewed = 0;
          for (let j = 0; j < featureCount; j++) {
            const sorted = columns[j];
            const x = row[j];
            const l = -Math.log(tailProbability(upperBound(sorted, x), n, sorted[0] - x, spreads[j]));
            const r = -Math.log(tailProbability(n - lowerBound(sorted, x), n, x - sorted[n - 1], spreads[j]));
            left += l;
            right += r;
            skewed += skewSigns[j] < 0 ? l : r;
          }
          return Math.max(left, right, skewed);
        }),
    };
  },
};
