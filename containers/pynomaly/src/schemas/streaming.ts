import { Type } from 'typebox';
import { DateTime, ListOf, Nullable, OpenObject, Pagination } from './common.ts';

export const SessionConfiguration = Type.Object(
  {
    processing_mode: Type.Union([Type.Literal('real_time'), Type.Literal('micro_batch')], {
      default: 'real_time',
    }),
    batch_size: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
    max_throughput: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
    // Upstream's harness sends these; stored and echoed (points are always validated, and a
    // session keeps no checkpoints or retry queue of its own).
    schema_validation: Type.Optional(Type.Boolean()),
    enable_checkpointing: Type.Optional(Type.Boolean()),
    error_handling: Type.Optional(
      Type.Object(
        {
          max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          retry_delay_seconds: Type.Optional(Type.Number({ minimum: 0, maximum: 3600 })),
          dead_letter_queue: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SessionCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  detector_id: Type.String({ format: 'uuid' }),
  configuration: Type.Optional(SessionConfiguration),
  /** Where the points come from (upstream's `{source_type, connection_config}`): stored and echoed. */
  data_source: Type.Optional(OpenObject),
});

export const Session = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    session_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    detector_id: Nullable(Type.String({ format: 'uuid' })),
    status: Type.String(),
    configuration: Type.Object({}, { additionalProperties: true }),
    data_source: Nullable(OpenObject),
    messages_processed: Type.Integer(),
    anomalies_detected: Type.Integer(),
    created_at: DateTime,
    started_at: Nullable(DateTime),
    stopped_at: Nullable(DateTime),
  },
  { additionalProperties: true },
);

export const SessionList = ListOf('sessions', Session);
export const SessionListQuery = Pagination;

/**
 * A point's time: a number or an ISO 8601 string (checked when scored), kept as sent. Number comes
 * first: the request validator coerces types, and a string branch first would turn numbers into strings.
 */
export const PointTimestamp = Type.Union([Type.Number(), Type.String({ maxLength: 100 })]);

export const ProcessRequest = Type.Object({
  data: Type.Object({ timestamp: Type.Optional(PointTimestamp) }, { additionalProperties: Type.Number() }),
});

export const ProcessResult = Type.Object({
  session_id: Type.String({ format: 'uuid' }),
  sequence: Type.Integer(),
  anomaly_score: Type.Number(),
  is_anomaly: Type.Boolean(),
  confidence: Type.Number(),
  timestamp: DateTime,
  /** The point's own `timestamp`, as sent; null when it had none. */
  point_timestamp: Nullable(PointTimestamp),
  event_id: Nullable(Type.String({ format: 'uuid' })),
});

export const SessionMetrics = Type.Object(
  {
    session_id: Type.String({ format: 'uuid' }),
    status: Type.String(),
    messages_processed: Type.Integer(),
    messages_per_second: Type.Number(),
    anomalies_detected: Type.Integer(),
    anomaly_rate: Type.Number(),
    failed_messages: Type.Integer(),
    average_anomaly_score: Type.Number(),
    average_processing_time_ms: Type.Number(),
    measurement_time: DateTime,
  },
  { additionalProperties: true },
);

export const SessionSummary = Type.Object({
  session_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  status: Type.String(),
  detector_id: Nullable(Type.String({ format: 'uuid' })),
  uptime_seconds: Type.Number(),
  session: Session,
  metrics: SessionMetrics,
  messages_processed: Type.Integer(),
  anomalies_detected: Type.Integer(),
  duration_seconds: Type.Number(),
  recent_anomalies: Type.Array(
    Type.Object({
      id: Type.String(),
      anomaly_score: Nullable(Type.Number()),
      severity: Type.String(),
      event_time: DateTime,
    }),
  ),
});

export const AlertRuleCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** Only `anomaly_score` rules shape alert frames; the rate metrics are stored and listed. */
  metric_name: Type.Optional(
    Type.Union([Type.Literal('anomaly_score'), Type.Literal('anomaly_rate'), Type.Literal('error_rate')], {
      default: 'anomaly_score',
    }),
  ),
  threshold_value: Type.Number(),
  comparison_operator: Type.Optional(Type.Union([Type.Literal('>='), Type.Literal('>')], { default: '>=' })),
  severity: Type.Union([
    Type.Literal('low'),
    Type.Literal('medium'),
    Type.Literal('high'),
    Type.Literal('critical'),
  ]),
  notification_channels: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 }),
  ),
  duration_threshold_minutes: Type.Optional(Type.Number({ minimum: 0 })),
});

export const AlertRule = Type.Object({
  id: Type.String({ format: 'uuid' }),
  session_id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  metric_name: Type.String(),
  threshold_value: Type.Number(),
  comparison_operator: Type.String(),
  severity: Type.String(),
  notification_channels: Type.Array(Type.String()),
  duration_threshold_minutes: Nullable(Type.Number()),
  created_at: DateTime,
});

export const AlertRuleList = Type.Object({ alert_rules: Type.Array(AlertRule) });
