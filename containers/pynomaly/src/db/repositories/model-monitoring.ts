import { randomUUID } from 'node:crypto';
import type { Queryable } from '../pool.ts';

/** Inputs kept per model for drift: the latest ones scored by predict. */
export const RECENT_INPUTS = 1_000;

/** One predict call of a model: its rows (the last RECENT_INPUTS kept), their flags and its latency. */
export async function recordScoring(
  db: Queryable,
  modelId: string,
  input: {
    features: readonly string[];
    X: number[][];
    scores: { anomaly_score: number; is_anomaly: boolean }[];
    latencyMs: number;
    failed: boolean;
  },
): Promise<void> {
  const anomalies = input.scores.filter((s) => s.is_anomaly).length;
  const rows = input.X.map((row) => Object.fromEntries(input.features.map((f, j) => [f, row[j]])));
  await db.query(
    'INSERT INTO model_scoring_calls (model_id, rows, anomalies, latency_ms, failed) VALUES ($1, $2, $3, $4, $5)',
    [modelId, rows.length, anomalies, input.latencyMs, input.failed],
  );
  if (input.failed || rows.length === 0) return;
  const from = Math.max(0, rows.length - RECENT_INPUTS);
  await db.query(
    `INSERT INTO model_inputs (model_id, features, anomaly_score, is_anomaly)
     SELECT $1, f, s, a FROM unnest($2::jsonb[], $3::float8[], $4::bool[]) AS t(f, s, a)`,
    [
      modelId,
      rows.slice(from).map((r) => JSON.stringify(r)),
      input.scores.slice(from).map((s) => s.anomaly_score),
      input.scores.slice(from).map((s) => s.is_anomaly),
    ],
  );
  // Keep the table bounded: only the latest RECENT_INPUTS of the model stay.
  await db.query(
    `DELETE FROM model_inputs WHERE model_id = $1 AND id <= (
       SELECT id FROM model_inputs WHERE model_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
    [modelId, RECENT_INPUTS],
  );
}

/** Runs a predict's input check; a refusal counts as a failed call of the model before it is thrown. */
export async function countFailure<T>(ctx: { db: Queryable }, modelId: string, check: () => T): Promise<T> {
  try {
    return check();
  } catch (error) {
    await recordScoring(ctx.db, modelId, { features: [], X: [], scores: [], latencyMs: 0, failed: true });
    throw error;
  }
}

export async function recentInputs(
  db: Queryable,
  modelId: string,
): Promise<{ features: Record<string, number>; anomaly_score: number; is_anomaly: boolean }[]> {
  const { rows } = await db.query(
    'SELECT features, anomaly_score, is_anomaly FROM model_inputs WHERE model_id = $1 ORDER BY id DESC LIMIT $2',
    [modelId, RECENT_INPUTS],
  );
  return rows;
}

export interface ScoringStats {
  requests: number;
  failed_requests: number;
  predictions: number;
  anomalies: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  total_ms: number;
  first_at: Date | null;
  last_at: Date | null;
}

/** Counts and latency percentiles over every predict call of a model (latency of the successful ones). */
export async function scoringStats(db: Queryable, modelId: string): Promise<ScoringStats> {
  const { rows } = await db.query<ScoringStats>(
    `SELECT count(*)::int AS requests,
            count(*) FILTER (WHERE failed)::int AS failed_requests,
            COALESCE(sum(rows) FILTER (WHERE NOT failed), 0)::int AS predictions,
            COALESCE(sum(anomalies), 0)::int AS anomalies,
            avg(latency_ms) FILTER (WHERE NOT failed) AS mean_ms,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE NOT failed) AS p50_ms,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE NOT failed) AS p95_ms,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE NOT failed) AS p99_ms,
            max(latency_ms) FILTER (WHERE NOT failed) AS max_ms,
            COALESCE(sum(latency_ms) FILTER (WHERE NOT failed), 0) AS total_ms,
            min(created_at) AS first_at, max(created_at) AS last_at
       FROM model_scoring_calls WHERE model_id = $1`,
    [modelId],
  );
  return rows[0];
}

/** Records of the registry (comparison, deployment, ab_test, alert, export, benchmark), body as JSON. */
export type RecordKind = 'comparison' | 'deployment' | 'ab_test' | 'alert' | 'export' | 'benchmark';

export interface ModelRecord<T = Record<string, unknown>> {
  id: string;
  owner_id: string;
  kind: RecordKind;
  model_id: string | null;
  body: T;
  created_at: Date;
}

const RECORD_FIELDS = 'id::text, owner_id::text, kind, model_id::text, body, created_at';

export async function insertRecord<T>(
  db: Queryable,
  input: { ownerId: string; kind: RecordKind; modelId: string | null; body: T },
): Promise<ModelRecord<T>> {
  const { rows } = await db.query<ModelRecord<T>>(
    `INSERT INTO model_records (id, owner_id, kind, model_id, body) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${RECORD_FIELDS}`,
    [randomUUID(), input.ownerId, input.kind, input.modelId, JSON.stringify(input.body)],
  );
  return rows[0];
}

/** One record of the caller's; `lock` holds its row for an update in the same transaction. */
export async function findRecord<T>(
  db: Queryable,
  ownerId: string,
  kind: RecordKind,
  id: string,
  lock = false,
): Promise<ModelRecord<T> | null> {
  const { rows } = await db.query<ModelRecord<T>>(
    `SELECT ${RECORD_FIELDS} FROM model_records WHERE id = $1 AND owner_id = $2 AND kind = $3${lock ? ' FOR UPDATE' : ''}`,
    [id, ownerId, kind],
  );
  return rows[0] ?? null;
}

export async function latestRecord<T>(
  db: Queryable,
  modelId: string,
  kind: RecordKind,
): Promise<ModelRecord<T> | null> {
  const { rows } = await db.query<ModelRecord<T>>(
    `SELECT ${RECORD_FIELDS} FROM model_records WHERE model_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [modelId, kind],
  );
  return rows[0] ?? null;
}

export async function updateRecordBody<T>(db: Queryable, id: string, body: T): Promise<void> {
  await db.query('UPDATE model_records SET body = $2 WHERE id = $1', [id, JSON.stringify(body)]);
}
