import { Type } from 'typebox';

const Id = Type.String({ format: 'uuid' });
const Metric = Type.String({ maxLength: 100 });

export const BenchmarkRequest = Type.Object(
  {
    model_id: Id,
    test_dataset_id: Type.Optional(Id),
    metrics: Type.Optional(Type.Array(Metric, { maxItems: 20 })),
    test_scenarios: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            batch_size: Type.Integer({ minimum: 1, maximum: 10_000 }),
            iterations: Type.Integer({ minimum: 1, maximum: 1_000 }),
          },
          { additionalProperties: true },
        ),
        { minItems: 1, maxItems: 10 },
      ),
    ),
  },
  { additionalProperties: true },
);

export const PerformanceCompareRequest = Type.Object(
  {
    model_ids: Type.Array(Id, { minItems: 2, maxItems: 10, uniqueItems: true }),
    test_dataset_id: Id,
    metrics: Type.Optional(Type.Array(Metric, { maxItems: 20 })),
  },
  { additionalProperties: true },
);

export const OptimizeRequest = Type.Object(
  {
    metric: Type.Optional(
      Type.Union(['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'].map((m) => Type.Literal(m))),
    ),
    max_trials: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  },
  { additionalProperties: true },
);
