import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { column } from './matrix.ts';
import { readArray, readNumber, readNumbers, readObject } from './state-reader.ts';

/**
 * Histogram-based outlier score (Goldstein & Dengel, 2012): one static histogram per feature
 * (n_bins equal-width bins over the training range), heights normalised so the fullest bin is
 * 1, each smoothed by `alpha` rows so an empty bin is not log(0). The raw score is
 * Σ_features log(1 / height). Values within half a bin of the range use the edge bin; beyond
 * that the height of an empty bin, shrunk by w / (w + distance past the edge), so a value
 * further out always scores higher.
 */
interface FeatureHistogram {
  lower: number;
  width: number;
  /** -log(height) of each bin. */
  bin_scores: number[];
  /** -log(height) of an empty bin, where the out-of-range decay starts. */
  empty_score: number;
}

const EDGE_TOLERANCE = 0.5;

function fitHistogram(values: number[], bins: number, alpha: number): FeatureHistogram {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high === low) {
    low -= 0.5;
    high += 0.5;
  }
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - low) / width))]++;
  const tallest = Math.max(...counts) + alpha;
  return {
    lower: low,
    width,
    bin_scores: counts.map((c) => Math.log(tallest / (c + alpha))),
    empty_score: Math.log(tallest / alpha),
  };
}

function binScore(h: FeatureHistogram, x: number): number {
  const bins = h.bin_scores.length;
  const offset = (x - h.lower) / h.width;
  if (offset >= -EDGE_TOLERANCE && offset < bins + EDGE_TOLERANCE)
    return h.bin_scores[Math.max(0, Math.min(bins - 1, Math.floor(offset)))];
  const beyond = offset < 0 ? -offset - EDGE_TOLERANCE : offset - bins - EDGE_TOLERANCE;
  return h.empty_score + Math.log1p(beyond);
}

export const hbos: AlgorithmDefinition = {
  info: {
    name: 'hbos',
    display_name: 'Histogram-Based Outlier Score',
    description:
      'Sum over features of log(1 / histogram height) of the bin a value falls in (Goldstein & Dengel, 2012).',
    parameters: {
      n_bins: {
        type: 'integer',
        default: 10,
        minimum: 2,
        maximum: 1000,
        description: 'Equal-width bins per feature.',
      },
      alpha: {
        type: 'number',
        default: 0.1,
        minimum: 0.001,
        maximum: 10,
        description: 'Rows added to every bin so that empty bins have a finite score.',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: false,
  fit: (X, parameters) => ({
    histograms: X[0].map((_, j) =>
      fitHistogram(column(X, j), parameters.n_bins as number, parameters.alpha as number),
    ),
  }),
  restore: (state, featureCount) => {
    const fields = readObject(state, 'state.detector');
    const histograms = readArray(fields.histograms, 'state.detector.histograms', featureCount).map(
      (raw, j) => {
        const path = `state.detector.histograms[${j}]`;
        const h = readObject(raw, path);
        const width = readNumber(h.width, `${path}.width`);
        if (width <= 0) throw new ModelFormatError(`${path}.width must be positive`);
        const binScores = readNumbers(h.bin_scores, `${path}.bin_scores`);
        if (binScores.length === 0) throw new ModelFormatError(`${path}.bin_scores must not be empty`);
        return {
          lower: readNumber(h.lower, `${path}.lower`),
          width,
          bin_scores: binScores,
          empty_score: readNumber(h.empty_score, `${path}.empty_score`),
        };
      },
    );
    return {
      rawScores: (X) =>
        X.map((row) => {
          let total = 0;
          for (let j = 0; j < featureCount; j++) total += binScore(histograms[j], row[j]);
          return total;
        }),
    };
  },
};
