/**
 * The CPU-heavy work of the service as plain functions of plain data: training (with its
 * train-set metrics), k-fold cross-validation and the label-free trial score. They run in a
 * worker thread (./pool.ts), so a long training never holds the event loop that serves
 * everyone else; inputs and outputs are structured-clonable for that reason.
 */
import {
  type AlgorithmName,
  type ClassificationMetrics,
  InvalidDataError,
  InvalidParametersError,
  loadModel,
  type Matrix,
  type ModelDocument,
  type Prediction,
  trainModel,
} from '../algorithms/index.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { classificationMetrics } from '../metrics/classification.ts';
import { type CrossValidation, crossValidate } from '../services/cross-validation.ts';
import { drift } from '../services/drift.ts';
import { benchmark, evaluateModels, explain, optimize } from '../services/model-analysis.ts';

export interface TrainInput {
  algorithm: AlgorithmName;
  X: Matrix;
  parameters: Record<string, unknown>;
  seed: number;
  /** Labels of X's rows: metrics of the model on its own training rows. */
  labels: number[] | null;
}

export interface TrainOutput {
  document: ModelDocument;
  metrics: ClassificationMetrics | null;
  /** Seconds spent fitting. */
  trainingTime: number;
}

export function train(input: TrainInput): TrainOutput {
  const started = performance.now();
  const model = trainModel(input.algorithm, input.X, input.parameters, input.seed);
  const trainingTime = (performance.now() - started) / 1000;
  let metrics: ClassificationMetrics | null = null;
  if (input.labels) {
    const predictions = model.predict(input.X);
    metrics = classificationMetrics(
      input.labels,
      predictions.map((p) => p.anomaly_score),
      predictions.map((p) => p.is_anomaly),
    );
  }
  return { document: model.toDocument(), metrics, trainingTime };
}

export interface CrossValidateInput {
  algorithm: AlgorithmName;
  X: Matrix;
  labels: number[];
  parameters: Record<string, unknown>;
  folds: number;
  seed: number;
}

export function crossValidateTask(input: CrossValidateInput): CrossValidation {
  return crossValidate(input.algorithm, input.X, input.labels, input.parameters, input.folds, input.seed);
}

export interface SeparationInput {
  algorithm: AlgorithmName;
  X: Matrix;
  parameters: Record<string, unknown>;
  seed: number;
}

/** Without labels: the mean score of flagged rows minus that of the others, on the training rows. */
export function separation(input: SeparationInput): number {
  const model = trainModel(input.algorithm, input.X, input.parameters, input.seed);
  const predictions = model.predict(input.X);
  const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);
  return (
    mean(predictions.filter((p) => p.is_anomaly).map((p) => p.anomaly_score)) -
    mean(predictions.filter((p) => !p.is_anomaly).map((p) => p.anomaly_score))
  );
}

export interface PredictInput {
  document: ModelDocument;
  X: Matrix;
}

/** Scores a large batch with a model sent as its document (a model object cannot cross threads). */
export function predict(input: PredictInput): Prediction[] {
  return loadModel(input.document).predict(input.X);
}

export const TASKS = {
  train,
  drift,
  explain,
  evaluateModels,
  benchmark,
  optimize,
  crossValidate: crossValidateTask,
  separation,
  predict,
  hashPassword: (input: { password: string; rounds: number }) => hashPassword(input.password, input.rounds),
  verifyPassword: (input: { password: string; hash: string | null; rounds: number }) =>
    verifyPassword(input.password, input.hash, input.rounds),
} as const;
export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskOutput<K extends TaskName> = ReturnType<(typeof TASKS)[K]>;

/**
 * What crosses the thread boundary. Error classes do not survive structured cloning, so the
 * two the routes turn into 422s travel as data and are rebuilt on the other side.
 */
export type TaskResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'invalid-parameters'; errors: string[] }
  | { ok: false; kind: 'invalid-data'; message: string };

export function runTask<K extends TaskName>(name: K, input: TaskInput<K>): TaskResult<TaskOutput<K>> {
  try {
    const task = TASKS[name] as (i: TaskInput<K>) => TaskOutput<K>;
    return { ok: true, value: task(input) };
  } catch (error) {
    if (error instanceof InvalidParametersError)
      return { ok: false, kind: 'invalid-parameters', errors: error.errors };
    if (error instanceof InvalidDataError) return { ok: false, kind: 'invalid-data', message: error.message };
    throw error;
  }
}

export function unwrapResult<T>(result: TaskResult<T>): T {
  if (result.ok) return result.value;
  if (result.kind === 'invalid-parameters') throw new InvalidParametersError(result.errors);
  throw new InvalidDataError(result.message);
}
