import { Type } from 'typebox';
import { DateTime, ListOf, Nullable, Pagination } from './common.ts';

export const SessionConfiguration = Type.Object(
  {
    processing_mode: Type.Union([Type.Literal('real_time'), Type.Literal('micro_batch')], {
      default: 'real_time',
    }),
    batch_size: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
    max_throughput: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
  },
  { additionalProperties: false },
);

export const SessionCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  detector_id: Type.String({ format: 'uuid' }),
  configuration: Type.Optional(SessionConfiguration),
});

export const Session = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    detector_id: Nullable(Type.String({ format: 'uuid' })),
    status: Type.String(),
    configuration: Type.Object({}, { additionalProperties: true }),
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

export const ProcessRequest = Type.Object({ data: Type.Record(Type.String(), Type.Number()) });

export const ProcessResult = Type.Object({
  session_id: Type.String({ format: 'uuid' }),
  sequence: Type.Integer(),
  anomaly_score: Type.Number(),
  is_anomaly: Type.Boolean(),
  confidence: Type.Number(),
  timestamp: DateTime,
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
