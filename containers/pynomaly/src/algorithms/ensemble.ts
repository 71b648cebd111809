import { type Calibration, calibrate, fitCalibration, readCalibration } from './calibration.ts';
import { type AlgorithmDefinition, CONTAMINATION_INFO } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { deriveSeed } from './random.ts';
import { readArray, readObject } from './state-reader.ts';

/**
 * Ensemble: trains each member algorithm (its default parameters, the ensemble's
 * contamination, a seed derived from the ensemble's) and averages the members' scores after
 * putting them on one scale: each member's 0..1 score goes through the empirical-CDF
 * calibration of that member's own training scores, so an isolation forest (scores bunched
 * around 0.4-0.6) weighs as much as a member whose scores are already uniform. The average is
 * in 0..1 and is the ensemble's anomaly score.
 */
export const ENSEMBLE_MEMBERS = [
  'isolation_forest',
  'local_outlier_factor',
  'zscore',
  'hbos',
  'ecod',
  'elliptic_envelope',
];

export const ensemble: AlgorithmDefinition = {
  info: {
    name: 'ensemble',
    display_name: 'Ensemble',
    description: 'Average of the rank-normalised scores of several member algorithms.',
    parameters: {
      algorithms: {
        type: 'array',
        default: ['isolation_forest', 'local_outlier_factor', 'zscore'],
        enum: ENSEMBLE_MEMBERS,
        description:
          'Member algorithms (at least one, each at most once), trained with their default parameters.',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: true,
  fit: (X, parameters, seed, factory) => {
    const names = parameters.algorithms as string[];
    return {
      members: names.map((name, index) => {
        const member = factory.train(
          name,
          X,
          { contamination: parameters.contamination },
          deriveSeed(seed, index),
        );
        return { model: member.toBody(), rank_calibration: fitCalibration(member.scores(X)) };
      }),
    };
  },
  restore: (state, featureCount, factory) => {
    const fields = readObject(state, 'state.detector');
    const members = readArray(fields.members, 'state.detector.members').map((raw, i) => {
      const path = `state.detector.members[${i}]`;
      const entry = readObject(raw, path);
      const model = factory.restore(entry.model, `${path}.model`);
      if (model.algorithm === 'ensemble') throw new ModelFormatError(`${path}.model must not be an ensemble`);
      if (model.featureCount !== featureCount)
        throw new ModelFormatError(`${path}.model.feature_count must be ${featureCount}`);
      const calibration: Calibration = readCalibration(entry.rank_calibration, `${path}.rank_calibration`);
      return { model, calibration };
    });
    if (members.length === 0) throw new ModelFormatError('state.detector.members must not be empty');
    return {
      rawScores: (X) => {
        const totals = new Array<number>(X.length).fill(0);
        for (const { model, calibration } of members) {
          const scores = model.scores(X);
          for (let i = 0; i < X.length; i++) totals[i] += calibrate(calibration, scores[i]);
        }
        return totals.map((t) => t / members.length);
      },
    };
  },
};
