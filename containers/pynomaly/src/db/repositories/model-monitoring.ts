import { randomUUID } from 'node:crypto';
import type { Queryable } from '../pool.ts';

/** Inputs kept per model for drift: the latest ones scored by predict. */
export const RECENT_INPUTS = 1_000;

/** JSON has no NaN or Infinity: those go as text, which PostgreSQL's float8 reads back. */
function finiteOrText(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** Inputs a model may hold beyond RECENT_INPUTS before they are trimmed: one trim per this many. */
const TRIM_SLACK = 250;

/**
 * Inputs recorded per model since its last trim, in this process. Trimming on every call read the
 * model's whole window each time (most of a one-row predict's database time); trimming once per
 * TRIM_SLACK inputs keeps the table bounded (the calls that cover RECENT_INPUTS, plus TRIM_SLACK,
 * plus what one process restart leaves) while readers only ever see the latest RECENT_INPUTS.
 */
const untrimmed = new Map<string, number>();

/**
 * One predict call of a model: its rows (the last RECENT_INPUTS kept), their flags and its latency,
 * in one statement (one round trip, one commit). The inputs go as one JSON array, one row per call.
 */
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
  const call = [modelId, input.X.length, anomalies, input.latencyMs, input.failed];
  const callSql =
    'INSERT INTO model_scoring_calls (model_id, rows, anomalies, latency_ms, failed) VALUES ($1, $2, $3, $4, $5)';
  if (input.failed || input.X.length === 0) {
    await db.query(callSql, call);
    return;
  }
  const from = Math.max(0, input.X.length - RECENT_INPUTS);
  const kept = input.X.slice(from);
  await db.query(
    `WITH call AS (${callSql})
     INSERT INTO model_input_batches (model_id, rows, inputs) VALUES ($1, $6, $7::jsonb)`,
    [
      ...call,
      kept.length,
      JSON.stringify(
        kept.map((row, i) => ({
          f: Object.fromEntries(input.features.map((f, j) => [f, row[j]])),
          s: finiteOrText(input.scores[from + i].anomaly_score),
          a: input.scores[from + i].is_anomaly,
        })),
      ),
    ],
  );
  const pending = (untrimmed.get(modelId) ?? 0) + kept.length;
  if (pending < TRIM_SLACK) {
    untrimmed.set(modelId, pending);
    return;
  }
  untrimmed.delete(modelId);
  // The calls older than those that hold the latest RECENT_INPUTS go. SKIP LOCKED: two calls of
  // one model trimming at once never wait on (or deadlock over) each other's rows.
  await db.query(
    `DELETE FROM model_input_batches WHERE id IN (
       SELECT id FROM model_input_batches WHERE model_id = $1 AND id < (
         SELECT id FROM (
           SELECT id, sum(rows) OVER (ORDER BY id DESC) AS newer FROM model_input_batches WHERE model_id = $1
         ) w WHERE newer >= $2 ORDER BY id DESC LIMIT 1)
       FOR UPDATE SKIP LOCKED)`,
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

/** The latest RECENT_INPUTS inputs predict scored for a model, newest first. */
export async function recentInputs(
  db: Queryable,
  modelId: string,
): Promise<{ features: Record<string, number>; anomaly_score: number; is_anomaly: boolean }[]> {
  const { rows } = await db.query(
    `SELECT e.value->'f' AS features, (e.value->>'s')::float8 AS anomaly_score, (e.value->>'a')::bool AS is_anomaly
       FROM (SELECT id, inputs FROM model_input_batches WHERE model_id = $1 ORDER BY id DESC LIMIT $2) b,
            jsonb_array_elements(b.inputs) WITH ORDINALITY AS e(value, n)
      ORDER BY b.id DESC, e.n DESC LIMIT $2`,
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
