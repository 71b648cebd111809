import type { AlgorithmDefinition } from './definition.ts';
import { ecod } from './ecod.ts';
import { ellipticEnvelope } from './elliptic-envelope.ts';
import { ensemble } from './ensemble.ts';
import { hbos } from './hbos.ts';
import { isolationForest } from './isolation-forest.ts';
import { localOutlierFactor } from './local-outlier-factor.ts';
import { oneClassSvm } from './one-class-svm.ts';
import { timeSeriesAnomaly } from './time-series.ts';
import type { AlgorithmName } from './types.ts';
import { zscore } from './zscore.ts';

export const DEFINITIONS: Readonly<Record<AlgorithmName, AlgorithmDefinition>> = {
  isolation_forest: isolationForest,
  local_outlier_factor: localOutlierFactor,
  zscore,
  hbos,
  ecod,
  elliptic_envelope: ellipticEnvelope,
  ensemble,
  one_class_svm: oneClassSvm,
  time_series_anomaly: timeSeriesAnomaly,
};

export const ALGORITHM_NAMES: readonly AlgorithmName[] = Object.freeze(
  Object.keys(DEFINITIONS) as AlgorithmName[],
);

export function isAlgorithmName(name: unknown): name is AlgorithmName {
  return typeof name === 'string' && Object.hasOwn(DEFINITIONS, name);
}
