import { randomUUID } from 'node:crypto';
import type { Queryable } from '../pool.ts';

export interface ModelRow {
  id: string;
  owner_id: string;
  detector_id: string | null;
  /** The semantic version: the registered one, else `<ordinal>.0.0` (the detector's nth model). */
  version: string;
  /** The detector's nth model (the integer column). */
  ordinal: number;
  name: string | null;
  description: string | null;
  tags: string[];
  dataset_id: string | null;
  parent_model_id: string | null;
  algorithm: string;
  parameters: Record<string, unknown>;
  metrics: Record<string, number>;
  feature_columns: string[];
  status: string;
  stage: string;
  training_time: number;
  created_at: Date;
}

const FIELDS = `id::text, owner_id::text, detector_id::text, COALESCE(semver, version || '.0.0') AS version,
  version AS ordinal, name, description, tags, dataset_id::text, parent_model_id::text, algorithm, parameters,
  metrics, feature_columns, status, stage, training_time, created_at`;

export async function insertModel(
  db: Queryable,
  input: {
    ownerId: string;
    detectorId: string | null;
    version: number;
    algorithm: string;
    parameters: Record<string, unknown>;
    metrics: Record<string, number>;
    featureColumns: string[];
    document: unknown;
    trainingTime: number;
  },
): Promise<ModelRow> {
  const { rows } = await db.query<ModelRow>(
    `INSERT INTO models (id, owner_id, detector_id, version, algorithm, parameters, metrics, feature_columns, document, training_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${FIELDS}`,
    [
      randomUUID(),
      input.ownerId,
      input.detectorId,
      input.version,
      input.algorithm,
      JSON.stringify(input.parameters),
      JSON.stringify(input.metrics),
      JSON.stringify(input.featureColumns),
      JSON.stringify(input.document),
      input.trainingTime,
    ],
  );
  return rows[0];
}

/** The next version of a detector's models; call with the detector row locked. */
export async function nextVersion(db: Queryable, detectorId: string): Promise<number> {
  const { rows } = await db.query<{ v: number }>(
    'SELECT COALESCE(max(version), 0)::int + 1 AS v FROM models WHERE detector_id = $1',
    [detectorId],
  );
  return rows[0].v;
}

export async function findModel(db: Queryable, ownerId: string, id: string): Promise<ModelRow | null> {
  const { rows } = await db.query<ModelRow>(`SELECT ${FIELDS} FROM models WHERE id = $1 AND owner_id = $2`, [
    id,
    ownerId,
  ]);
  return rows[0] ?? null;
}

export async function modelDocument(db: Queryable, id: string): Promise<unknown | null> {
  const { rows } = await db.query<{ document: unknown }>('SELECT document FROM models WHERE id = $1', [id]);
  return rows[0]?.document ?? null;
}

export async function setStage(
  db: Queryable,
  ownerId: string,
  id: string,
  stage: string,
): Promise<ModelRow | null> {
  const { rows } = await db.query<ModelRow>(
    `UPDATE models SET stage = $3 WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [id, ownerId, stage],
  );
  return rows[0] ?? null;
}

export async function attachModel(db: Queryable, id: string, detectorId: string): Promise<void> {
  await db.query('UPDATE models SET detector_id = $2 WHERE id = $1', [id, detectorId]);
}

/** Register: stage staging, and the registry name, version, description and tags when given. */
export async function registerModel(
  db: Queryable,
  ownerId: string,
  id: string,
  input: { name?: string; version?: string; description?: string; tags?: string[] },
): Promise<ModelRow | null> {
  const { rows } = await db.query<ModelRow>(
    `UPDATE models SET stage = 'staging', name = COALESCE($3, name), semver = COALESCE($4, semver),
       description = COALESCE($5, description), tags = COALESCE($6, tags)
     WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [
      id,
      ownerId,
      input.name ?? null,
      input.version ?? null,
      input.description ?? null,
      input.tags ? JSON.stringify(input.tags) : null,
    ],
  );
  return rows[0] ?? null;
}
