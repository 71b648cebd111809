/** What the model routes share: the caller's model (else 404) and tables laid out in its features. */
import type { Matrix } from '../algorithms/index.ts';
import type { AppContext, Caller } from '../context.ts';
import { findModel, type ModelRow } from '../db/repositories/models.ts';
import { conflict, notFound, unprocessable } from '../http/errors.ts';
import { featureMatrix, labelsOf } from './features.ts';
import { loadDataset } from './training.ts';

export async function ownModel(ctx: AppContext, caller: Caller, id: string): Promise<ModelRow> {
  const row = await findModel(ctx.db, caller.id, id);
  if (!row) throw notFound('Model');
  return row;
}

export interface ModelTable {
  datasetId: string;
  X: Matrix;
  labels: number[] | null;
}

/** A dataset of the caller's as the model's feature matrix (422 when a feature is missing). */
export async function tableFor(
  ctx: AppContext,
  caller: Caller,
  model: ModelRow,
  datasetId: string,
): Promise<ModelTable> {
  const data = await loadDataset(ctx, caller, datasetId);
  return {
    datasetId: data.dataset.id,
    X: featureMatrix(data.dataset.columns, data.rows, model.feature_columns),
    labels: data.label ? labelsOf(data.dataset.columns, data.rows, data.label) : null,
  };
}

/** The rows the model was trained on: 409 when it has none (imported, or its dataset deleted). */
export async function trainingTable(ctx: AppContext, caller: Caller, model: ModelRow): Promise<ModelTable> {
  if (!model.dataset_id)
    throw conflict('The model has no training dataset (imported, or its dataset was deleted)');
  return tableFor(ctx, caller, model, model.dataset_id);
}

export function requireLabels(table: ModelTable): number[] {
  if (!table.labels)
    throw unprocessable('The dataset has no label column (upload it with target_column) to measure against');
  return table.labels;
}
