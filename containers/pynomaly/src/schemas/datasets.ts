import { Type } from 'typebox';
import { DateTime, ListOf, MAX_OFFSET, Nullable, OpenObject, Pagination } from './common.ts';

export const Dataset = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Nullable(Type.String()),
    status: Type.String(),
    rows: Type.Integer(),
    columns: Type.Array(Type.String()),
    target_column: Nullable(Type.String()),
    file_name: Type.String(),
    size_bytes: Type.Integer(),
    tags: Type.Array(Type.String()),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { additionalProperties: true },
);

export const DatasetList = ListOf('datasets', Dataset);

export const DatasetListQuery = Type.Object({
  ...Pagination.properties,
  name_contains: Type.Optional(Type.String({ maxLength: 200 })),
});

const Text = (max: number) => Type.String({ maxLength: max });

export const DatasetUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Text(2000))),
    tags: Type.Optional(Type.Array(Text(100), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const DatasetStats = Type.Object({
  dataset_id: Type.String({ format: 'uuid' }),
  column_stats: Type.Record(Type.String(), OpenObject),
  data_quality: OpenObject,
  missing_values: Type.Record(Type.String(), Type.Integer()),
  label_column: Nullable(Type.String()),
  numeric_columns: Type.Array(Type.String()),
});

export const DatasetValidation = Type.Object({
  dataset_id: Type.String({ format: 'uuid' }),
  is_valid: Type.Boolean(),
  validation_results: Type.Object({
    checks: Type.Array(Type.Object({ name: Type.String(), passed: Type.Boolean(), message: Type.String() })),
    errors: Type.Array(Type.String()),
    warnings: Type.Array(Type.String()),
  }),
});

export const DataQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
});

export const DatasetSample = Type.Object({
  dataset_id: Type.String({ format: 'uuid' }),
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()]))),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ExportRequest = Type.Object(
  { format: Type.Union([Type.Literal('csv'), Type.Literal('json')], { default: 'csv' }) },
  { additionalProperties: false },
);

export const DatasetExport = Type.Object({
  dataset_id: Type.String({ format: 'uuid' }),
  format: Type.String(),
  filename: Type.String(),
  rows: Type.Integer(),
  columns: Type.Array(Type.String()),
  content: Type.Optional(Type.String({ description: 'CSV text (format csv)' })),
  records: Type.Optional(
    Type.Array(Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), {
      description: 'Rows as objects (format json)',
    }),
  ),
});

export const UploadForm = Type.Object({
  file: Type.String({ format: 'binary', description: 'The CSV file (text/csv)' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  target_column: Type.Optional(Type.String()),
  tags: Type.Optional(Type.String({ description: 'Comma-separated tags' })),
});
