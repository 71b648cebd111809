import { randomUUID } from 'node:crypto';
import type { Cell } from '../../services/csv.ts';
import { paginate } from '../paginate.ts';
import { type Db, inTransaction, type Queryable } from '../pool.ts';

export interface DatasetRow {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  tags: string[];
  file_name: string;
  size_bytes: number;
  target_column: string | null;
  columns: string[];
  row_count: number;
  status: string;
  created_at: Date;
  updated_at: Date;
}

const FIELDS = `id::text, owner_id::text, name, description, tags, file_name, size_bytes, target_column,
  columns, row_count, status, created_at, updated_at`;

export interface NewDataset {
  ownerId: string;
  name: string;
  description: string;
  tags: string[];
  fileName: string;
  sizeBytes: number;
  targetColumn: string | null;
  columns: string[];
  rows: Cell[][];
}

/** The dataset row and its data in one transaction: no dataset without its rows. */
export async function insertDataset(db: Db, input: NewDataset): Promise<DatasetRow> {
  return inTransaction(db, async (client) => {
    const id = randomUUID();
    const { rows } = await client.query<DatasetRow>(
      `INSERT INTO datasets (id, owner_id, name, description, tags, file_name, size_bytes, target_column, columns, row_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${FIELDS}`,
      [
        id,
        input.ownerId,
        input.name,
        input.description,
        JSON.stringify(input.tags),
        input.fileName,
        input.sizeBytes,
        input.targetColumn,
        JSON.stringify(input.columns),
        input.rows.length,
      ],
    );
    await client.query('INSERT INTO dataset_data (dataset_id, rows) VALUES ($1, $2)', [
      id,
      JSON.stringify(input.rows),
    ]);
    return rows[0];
  });
}

export async function findDataset(db: Queryable, ownerId: string, id: string): Promise<DatasetRow | null> {
  const { rows } = await db.query<DatasetRow>(
    `SELECT ${FIELDS} FROM datasets WHERE id = $1 AND owner_id = $2`,
    [id, ownerId],
  );
  return rows[0] ?? null;
}

export async function datasetRows(db: Queryable, id: string): Promise<Cell[][]> {
  const { rows } = await db.query<{ rows: Cell[][] }>('SELECT rows FROM dataset_data WHERE dataset_id = $1', [
    id,
  ]);
  return rows[0]?.rows ?? [];
}

/** A slice of the rows without loading all of them. */
export async function datasetRowSlice(
  db: Queryable,
  id: string,
  offset: number,
  limit: number,
): Promise<Cell[][]> {
  const { rows } = await db.query<{ row: Cell[] }>(
    `SELECT r.row FROM dataset_data d, jsonb_array_elements(d.rows) WITH ORDINALITY AS r(row, n)
     WHERE d.dataset_id = $1 AND r.n > $2 ORDER BY r.n LIMIT $3`,
    [id, offset, limit],
  );
  return rows.map((r) => r.row);
}

export async function listDatasets(
  db: Queryable,
  ownerId: string,
  options: { limit: number; offset: number; nameContains?: string },
): Promise<{ items: DatasetRow[]; total: number }> {
  const params: unknown[] = [ownerId];
  let where = 'owner_id = $1';
  if (options.nameContains) {
    params.push(options.nameContains);
    where += ` AND strpos(lower(name), lower($${params.length})) > 0`;
  }
  return paginate<DatasetRow>(db, {
    from: 'datasets',
    fields: FIELDS,
    where,
    params,
    orderBy: 'created_at DESC, id',
    limit: options.limit,
    offset: options.offset,
  });
}

export async function updateDataset(
  db: Queryable,
  ownerId: string,
  id: string,
  changes: { name?: string; description?: string; tags?: string[] },
): Promise<DatasetRow | null> {
  const { rows } = await db.query<DatasetRow>(
    `UPDATE datasets SET name = COALESCE($3, name), description = COALESCE($4, description),
       tags = COALESCE($5::jsonb, tags), updated_at = now()
     WHERE id = $1 AND owner_id = $2 RETURNING ${FIELDS}`,
    [
      id,
      ownerId,
      changes.name ?? null,
      changes.description ?? null,
      changes.tags ? JSON.stringify(changes.tags) : null,
    ],
  );
  return rows[0] ?? null;
}

export async function deleteDataset(db: Queryable, ownerId: string, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM datasets WHERE id = $1 AND owner_id = $2', [id, ownerId]);
  return (result.rowCount ?? 0) > 0;
}
