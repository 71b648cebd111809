import { Type } from 'typebox';
import { DateTime, Nullable, OpenObject } from './common.ts';

export const AutomlStart = Type.Object({
  job_name: Type.String({ minLength: 1, maxLength: 200 }),
  dataset_id: Type.String({ format: 'uuid' }),
  algorithms: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 10 }),
  ),
  /** The trial score the search maximises (with labels; without, the score separation). */
  optimization_metric: Type.Optional(
    Type.Union(
      [
        Type.Literal('roc_auc'),
        Type.Literal('f1_score'),
        Type.Literal('precision'),
        Type.Literal('recall'),
        Type.Literal('average_precision'),
      ],
      { default: 'roc_auc' },
    ),
  ),
  max_trials: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  max_duration_minutes: Type.Number({ exclusiveMinimum: 0, maximum: 240, default: 5 }),
});

export const AutomlJob = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    job_name: Type.String(),
    dataset_id: Nullable(Type.String({ format: 'uuid' })),
    status: Type.String(),
    progress_percentage: Type.Number({ minimum: 0, maximum: 100 }),
    current_trial: Type.Integer(),
    total_trials: Type.Integer(),
    best_score: Nullable(Type.Number()),
    error: Nullable(Type.String()),
    configuration: OpenObject,
    created_at: DateTime,
    started_at: Nullable(DateTime),
    completed_at: Nullable(DateTime),
  },
  { additionalProperties: true },
);

const TrialResult = Type.Object(
  { trial: Type.Integer(), algorithm: Type.String(), parameters: OpenObject, score: Type.Number() },
  { additionalProperties: true },
);

export const AutomlResults = Type.Object({
  job_id: Type.String({ format: 'uuid' }),
  status: Type.String(),
  best_model: Nullable(
    Type.Object(
      {
        model_id: Type.String({ format: 'uuid' }),
        algorithm: Type.String(),
        parameters: OpenObject,
        score: Type.Number(),
      },
      { additionalProperties: true },
    ),
  ),
  trial_results: Type.Array(TrialResult),
  model_comparison: Type.Array(OpenObject),
  /** Per feature of the best model: |correlation of the feature with its anomaly score|, summing to 1. */
  feature_importance: Type.Record(Type.String(), Type.Number()),
  optimization_metric: Type.String(),
});

export const DeployRequest = Type.Object({
  model_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  version: Type.Optional(Type.String({ maxLength: 50 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  deployment_target: Type.Optional(Type.String({ maxLength: 100 })),
});

export const Deployment = Type.Object({
  job_id: Type.String({ format: 'uuid' }),
  status: Type.Literal('deployed'),
  model_name: Type.String(),
  version: Nullable(Type.String()),
  deployment_target: Nullable(Type.String()),
  model_id: Type.String({ format: 'uuid' }),
  detector_id: Type.String({ format: 'uuid' }),
  algorithm: Type.String(),
  feature_columns: Type.Array(Type.String()),
  deployed_at: DateTime,
});
