import {
  type AlgorithmName,
  type ClassificationMetrics,
  InvalidDataError,
  InvalidParametersError,
  loadModel,
  type TrainedModel,
} from '../algorithms/index.ts';
import type { TrainInput, TrainOutput } from '../compute/tasks.ts';
import type { AppContext, Caller } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import { type DatasetRow, datasetRows, findDataset } from '../db/repositories/datasets.ts';
import { type DetectorRow, findDetector, markTrained } from '../db/repositories/detectors.ts';
import { insertModel, type ModelRow, nextVersion } from '../db/repositories/models.ts';
import { conflict, notFound, unprocessable } from '../http/errors.ts';
import { classificationMetrics } from '../metrics/classification.ts';
import type { Cell } from './csv.ts';
import { featureMatrix, labelColumn, labelsOf } from './features.ts';

export interface LoadedData {
  dataset: DatasetRow;
  rows: Cell[][];
  label: string | null;
}

export async function loadDataset(ctx: AppContext, caller: Caller, datasetId: string): Promise<LoadedData> {
  const dataset = await findDataset(ctx.db, caller.id, datasetId);
  if (!dataset) throw notFound('Dataset');
  const rows = await datasetRows(ctx.db, dataset.id);
  return { dataset, rows, label: labelColumn(dataset.columns, rows, dataset.target_column) };
}

/**
 * Trains in the compute pool (a worker thread, off the event loop), turning the algorithm's
 * input errors into 422s. The model comes back as its document and is loaded here.
 */
export async function fitModel(
  ctx: AppContext,
  input: TrainInput,
): Promise<TrainOutput & { model: TrainedModel }> {
  try {
    const output = await ctx.compute.run('train', input);
    return { ...output, model: loadModel(output.document) };
  } catch (error) {
    if (error instanceof InvalidParametersError) throw unprocessable(error.message, { errors: error.errors });
    if (error instanceof InvalidDataError) throw unprocessable(error.message);
    throw error;
  }
}

export function evaluate(model: TrainedModel, X: number[][], labels: number[]): ClassificationMetrics {
  const predictions = model.predict(X);
  return classificationMetrics(
    labels,
    predictions.map((p) => p.anomaly_score),
    predictions.map((p) => p.is_anomaly),
  );
}

export interface TrainingOutcome {
  detector: DetectorRow;
  model: ModelRow;
  metrics: ClassificationMetrics | null;
  trainingTime: number;
  samples: number;
}

/**
 * Trains a detector on its dataset and stores the model as the detector's next version.
 * The version is taken with the detector row locked, so concurrent trainings get 1, 2, 3…
 */
export async function trainDetector(
  ctx: AppContext,
  caller: Caller,
  detectorId: string,
): Promise<TrainingOutcome> {
  const detector = await findDetector(ctx.db, caller.id, detectorId);
  if (!detector) throw notFound('Detector');
  if (!detector.dataset_id)
    throw conflict('The detector has no dataset to train on (it was deleted or the model was imported)');
  const data = await loadDataset(ctx, caller, detector.dataset_id);
  const X = featureMatrix(data.dataset.columns, data.rows, detector.feature_columns);
  const { model, document, metrics, trainingTime } = await fitModel(ctx, {
    algorithm: detector.algorithm as AlgorithmName,
    X,
    parameters: detector.parameters,
    seed: ctx.config.randomSeed,
    labels: data.label ? labelsOf(data.dataset.columns, data.rows, data.label) : null,
  });
  const stored = await inTransaction(ctx.db, async (client) => {
    const locked = await findDetector(client, caller.id, detectorId, { forUpdate: true });
    if (!locked) throw notFound('Detector');
    const version = await nextVersion(client, detectorId);
    const row = await insertModel(client, {
      ownerId: caller.id,
      detectorId,
      version,
      algorithm: detector.algorithm,
      parameters: detector.parameters,
      metrics: metrics ? { ...metrics } : {},
      featureColumns: detector.feature_columns,
      document,
      trainingTime,
    });
    await markTrained(client, detectorId, row.id);
    return { row, detector: { ...locked, status: 'trained', model_id: row.id } };
  });
  await ctx.models.put(stored.row.id, model);
  return { detector: stored.detector, model: stored.row, metrics, trainingTime, samples: X.length };
}
