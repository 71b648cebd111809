/**
 * The contract between the detection algorithms (pure, no I/O) and the service around them.
 * `src/algorithms/index.ts` implements it:
 *
 *   export const ALGORITHM_NAMES: readonly AlgorithmName[];
 *   export function listAlgorithms(): AlgorithmInfo[];
 *   export function resolveParameters(name: string, params: unknown, defaults: { contamination: number }):
 *     { ok: true; algorithm: AlgorithmName; parameters: Record<string, unknown> } | { ok: false; errors: string[] };
 *   export function trainModel(algorithm: AlgorithmName, X: Matrix, parameters: Record<string, unknown>, seed: number): TrainedModel;
 *   export function loadModel(document: unknown): TrainedModel;   // throws ModelFormatError
 *   export class ModelFormatError extends Error {}
 *   export const MODEL_FORMAT_VERSION: number;
 *
 * `src/metrics/classification.ts`:
 *   export function classificationMetrics(labels: number[], scores: number[], predicted: boolean[]): ClassificationMetrics;
 *   export function rocAuc(labels: number[], scores: number[]): number;   // ties get average ranks
 */

export type AlgorithmName =
  | 'isolation_forest'
  | 'local_outlier_factor'
  | 'zscore'
  | 'hbos'
  | 'ecod'
  | 'elliptic_envelope'
  | 'ensemble'
  | 'one_class_svm'
  | 'time_series_anomaly';

/** Rows of numeric features, all rows the same length. */
export type Matrix = number[][];

export interface ParameterInfo {
  type: 'number' | 'integer' | 'string' | 'array' | 'boolean';
  default: unknown;
  /** May be null (meaning "not set": the parameter is then left out of the resolved ones). */
  nullable?: boolean;
  /** For a number: strings accepted instead of a number (one_class_svm's gamma: 'scale' or 'auto'). */
  alternatives?: string[];
  minimum?: number;
  /** The minimum itself is refused (nu, gamma, max_features: > 0). */
  exclusiveMinimum?: boolean;
  maximum?: number;
  enum?: string[];
  description: string;
}

export interface AlgorithmInfo {
  name: AlgorithmName;
  display_name: string;
  description: string;
  /** Every parameter accepted, `contamination` included. */
  parameters: Record<string, ParameterInfo>;
}

export interface Prediction {
  /** 0..1, higher is more anomalous. */
  anomaly_score: number;
  is_anomaly: boolean;
  /** 0..1: how far the score sits from the threshold, relative to the room on that side. */
  confidence: number;
}

/** Portable, versioned JSON of a trained model; `loadModel` of it scores identically. */
export interface ModelDocument {
  format_version: number;
  algorithm: AlgorithmName;
  parameters: Record<string, unknown>;
  feature_count: number;
  threshold: number;
  state: unknown;
  [key: string]: unknown;
}

export interface TrainedModel {
  readonly algorithm: AlgorithmName;
  readonly parameters: Record<string, unknown>;
  readonly featureCount: number;
  /** Score threshold: the (1 - contamination) quantile of the training scores. */
  readonly threshold: number;
  /**
   * Normalised scores in 0..1 for each row; independent of the other rows of the batch, except
   * time_series_anomaly, which reads a batch of at least one window as a series in row order.
   */
  scores(X: Matrix): number[];
  predict(X: Matrix): Prediction[];
  toDocument(): ModelDocument;
}

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1_score: number;
  roc_auc: number;
}
