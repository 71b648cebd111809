import type { Migration } from './index.ts';

/** Session data sources and alert rules, experiment metadata; new AutoML jobs start as `created`. */
export const streamingAlertsAndMetadata: Migration = {
  version: 2,
  name: 'streaming alert rules, data sources, experiment metadata',
  sql: `
ALTER TABLE streaming_sessions ADD COLUMN data_source JSONB;

CREATE TABLE streaming_alert_rules (
  id UUID PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES streaming_sessions(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  threshold_value DOUBLE PRECISION NOT NULL,
  comparison_operator TEXT NOT NULL,
  severity TEXT NOT NULL,
  notification_channels JSONB NOT NULL DEFAULT '[]',
  duration_threshold_minutes DOUBLE PRECISION,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX streaming_alert_rules_session ON streaming_alert_rules (session_id, created_at, id);

ALTER TABLE experiments ADD COLUMN metadata JSONB NOT NULL DEFAULT '{}';

ALTER TABLE automl_jobs ALTER COLUMN status SET DEFAULT 'created';
`,
};
