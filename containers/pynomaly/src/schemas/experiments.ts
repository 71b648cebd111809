import { Type } from 'typebox';
import { DateTime, ListOf, Nullable, NumberMap, OpenObject, Pagination } from './common.ts';

export const ExperimentCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  dataset_id: Type.String({ format: 'uuid' }),
  algorithms: Type.Array(
    Type.Object({
      name: Type.String({ minLength: 1, maxLength: 100 }),
      parameters: Type.Optional(OpenObject),
    }),
    { minItems: 1, maxItems: 20 },
  ),
  evaluation_metrics: Type.Optional(
    Type.Array(
      Type.Union([
        Type.Literal('roc_auc'),
        Type.Literal('f1_score'),
        Type.Literal('precision'),
        Type.Literal('recall'),
        Type.Literal('accuracy'),
        Type.Literal('average_precision'),
        Type.Literal('matthews_corrcoef'),
      ]),
      { maxItems: 7 },
    ),
  ),
  cross_validation: Type.Optional(
    Type.Object({
      enabled: Type.Boolean({ default: true }),
      folds: Type.Integer({ minimum: 2, maximum: 10, default: 3 }),
    }),
  ),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
});

export const Experiment = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.String(),
    dataset_id: Nullable(Type.String({ format: 'uuid' })),
    status: Type.String(),
    tags: Type.Array(Type.String()),
    configuration: OpenObject,
    /** One per algorithm, in the order given: the name and its resolved parameters. */
    algorithm_configurations: Type.Array(
      Type.Object({ algorithm_name: Type.String(), name: Type.String(), parameters: OpenObject }),
    ),
    evaluation_metrics: Type.Array(Type.String()),
    metadata: OpenObject,
    best_algorithm: Nullable(Type.String()),
    error: Nullable(Type.String()),
    created_at: DateTime,
    started_at: Nullable(DateTime),
    completed_at: Nullable(DateTime),
  },
  { additionalProperties: true },
);

export const ExperimentList = ListOf('experiments', Experiment);

export const ExperimentListQuery = Type.Object({
  ...Pagination.properties,
  status: Type.Optional(Type.String({ maxLength: 50 })),
  tags: Type.Optional(
    Type.String({ maxLength: 1000, description: 'Comma-separated; every tag must be present' }),
  ),
});

export const AlgorithmResult = Type.Object({
  algorithm_name: Type.String(),
  parameters: OpenObject,
  metrics: NumberMap,
  cross_validation_scores: Type.Array(Type.Number()),
  model_id: Nullable(Type.String({ format: 'uuid' })),
  training_time: Type.Number(),
});

export const ExperimentResults = Type.Object({
  experiment_id: Type.String({ format: 'uuid' }),
  status: Type.String(),
  ranking_metric: Type.String(),
  algorithm_results: Type.Array(AlgorithmResult),
  best_algorithm: Nullable(Type.String()),
});

export const ExperimentComparison = Type.Object({
  experiment_id: Type.String({ format: 'uuid' }),
  ranking_metric: Type.String(),
  ranking: Type.Array(
    Type.Object({ rank: Type.Integer(), algorithm_name: Type.String(), score: Type.Number() }),
  ),
  /** The winner by the ranking metric: its name and the model its run trained. */
  best_algorithm: Nullable(
    Type.Object({
      algorithm_name: Type.String(),
      model_id: Nullable(Type.String({ format: 'uuid' })),
      score: Type.Number(),
    }),
  ),
  /** The winner's plain name (what `best_algorithm` was before it became an object). */
  best_algorithm_name: Nullable(Type.String()),
  metric_comparison: Type.Record(Type.String(), NumberMap),
});

export const MetadataUpdate = Type.Object({ metadata: OpenObject });

export const ExportRequest = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('research_report')], {
      default: 'json',
    }),
  ),
  include_models: Type.Optional(Type.Boolean({ default: false })),
});

export const ExportResult = Type.Object({
  experiment_id: Type.String({ format: 'uuid' }),
  format: Type.String(),
  content_type: Type.String(),
  include_models: Type.Boolean(),
  size_bytes: Type.Integer(),
  /** A `data:` URL (base64) holding the whole export: downloadable without another request. */
  download_url: Type.String(),
  exported_at: DateTime,
});

export const ExperimentHistory = Type.Object({
  experiment_id: Type.String({ format: 'uuid' }),
  events: Type.Array(Type.Object({ event_type: Type.String(), details: OpenObject, timestamp: DateTime })),
});
