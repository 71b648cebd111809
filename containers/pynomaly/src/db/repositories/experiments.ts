import { randomUUID } from 'node:crypto';
import { paginate } from '../paginate.ts';
import type { Queryable } from '../pool.ts';

export interface ExperimentConfiguration {
  algorithms: { name: string; parameters: Record<string, unknown> }[];
  evaluation_metrics: string[];
  cross_validation: { enabled: boolean; folds: number };
}

export interface ExperimentRow {
  id: string;
  owner_id: string;
  dataset_id: string | null;
  name: string;
  description: string;
  tags: string[];
  configuration: ExperimentConfiguration;
  status: string;
  best_algorithm: string | null;
  error: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export interface AlgorithmResultRow {
  algorithm_name: string;
  parameters: Record<string, unknown>;
  metrics: Record<string, number>;
  cross_validation_scores: number[];
  model_id: string | null;
  training_time: number;
}

const FIELDS = `id::text, owner_id::text, dataset_id::text, name, description, tags, configuration, status,
  best_algorithm, error, metadata, created_at, started_at, completed_at`;

export async function insertExperiment(
  db: Queryable,
  input: {
    ownerId: string;
    datasetId: string;
    name: string;
    description: string;
    tags: string[];
    configuration: ExperimentConfiguration;
  },
): Promise<ExperimentRow> {
  const { rows } = await db.query<ExperimentRow>(
    `INSERT INTO experiments (id, owner_id, dataset_id, name, description, tags, configuration)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${FIELDS}`,
    [
      randomUUID(),
      input.ownerId,
      input.datasetId,
      input.name,
      input.description,
      JSON.stringify(input.tags),
      JSON.stringify(input.configuration),
    ],
  );
  return rows[0];
}

export async function findExperiment(
  db: Queryable,
  ownerId: string,
  id: string,
): Promise<ExperimentRow | null> {
  const { rows } = await db.query<ExperimentRow>(
    `SELECT ${FIELDS} FROM experiments WHERE id = $1 AND owner_id = $2`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function listExperiments(
  db: Queryable,
  ownerId: string,
  options: { limit: number; offset: number; status?: string; tags?: string[] },
): Promise<{ items: ExperimentRow[]; total: number }> {
  const params: unknown[] = [ownerId];
  let where = 'owner_id = $1';
  if (options.status) {
    params.push(options.status);
    where += ` AND status = $${params.length}`;
  }
  if (options.tags && options.tags.length > 0) {
    params.push(JSON.stringify(options.tags));
    where += ` AND tags @> $${params.length}::jsonb`;
  }
  return paginate<ExperimentRow>(db, {
    from: 'experiments',
    fields: FIELDS,
    where,
    params,
    orderBy: 'created_at DESC, id',
    limit: options.limit,
    offset: options.offset,
  });
}

/** Replaces an experiment's metadata object; null when it is not this owner's. */
export async function replaceMetadata(
  db: Queryable,
  ownerId: string,
  id: string,
  metadata: Record<string, unknown>,
): Promise<ExperimentRow | null> {
  const { rows } = await db.query<ExperimentRow>(
    `UPDATE experiments SET metadata = $3 WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [id, ownerId, JSON.stringify(metadata)],
  );
  return rows[0] ?? null;
}

/** Moves created/completed/failed → running; null when it is already running (or gone). */
export async function claimForRun(db: Queryable, ownerId: string, id: string): Promise<ExperimentRow | null> {
  const { rows } = await db.query<ExperimentRow>(
    `UPDATE experiments SET status = 'running', started_at = now(), completed_at = NULL, error = NULL, best_algorithm = NULL
     WHERE id = $1 AND owner_id = $2 AND status <> 'running' RETURNING ${FIELDS}`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function setExperimentStatus(
  db: Queryable,
  id: string,
  status: string,
  extra: { bestAlgorithm?: string | null; error?: string | null } = {},
): Promise<void> {
  await db.query(
    `UPDATE experiments SET status = $2, best_algorithm = $3, error = $4,
       completed_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE completed_at END
     WHERE id = $1 AND status <> 'cancelled'`,
    [id, status, extra.bestAlgorithm ?? null, extra.error ?? null],
  );
}

/** Cancels a running experiment of this owner; null when there is none such. Its runner stops
 * before the next algorithm and never overwrites the status (setExperimentStatus skips it). */
export async function cancelExperiment(
  db: Queryable,
  ownerId: string,
  id: string,
): Promise<ExperimentRow | null> {
  const { rows } = await db.query<ExperimentRow>(
    `UPDATE experiments SET status = 'cancelled', completed_at = now()
     WHERE id = $1 AND owner_id = $2 AND status = 'running' RETURNING ${FIELDS}`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function experimentStatus(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM experiments WHERE id = $1', [id]);
  return rows[0]?.status ?? null;
}

export async function replaceResults(
  db: Queryable,
  id: string,
  results: AlgorithmResultRow[],
): Promise<void> {
  await db.query('DELETE FROM experiment_results WHERE experiment_id = $1', [id]);
  for (const [position, r] of results.entries())
    await db.query(
      `INSERT INTO experiment_results (experiment_id, algorithm_name, parameters, metrics, cross_validation_scores, model_id, training_time, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        r.algorithm_name,
        JSON.stringify(r.parameters),
        JSON.stringify(r.metrics),
        JSON.stringify(r.cross_validation_scores),
        r.model_id,
        r.training_time,
        position,
      ],
    );
}

export async function experimentResults(db: Queryable, id: string): Promise<AlgorithmResultRow[]> {
  const { rows } = await db.query<AlgorithmResultRow>(
    `SELECT algorithm_name, parameters, metrics, cross_validation_scores, model_id::text, training_time
     FROM experiment_results WHERE experiment_id = $1 ORDER BY position`,
    [id],
  );
  return rows;
}

export async function addExperimentEvent(
  db: Queryable,
  id: string,
  eventType: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.query('INSERT INTO experiment_events (experiment_id, event_type, details) VALUES ($1, $2, $3)', [
    id,
    eventType,
    JSON.stringify(details),
  ]);
}

export async function experimentEvents(
  db: Queryable,
  id: string,
): Promise<{ event_type: string; details: Record<string, unknown>; timestamp: Date }[]> {
  const { rows } = await db.query<{ event_type: string; details: Record<string, unknown>; timestamp: Date }>(
    'SELECT event_type, details, created_at AS timestamp FROM experiment_events WHERE experiment_id = $1 ORDER BY id',
    [id],
  );
  return rows;
}

export async function deleteExperiment(db: Queryable, ownerId: string, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM experiments WHERE id = $1 AND owner_id = $2', [id, ownerId]);
  return (result.rowCount ?? 0) > 0;
}

/** Experiments a stopped process left running: they are run again from the start. */
export async function runningExperiments(db: Queryable): Promise<ExperimentRow[]> {
  const { rows } = await db.query<ExperimentRow>(
    `SELECT ${FIELDS} FROM experiments WHERE status = 'running' ORDER BY started_at`,
  );
  return rows;
}
