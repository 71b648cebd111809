import type { Migration } from './index.ts';

/**
 * The model registry and monitoring: a registered name and semantic version, the lineage of a
 * model (its training dataset and parent, captured when the row is inserted), the inputs predict
 * scored (drift), per-call scoring stats (monitoring), and the records of comparisons,
 * deployments, A/B tests, alerts, exports and benchmarks.
 */
export const modelRegistry: Migration = {
  version: 3,
  name: 'model registry and monitoring',
  sql: `
ALTER TABLE models
  ADD COLUMN name TEXT,
  ADD COLUMN semver TEXT,
  ADD COLUMN description TEXT,
  ADD COLUMN tags JSONB NOT NULL DEFAULT '[]',
  ADD COLUMN dataset_id UUID REFERENCES datasets(id) ON DELETE SET NULL,
  ADD COLUMN parent_model_id UUID REFERENCES models(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX models_registered_version ON models (owner_id, name, semver) WHERE name IS NOT NULL;

UPDATE models m SET dataset_id = d.dataset_id FROM detectors d WHERE d.id = m.detector_id;

-- Lineage is read from the detector at the moment its model is stored: the dataset it trains on
-- and the model it scored with until then (the parent).
CREATE FUNCTION models_lineage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.detector_id IS NOT NULL THEN
    SELECT d.dataset_id, d.current_model_id INTO NEW.dataset_id, NEW.parent_model_id
      FROM detectors d WHERE d.id = NEW.detector_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER models_lineage BEFORE INSERT ON models FOR EACH ROW EXECUTE FUNCTION models_lineage();

CREATE TABLE model_inputs (
  id BIGSERIAL PRIMARY KEY,
  model_id UUID NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  features JSONB NOT NULL,
  anomaly_score DOUBLE PRECISION NOT NULL,
  is_anomaly BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX model_inputs_model ON model_inputs (model_id, id DESC);

CREATE TABLE model_scoring_calls (
  id BIGSERIAL PRIMARY KEY,
  model_id UUID NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  rows INTEGER NOT NULL,
  anomalies INTEGER NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  failed BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX model_scoring_calls_model ON model_scoring_calls (model_id, id DESC);

CREATE TABLE model_records (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  model_id UUID REFERENCES models(id) ON DELETE CASCADE,
  body JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX model_records_owner ON model_records (owner_id, kind, created_at DESC);
CREATE INDEX model_records_model ON model_records (model_id, kind, created_at DESC);
`,
};
