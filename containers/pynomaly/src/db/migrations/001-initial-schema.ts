import type { Migration } from './index.ts';

/** Every table of the service. The anonymous user owns everything when auth is off. */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
CREATE TABLE users (
  id UUID PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  email TEXT,
  password_hash TEXT,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  is_active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO users (id, username, role) VALUES ('00000000-0000-4000-8000-000000000000', 'anonymous', 'admin');

CREATE TABLE api_keys (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE datasets (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tags JSONB NOT NULL DEFAULT '[]',
  file_name TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  target_column TEXT,
  columns JSONB NOT NULL,
  row_count INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'uploaded',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX datasets_owner ON datasets (owner_id, created_at DESC);

-- The parsed table: rows as JSON arrays of cells (number, string or null), in upload order.
CREATE TABLE dataset_data (
  dataset_id UUID PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
  rows JSONB NOT NULL
);

CREATE TABLE detectors (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  dataset_id UUID REFERENCES datasets(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  algorithm TEXT NOT NULL,
  parameters JSONB NOT NULL,
  feature_columns JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'created',
  current_model_id UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX detectors_owner ON detectors (owner_id, created_at DESC);

CREATE TABLE models (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  detector_id UUID REFERENCES detectors(id) ON DELETE SET NULL,
  version INTEGER NOT NULL,
  algorithm TEXT NOT NULL,
  parameters JSONB NOT NULL,
  metrics JSONB NOT NULL DEFAULT '{}',
  feature_columns JSONB NOT NULL,
  document JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'trained',
  stage TEXT NOT NULL DEFAULT 'none',
  training_time DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX models_owner ON models (owner_id, created_at DESC);

CREATE TABLE experiments (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  dataset_id UUID REFERENCES datasets(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tags JSONB NOT NULL DEFAULT '[]',
  configuration JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'created',
  best_algorithm TEXT,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);
CREATE INDEX experiments_owner ON experiments (owner_id, created_at DESC);

CREATE TABLE experiment_results (
  experiment_id UUID NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  algorithm_name TEXT NOT NULL,
  parameters JSONB NOT NULL,
  metrics JSONB NOT NULL,
  cross_validation_scores JSONB NOT NULL,
  model_id UUID REFERENCES models(id) ON DELETE SET NULL,
  training_time DOUBLE PRECISION NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (experiment_id, algorithm_name)
);

CREATE TABLE experiment_events (
  id BIGSERIAL PRIMARY KEY,
  experiment_id UUID NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  details JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE automl_jobs (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  dataset_id UUID REFERENCES datasets(id) ON DELETE SET NULL,
  job_name TEXT NOT NULL,
  configuration JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  progress_percentage DOUBLE PRECISION NOT NULL DEFAULT 0,
  current_trial INTEGER NOT NULL DEFAULT 0,
  total_trials INTEGER NOT NULL,
  best_score DOUBLE PRECISION,
  results JSONB,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);

CREATE TABLE streaming_sessions (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  detector_id UUID REFERENCES detectors(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  configuration JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  messages_processed BIGINT NOT NULL DEFAULT 0,
  anomalies_detected BIGINT NOT NULL DEFAULT 0,
  failed_messages BIGINT NOT NULL DEFAULT 0,
  score_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
  processing_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  stopped_at TIMESTAMPTZ,
  last_message_at TIMESTAMPTZ
);

CREATE TABLE events (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  event_type TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  anomaly_score DOUBLE PRECISION,
  detector_id UUID,
  session_id UUID,
  data JSONB NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'open',
  event_time TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  acknowledged_at TIMESTAMPTZ,
  acknowledged_by TEXT,
  resolved_at TIMESTAMPTZ,
  resolved_by TEXT,
  resolution_notes TEXT
);
CREATE INDEX events_owner_time ON events (owner_id, event_time DESC);
CREATE INDEX events_detector ON events (detector_id);

CREATE TABLE event_patterns (
  id UUID PRIMARY KEY,
  owner_id UUID NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  pattern_type TEXT NOT NULL,
  conditions JSONB NOT NULL DEFAULT '{}',
  time_window_seconds INTEGER NOT NULL DEFAULT 3600,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
};
