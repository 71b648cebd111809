import { Type } from 'typebox';
import { DateTime, Nullable, OpenObject } from './common.ts';

export const AutomlStart = Type.Object({
  job_name: Type.String({ minLength: 1, maxLength: 200 }),
  dataset_id: Type.String({ format: 'uuid' }),
  algorithms: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 10 }),
  ),
  optimization_metric: Type.Optional(Type.Literal('roc_auc', { default: 'roc_auc' })),
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
});
