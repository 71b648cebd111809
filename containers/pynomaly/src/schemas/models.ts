import { Type } from 'typebox';
import { DateTime, Nullable, NumberMap, OpenObject } from './common.ts';

export const Model = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    /** Semantic version: the registered one, else "<n>.0.0" for the detector's nth model. */
    version: Type.String(),
    name: Nullable(Type.String()),
    description: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    dataset_id: Nullable(Type.String({ format: 'uuid' })),
    parent_model_id: Nullable(Type.String({ format: 'uuid' })),
    algorithm: Type.String(),
    parameters: OpenObject,
    metrics: NumberMap,
    feature_columns: Type.Array(Type.String()),
    created_at: DateTime,
    detector_id: Nullable(Type.String({ format: 'uuid' })),
    status: Type.String(),
    stage: Type.String(),
    training_time: Type.Number(),
  },
  { additionalProperties: true },
);

export const PromoteRequest = Type.Object({
  stage: Type.Union([Type.Literal('staging'), Type.Literal('production'), Type.Literal('archived')]),
});

export const ModelDocument = Type.Object(
  {
    format_version: Type.Integer(),
    algorithm: Type.String(),
    parameters: OpenObject,
    feature_count: Type.Integer(),
    threshold: Type.Number(),
    state: Type.Unknown(),
  },
  { additionalProperties: true },
);

/** Import takes any JSON object: the algorithm library judges the document (422 when it is not a model). */
export const ImportRequest = Type.Object({}, { additionalProperties: true });

const SEMVER = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$';
const Name = Type.String({ minLength: 1, maxLength: 200 });
const MetricName = Type.Union(
  ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'].map((m) => Type.Literal(m)),
);
const Point = Type.Record(Type.String(), Type.Number());

/** Register: every field optional (a bare POST only moves the model to staging). */
export const RegisterRequest = Type.Object(
  {
    name: Type.Optional(Name),
    version: Type.Optional(Type.String({ pattern: SEMVER, maxLength: 64 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
    metadata: Type.Optional(OpenObject),
  },
  { additionalProperties: true },
);

/** Export: with `format` the answer is an export record (201); without, the document itself (200). */
export const ExportRequest = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pickle')])),
    include_metadata: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

export const ExportRecord = Type.Object({
  export_id: Type.String({ format: 'uuid' }),
  model_id: Type.String({ format: 'uuid' }),
  format: Type.String(),
  content_type: Type.String(),
  download_url: Type.String(),
  created_at: DateTime,
});

export const CompareRequest = Type.Object(
  {
    baseline_model_id: Type.String({ format: 'uuid' }),
    candidate_model_id: Type.String({ format: 'uuid' }),
    test_dataset_id: Type.String({ format: 'uuid' }),
    comparison_metrics: Type.Optional(Type.Array(MetricName, { minItems: 1, maxItems: 5 })),
    statistical_tests: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);

export const DeployRequest = Type.Object(
  {
    deployment_target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scaling_config: Type.Optional(OpenObject),
    monitoring_config: Type.Optional(OpenObject),
    rollback_config: Type.Optional(OpenObject),
  },
  { additionalProperties: true },
);

export const AlertRequest = Type.Object(
  {
    alert_name: Name,
    model_id: Type.String({ format: 'uuid' }),
    alert_conditions: Type.Array(
      Type.Object(
        {
          metric: Type.Union(
            ['error_rate', 'latency_p99', 'latency_p95', 'latency_mean', 'anomaly_rate', 'drift_score'].map(
              (m) => Type.Literal(m),
            ),
          ),
          threshold: Type.Number(),
          comparison: Type.Union([Type.Literal('greater_than'), Type.Literal('less_than')]),
          duration_minutes: Type.Optional(Type.Number({ minimum: 0 })),
        },
        { additionalProperties: true },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    notification_channels: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    escalation_policy: Type.Optional(OpenObject),
  },
  { additionalProperties: true },
);

export const AbTestRequest = Type.Object(
  {
    test_name: Name,
    control_model_id: Type.String({ format: 'uuid' }),
    treatment_model_id: Type.String({ format: 'uuid' }),
    traffic_split: Type.Optional(
      Type.Object({
        control: Type.Number({ minimum: 0, maximum: 1 }),
        treatment: Type.Number({ minimum: 0, maximum: 1 }),
      }),
    ),
    success_metrics: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);

export const AbPredictRequest = Type.Object({ data: Type.Array(Point, { minItems: 1, maxItems: 10_000 }) });

export const ExplainRequest = Type.Object(
  {
    /** A point to explain (local); without it the explanation is global over training rows. */
    data: Type.Optional(Point),
    explanation_type: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('global')])),
    sample_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: true },
);
