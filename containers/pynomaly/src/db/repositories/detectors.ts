import { randomUUID } from 'node:crypto';
import { paginate } from '../paginate.ts';
import type { Queryable } from '../pool.ts';

export interface DetectorRow {
  id: string;
  owner_id: string;
  dataset_id: string | null;
  name: string;
  description: string;
  algorithm: string;
  parameters: Record<string, unknown>;
  feature_columns: string[];
  status: string;
  model_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const FIELDS = `id::text, owner_id::text, dataset_id::text, name, description, algorithm, parameters,
  feature_columns, status, current_model_id::text AS model_id, created_at, updated_at`;

export async function insertDetector(
  db: Queryable,
  input: {
    ownerId: string;
    datasetId: string | null;
    name: string;
    description: string;
    algorithm: string;
    parameters: Record<string, unknown>;
    featureColumns: string[];
    status?: string;
    modelId?: string | null;
  },
): Promise<DetectorRow> {
  const { rows } = await db.query<DetectorRow>(
    `INSERT INTO detectors (id, owner_id, dataset_id, name, description, algorithm, parameters, feature_columns, status, current_model_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${FIELDS}`,
    [
      randomUUID(),
      input.ownerId,
      input.datasetId,
      input.name,
      input.description,
      input.algorithm,
      JSON.stringify(input.parameters),
      JSON.stringify(input.featureColumns),
      input.status ?? 'created',
      input.modelId ?? null,
    ],
  );
  return rows[0];
}

export async function findDetector(
  db: Queryable,
  ownerId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DetectorRow | null> {
  const { rows } = await db.query<DetectorRow>(
    `SELECT ${FIELDS} FROM detectors WHERE id = $1 AND owner_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function listDetectors(
  db: Queryable,
  ownerId: string,
  options: { limit: number; offset: number },
): Promise<{ items: DetectorRow[]; total: number }> {
  return paginate<DetectorRow>(db, {
    from: 'detectors',
    fields: FIELDS,
    where: 'owner_id = $1',
    params: [ownerId],
    orderBy: 'created_at DESC, id',
    limit: options.limit,
    offset: options.offset,
  });
}

/** One UPDATE statement, so concurrent PUTs never tear name and description apart. */
export async function updateDetector(
  db: Queryable,
  ownerId: string,
  id: string,
  changes: { name?: string; description?: string; parameters?: Record<string, unknown> },
): Promise<DetectorRow | null> {
  const { rows } = await db.query<DetectorRow>(
    `UPDATE detectors SET name = COALESCE($3, name), description = COALESCE($4, description),
       parameters = COALESCE($5::jsonb, parameters), updated_at = now()
     WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [
      id,
      ownerId,
      changes.name ?? null,
      changes.description ?? null,
      changes.parameters ? JSON.stringify(changes.parameters) : null,
    ],
  );
  return rows[0] ?? null;
}

export async function markTrained(db: Queryable, id: string, modelId: string): Promise<void> {
  await db.query(
    `UPDATE detectors SET status = 'trained', current_model_id = $2, updated_at = now() WHERE id = $1`,
    [id, modelId],
  );
}

export async function deleteDetector(db: Queryable, ownerId: string, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM detectors WHERE id = $1 AND owner_id = $2', [id, ownerId]);
  return (result.rowCount ?? 0) > 0;
}
