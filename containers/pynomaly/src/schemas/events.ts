import { Type } from 'typebox';
import { DateTime, MAX_OFFSET, Nullable, OpenObject } from './common.ts';

const Severity = Type.Union([
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);

export const Event = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    event_type: Type.String(),
    severity: Type.String(),
    title: Type.String(),
    description: Type.String(),
    anomaly_score: Nullable(Type.Number()),
    detector_id: Nullable(Type.String({ format: 'uuid' })),
    session_id: Nullable(Type.String({ format: 'uuid' })),
    data: OpenObject,
    status: Type.String(),
    event_time: DateTime,
    created_at: DateTime,
    acknowledged_at: Nullable(DateTime),
    acknowledged_by: Nullable(Type.String()),
    resolved_at: Nullable(DateTime),
    resolved_by: Nullable(Type.String()),
    resolution_notes: Nullable(Type.String()),
  },
  { additionalProperties: true },
);

export const EventCreate = Type.Object({
  event_type: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
  severity: Type.Optional(Severity),
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  detector_id: Type.Optional(Type.String({ format: 'uuid' })),
  session_id: Type.Optional(Type.String({ format: 'uuid' })),
  anomaly_score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  data: Type.Optional(OpenObject),
  event_time: Type.Optional(DateTime),
});

export const EventQuery = Type.Object({
  event_types: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  severities: Type.Optional(Type.Array(Severity, { maxItems: 4 })),
  statuses: Type.Optional(
    Type.Array(Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]), {
      maxItems: 3,
    }),
  ),
  min_anomaly_score: Type.Optional(Type.Number()),
  event_time_start: Type.Optional(DateTime),
  event_time_end: Type.Optional(DateTime),
  detector_id: Type.Optional(Type.String({ format: 'uuid' })),
  session_id: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
});

export const EventList = Type.Object({
  events: Type.Array(Event),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const EventSummary = Type.Object({
  total_events: Type.Integer(),
  events_by_type: Type.Record(Type.String(), Type.Integer()),
  events_by_severity: Type.Record(Type.String(), Type.Integer()),
  events_by_status: Type.Record(Type.String(), Type.Integer()),
  open_events: Type.Integer(),
});

export const StatusChange = Type.Object({
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
  by: Type.Optional(Type.String({ maxLength: 200 })),
});

export const PatternCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  pattern_type: Type.Union([
    Type.Literal('frequency'),
    Type.Literal('threshold'),
    Type.Literal('sequence'),
    Type.Literal('correlation'),
  ]),
  conditions: Type.Optional(OpenObject),
  time_window_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
});

export const Pattern = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  pattern_type: Type.String(),
  conditions: OpenObject,
  time_window_seconds: Type.Integer(),
  created_at: DateTime,
});

export const DetectQuery = Type.Object({
  hours: Type.Number({ minimum: 0.01, maximum: 24 * 90, default: 24 }),
});

export const DetectedPatterns = Type.Object({
  hours: Type.Number(),
  total_events: Type.Integer(),
  patterns: Type.Array(
    Type.Object(
      {
        pattern_type: Type.String(),
        description: Type.String(),
        event_count: Type.Integer(),
        confidence: Type.Number(),
      },
      { additionalProperties: true },
    ),
  ),
});
