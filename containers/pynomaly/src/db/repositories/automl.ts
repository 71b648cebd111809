import { randomUUID } from 'node:crypto';
import type { Queryable } from '../pool.ts';

export interface AutomlConfiguration {
  algorithms: string[];
  optimization_metric: string;
  max_trials: number;
  max_duration_minutes: number;
  search_strategy: 'random';
  cv_folds: number;
}

export interface AutomlJobRow {
  id: string;
  owner_id: string;
  dataset_id: string | null;
  job_name: string;
  configuration: AutomlConfiguration;
  status: string;
  progress_percentage: number;
  current_trial: number;
  total_trials: number;
  best_score: number | null;
  results: Record<string, unknown> | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

const FIELDS = `id::text, owner_id::text, dataset_id::text, job_name, configuration, status, progress_percentage,
  current_trial, total_trials, best_score, results, error, created_at, started_at, completed_at`;

export async function insertJob(
  db: Queryable,
  input: { ownerId: string; datasetId: string; jobName: string; configuration: AutomlConfiguration },
): Promise<AutomlJobRow> {
  const { rows } = await db.query<AutomlJobRow>(
    `INSERT INTO automl_jobs (id, owner_id, dataset_id, job_name, configuration, total_trials, status)
     VALUES ($1, $2, $3, $4, $5, $6, 'created') RETURNING ${FIELDS}`,
    [
      randomUUID(),
      input.ownerId,
      input.datasetId,
      input.jobName,
      JSON.stringify(input.configuration),
      input.configuration.max_trials,
    ],
  );
  return rows[0];
}

export async function findJob(db: Queryable, ownerId: string, id: string): Promise<AutomlJobRow | null> {
  const { rows } = await db.query<AutomlJobRow>(
    `SELECT ${FIELDS} FROM automl_jobs WHERE id = $1 AND owner_id = $2`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

/** Jobs a previous process left created (pending before migration 2) or running (it stopped): they are run again. */
export async function unfinishedJobs(db: Queryable): Promise<AutomlJobRow[]> {
  const { rows } = await db.query<AutomlJobRow>(
    `SELECT ${FIELDS} FROM automl_jobs WHERE status IN ('created', 'pending', 'running') ORDER BY created_at`,
  );
  return rows;
}

/**
 * Cancels a job of this owner that has not finished; null when there is none such. A cancelled
 * job is never written again (updateJob skips it), so the runner can stop at its next trial.
 */
export async function cancelJob(db: Queryable, ownerId: string, id: string): Promise<AutomlJobRow | null> {
  const { rows } = await db.query<AutomlJobRow>(
    `UPDATE automl_jobs SET status = 'cancelled', completed_at = now()
     WHERE id = $1 AND owner_id = $2 AND status IN ('created', 'pending', 'running') RETURNING ${FIELDS}`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

/** Jobs of this owner that are waiting or running. */
export async function activeJobCount(db: Queryable, ownerId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM automl_jobs WHERE owner_id = $1 AND status IN ('created', 'pending', 'running')`,
    [ownerId],
  );
  return rows[0].n;
}

export async function jobStatus(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM automl_jobs WHERE id = $1', [id]);
  return rows[0]?.status ?? null;
}

export async function updateJob(
  db: Queryable,
  id: string,
  changes: Partial<
    Pick<
      AutomlJobRow,
      'status' | 'progress_percentage' | 'current_trial' | 'best_score' | 'results' | 'error'
    >
  >,
): Promise<void> {
  await db.query(
    `UPDATE automl_jobs SET
       status = COALESCE($2, status),
       progress_percentage = COALESCE($3, progress_percentage),
       current_trial = COALESCE($4, current_trial),
       best_score = COALESCE($5, best_score),
       results = COALESCE($6::jsonb, results),
       error = COALESCE($7, error),
       started_at = CASE WHEN $2 = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
       completed_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE completed_at END
     WHERE id = $1 AND status <> 'cancelled'`,
    [
      id,
      changes.status ?? null,
      changes.progress_percentage ?? null,
      changes.current_trial ?? null,
      changes.best_score ?? null,
      changes.results ? JSON.stringify(changes.results) : null,
      changes.error ?? null,
    ],
  );
}

/**
 * Binds a job's best model to the detector made for it, only while the model is bound to none:
 * false when it already is (the job was deployed).
 */
export async function bindDeployedModel(
  db: Queryable,
  modelId: string,
  detectorId: string,
): Promise<boolean> {
  const result = await db.query('UPDATE models SET detector_id = $2 WHERE id = $1 AND detector_id IS NULL', [
    modelId,
    detectorId,
  ]);
  return (result.rowCount ?? 0) > 0;
}
