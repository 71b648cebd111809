import type { AlgorithmInfo, Matrix, TrainedModel } from './types.ts';

/** A fitted detector: raw outlier scores, higher = more anomalous, each row scored alone. */
export interface Detector {
  rawScores(X: Matrix): number[];
}

/** What an ensemble needs from the model layer (injected, so algorithms never import it). */
export interface MemberFactory {
  train(
    algorithm: string,
    X: Matrix,
    parameters: Record<string, unknown>,
    seed: number,
  ): TrainedModel & MemberModel;
  restore(document: unknown, path: string): TrainedModel & MemberModel;
}

/** The version-neutral body of a model document, as ensembles nest their members. */
export interface MemberModel {
  toBody(): {
    algorithm: string;
    parameters: Record<string, unknown>;
    feature_count: number;
    threshold: number;
    state: unknown;
  };
}

export interface AlgorithmDefinition {
  info: AlgorithmInfo;
  /**
   * True when raw scores already are the 0..1 anomaly score (the isolation forest's
   * 2^(-E(h)/c(ψ)), the ensemble's average): no calibration is fitted for them.
   */
  scoresInUnitInterval: boolean;
  /** Learns from X and returns the detector's JSON state. */
  fit(X: Matrix, parameters: Record<string, unknown>, seed: number, members: MemberFactory): unknown;
  /** Builds the detector from its state; throws ModelFormatError naming the bad field. */
  restore(state: unknown, featureCount: number, members: MemberFactory): Detector;
}

export const CONTAMINATION_INFO = {
  type: 'number',
  default: 0.1,
  minimum: 0,
  maximum: 0.5,
  description:
    'Expected share of anomalies, in (0, 0.5] (0 itself is refused): the threshold is the (1 - contamination) quantile of the training scores.',
} as const;

/**
 * Accepted by every algorithm (scikit-learn's name): seeds that detector's training in place of
 * the service's configured seed. Null or absent: the service's seed, and the parameter is not
 * echoed. Deterministic algorithms accept it and are unchanged by it.
 */
export const RANDOM_STATE_INFO = {
  type: 'integer',
  default: null,
  nullable: true,
  minimum: 0,
  maximum: 4294967295,
  description:
    "Seed of this detector's training, 0..2^32-1 (null: the service's seed). Same seed and data give identical scores.",
} as const;
