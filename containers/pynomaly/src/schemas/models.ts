import { Type } from 'typebox';
import { DateTime, Nullable, NumberMap, OpenObject } from './common.ts';

export const Model = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    version: Type.Integer(),
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
