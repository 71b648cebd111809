import { Type } from 'typebox';
import { DateTime, ListOf, Metrics, Nullable, OpenObject, Pagination } from './common.ts';

export const Detector = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Nullable(Type.String()),
    algorithm: Type.String(),
    status: Type.String(),
    parameters: OpenObject,
    feature_columns: Type.Array(Type.String()),
    dataset_id: Nullable(Type.String({ format: 'uuid' })),
    model_id: Nullable(Type.String({ format: 'uuid' })),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { additionalProperties: true },
);

export const DetectorList = ListOf('detectors', Detector);

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const ColumnName = Type.String({ minLength: 1, maxLength: 200 });

export const DetectorCreate = Type.Object({
  name: Name,
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  algorithm: Type.String({ minLength: 1, maxLength: 100 }),
  parameters: Type.Optional(OpenObject),
  feature_columns: Type.Optional(Type.Array(ColumnName, { maxItems: 1000 })),
});

export const DetectorCreateQuery = Type.Object({ dataset_id: Type.String({ format: 'uuid' }) });

export const DetectorUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    parameters: Type.Optional(OpenObject),
  },
  { additionalProperties: false },
);

export const DetectorListQuery = Pagination;

const ParameterInfo = Type.Object(
  {
    type: Type.String(),
    default: Type.Unknown(),
    description: Type.String(),
    /** May be null: unset (random_state). */
    nullable: Type.Optional(Type.Boolean()),
    /** Strings accepted instead of a number (one_class_svm gamma: scale, auto). */
    alternatives: Type.Optional(Type.Array(Type.String())),
    exclusiveMinimum: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

export const AlgorithmList = Type.Object({
  algorithms: Type.Array(
    Type.Object({
      name: Type.String(),
      display_name: Type.String(),
      description: Type.String(),
      parameters: Type.Record(Type.String(), ParameterInfo),
    }),
  ),
  total: Type.Integer(),
});

export const TrainResult = Type.Object({
  status: Type.Literal('completed'),
  detector_id: Type.String({ format: 'uuid' }),
  model_id: Type.String({ format: 'uuid' }),
  /** The model's semantic version ("1.0.0" for a detector's first model). */
  version: Type.String(),
  metrics: Type.Optional(Metrics),
  training_time: Type.Number(),
  training_samples: Type.Integer(),
});

const FeatureValue = Type.Number();
export const PredictRequest = Type.Object({
  data: Type.Array(Type.Record(Type.String(), FeatureValue), { minItems: 1, maxItems: 100_000 }),
});

export const Prediction = Type.Object({
  anomaly_score: Type.Number({ minimum: 0, maximum: 1 }),
  is_anomaly: Type.Boolean(),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
});

export const ValidateRequest = Type.Object({ dataset_id: Type.Optional(Type.String({ format: 'uuid' })) });

export const ValidateResult = Type.Object({
  status: Type.Literal('completed'),
  detector_id: Type.String({ format: 'uuid' }),
  dataset_id: Type.String({ format: 'uuid' }),
  model_id: Type.String({ format: 'uuid' }),
  samples: Type.Integer(),
  metrics: Metrics,
});
