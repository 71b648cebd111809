import type { Migration } from './index.ts';

/**
 * The inputs predict scored, one row per call instead of one per input: a 1,000-row call wrote
 * 1,000 rows and its trim deleted as many, and the dead index entries that churn left made every
 * later trim slower. A call's inputs are a JSON array, in scoring order, of
 * {"f": features, "s": anomaly score, "a": is anomaly}.
 */
export const modelInputBatches: Migration = {
  version: 4,
  name: 'model inputs kept per predict call',
  sql: `
CREATE TABLE model_input_batches (
  id BIGSERIAL PRIMARY KEY,
  model_id UUID NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  rows INTEGER NOT NULL CHECK (rows > 0),
  inputs JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX model_input_batches_model ON model_input_batches (model_id, id DESC);
INSERT INTO model_input_batches (model_id, rows, inputs, created_at)
  SELECT model_id, count(*),
         jsonb_agg(jsonb_build_object('f', features, 's', anomaly_score, 'a', is_anomaly) ORDER BY id),
         max(created_at)
    FROM model_inputs GROUP BY model_id;
DROP TABLE model_inputs;
`,
};
