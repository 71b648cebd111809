import { type TSchema, Type } from 'typebox';

/** Shared building blocks of every area's schemas (and so of the OpenAPI document). */

export const Uuid = Type.String({ format: 'uuid', description: 'A UUID' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An object whose keys are open (metrics, parameters, free-form documents). */
export const OpenObject = Type.Object({}, { additionalProperties: true });
export const NumberMap = Type.Record(Type.String(), Type.Number());

export const IdParams = Type.Object({ id: Uuid });

/** The largest list offset (PostgreSQL int4): beyond it a list is empty anyway; above is 422. */
export const MAX_OFFSET = 2_147_483_647;

export const Pagination = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
});

export const ErrorEnvelope = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
    detail: Type.String(),
    request_id: Type.String(),
  },
  { description: 'Every error answer' },
);

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({
    success: Type.Literal(true),
    data,
    message: Nullable(Type.String()),
    timestamp: DateTime,
    request_id: Type.String(),
  });
}

/** Responses of an enveloped route: its success schema and the error envelope for 4xx/5xx. */
export function enveloped<T extends TSchema>(data: T, status = 200) {
  return { [status]: Envelope(data), '4xx': ErrorEnvelope, '5xx': ErrorEnvelope } as const;
}

/** The list shape of the contract: {<items>: [...], total, limit, offset}. */
export function ListOf<T extends TSchema>(key: string, item: T) {
  return Type.Object({
    [key]: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
}

export const Metrics = Type.Object(
  {
    accuracy: Type.Number(),
    precision: Type.Number(),
    recall: Type.Number(),
    f1_score: Type.Number(),
    roc_auc: Type.Number(),
  },
  { additionalProperties: true },
);
