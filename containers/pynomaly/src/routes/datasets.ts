import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../auth/authenticate.ts';
import {
  type DatasetRow,
  datasetRowSlice,
  deleteDataset,
  findDataset,
  insertDataset,
  listDatasets,
  updateDataset,
} from '../db/repositories/datasets.ts';
import { success } from '../http/envelope.ts';
import { ApiError, badRequest, notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  DataQuery,
  Dataset,
  DatasetExport,
  DatasetList,
  DatasetListQuery,
  DatasetSample,
  DatasetStats,
  DatasetUpdate,
  DatasetValidation,
  ExportRequest,
} from '../schemas/datasets.ts';
import { type Cell, CsvProblem, isControlCharacter, parseCsv, toCsv } from '../services/csv.ts';
import { columnStats, dataQuality, missingValues } from '../services/dataset-stats.ts';
import { numericColumns } from '../services/features.ts';
import { loadDataset } from '../services/training.ts';
import { checkFileType, readUpload, safeFileName } from '../services/upload.ts';

export function datasetView(row: DatasetRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    rows: row.row_count,
    columns: row.columns,
    target_column: row.target_column,
    file_name: row.file_name,
    size_bytes: row.size_bytes,
    tags: row.tags,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function asRecords(columns: readonly string[], rows: readonly Cell[][]): Record<string, Cell>[] {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])));
}

function stripControl(text: string): string {
  return [...text].filter((c) => !isControlCharacter(c.charCodeAt(0)) || c === '\t').join('');
}

export const datasetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['datasets'];
  const maxBytes = Math.floor(app.config.maxDatasetSizeMb * 1024 * 1024);

  app.post(
    '/api/datasets/upload',
    {
      schema: {
        tags,
        summary: 'Upload a CSV dataset (multipart/form-data: file, name, description, target_column, tags)',
        consumes: ['multipart/form-data'],
        response: enveloped(Dataset, 201),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const upload = await readUpload(request, maxBytes);
      const fileName = safeFileName(upload.fileName);
      checkFileType(fileName, upload.mimeType);
      let table: ReturnType<typeof parseCsv>;
      try {
        table = parseCsv(upload.content);
      } catch (error) {
        if (error instanceof CsvProblem) {
          // The file type was acceptable (.csv); its content is not: 422, not 415.
          if (error.kind === 'binary') throw new ApiError(422, 'BINARY_CONTENT', error.message);
          throw unprocessable(error.message, error.line ? { line: error.line } : undefined);
        }
        throw error;
      }
      const target = upload.fields.target_column?.trim() || null;
      if (target && !table.columns.includes(target))
        throw unprocessable(`target_column ${JSON.stringify(target)} is not a column of the CSV`);
      const name = stripControl(upload.fields.name ?? '').slice(0, 200) || fileName.replace(/\.[^.]+$/, '');
      const tagsField = upload.fields.tags ?? '';
      const row = await insertDataset(app.db, {
        ownerId: caller.id,
        name,
        description: stripControl(upload.fields.description ?? '').slice(0, 2000),
        tags: tagsField
          .split(',')
          .map((t) => stripControl(t.trim()))
          .filter(Boolean)
          .slice(0, 50),
        fileName,
        sizeBytes: upload.content.length,
        targetColumn: target,
        columns: table.columns,
        rows: table.rows,
      });
      return reply.status(201).send(success(request.id, datasetView(row), 'Dataset uploaded'));
    },
  );

  app.get(
    '/api/datasets',
    { schema: { tags, querystring: DatasetListQuery, response: enveloped(DatasetList) } },
    async (request) => {
      const { limit, offset, name_contains } = request.query;
      const page = await listDatasets(app.db, callerOf(request).id, {
        limit,
        offset,
        nameContains: name_contains,
      });
      return success(request.id, {
        datasets: page.items.map(datasetView),
        total: page.total,
        limit,
        offset,
      });
    },
  );

  app.get(
    '/api/datasets/:id',
    { schema: { tags, params: IdParams, response: enveloped(Dataset) } },
    async (request) => {
      const row = await findDataset(app.db, callerOf(request).id, request.params.id);
      if (!row) throw notFound('Dataset');
      return success(request.id, datasetView(row));
    },
  );

  app.put(
    '/api/datasets/:id',
    { schema: { tags, params: IdParams, body: DatasetUpdate, response: enveloped(Dataset) } },
    async (request) => {
      const body = request.body;
      const row = await updateDataset(app.db, callerOf(request).id, request.params.id, {
        name: body.name,
        description: body.description ?? undefined,
        tags: body.tags,
      });
      if (!row) throw notFound('Dataset');
      return success(request.id, datasetView(row), 'Dataset updated');
    },
  );

  app.delete(
    '/api/datasets/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: enveloped(Type.Object({ id: Type.String(), deleted: Type.Boolean() })),
      },
    },
    async (request) => {
      const deleted = await deleteDataset(app.db, callerOf(request).id, request.params.id);
      if (!deleted) throw notFound('Dataset');
      return success(request.id, { id: request.params.id, deleted: true }, 'Dataset deleted');
    },
  );

  app.get(
    '/api/datasets/:id/stats',
    { schema: { tags, params: IdParams, response: enveloped(DatasetStats) } },
    async (request) => {
      const data = await loadDataset(app, callerOf(request), request.params.id);
      const { columns } = data.dataset;
      return success(request.id, {
        dataset_id: data.dataset.id,
        column_stats: columnStats(columns, data.rows) as unknown as Record<string, Record<string, unknown>>,
        data_quality: dataQuality(columns, data.rows),
        missing_values: missingValues(columns, data.rows),
        label_column: data.label,
        numeric_columns: numericColumns(columns, data.rows, data.label),
      });
    },
  );

  app.post(
    '/api/datasets/:id/validate',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, response: enveloped(DatasetValidation) },
    },
    async (request) => {
      const data = await loadDataset(app, callerOf(request), request.params.id);
      const { columns } = data.dataset;
      const numeric = numericColumns(columns, data.rows, data.label);
      const missing = missingValues(columns, data.rows);
      const quality = dataQuality(columns, data.rows);
      const emptyColumns = columns.filter((c) => missing[c] === data.rows.length);
      const checks = [
        { name: 'has_rows', passed: data.rows.length > 0, message: `${data.rows.length} rows` },
        {
          name: 'numeric_features',
          passed: numeric.length > 0,
          message:
            numeric.length > 0 ? `numeric columns: ${numeric.join(', ')}` : 'no numeric column to detect on',
        },
        {
          name: 'no_empty_columns',
          passed: emptyColumns.length === 0,
          message:
            emptyColumns.length === 0
              ? 'every column has values'
              : `empty columns: ${emptyColumns.join(', ')}`,
        },
        {
          name: 'missing_values',
          passed: quality.missing_cells === 0,
          message: `${quality.missing_cells} missing cells`,
        },
        {
          name: 'duplicate_rows',
          passed: quality.duplicate_rows === 0,
          message: `${quality.duplicate_rows} duplicate rows`,
        },
      ];
      const errors = checks
        .filter((c) => !c.passed && ['has_rows', 'numeric_features', 'no_empty_columns'].includes(c.name))
        .map((c) => c.message);
      const warnings = checks.filter((c) => !c.passed && !errors.includes(c.message)).map((c) => c.message);
      return success(request.id, {
        dataset_id: data.dataset.id,
        is_valid: errors.length === 0,
        validation_results: { checks, errors, warnings },
      });
    },
  );

  app.get(
    '/api/datasets/:id/data',
    { schema: { tags, params: IdParams, querystring: DataQuery, response: enveloped(DatasetSample) } },
    async (request) => {
      const dataset = await findDataset(app.db, callerOf(request).id, request.params.id);
      if (!dataset) throw notFound('Dataset');
      const { limit, offset } = request.query;
      const rows = await datasetRowSlice(app.db, dataset.id, offset, limit);
      return success(request.id, {
        dataset_id: dataset.id,
        columns: dataset.columns,
        rows: asRecords(dataset.columns, rows),
        total: dataset.row_count,
        limit,
        offset,
      });
    },
  );

  app.post(
    '/api/datasets/:id/export',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, body: ExportRequest, response: enveloped(DatasetExport) },
    },
    async (request) => {
      const format = request.body.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw badRequest('format must be csv or json');
      const data = await loadDataset(app, callerOf(request), request.params.id);
      const { columns } = data.dataset;
      const base = data.dataset.file_name.replace(/\.[^.]+$/, '') || 'dataset';
      return success(request.id, {
        dataset_id: data.dataset.id,
        format,
        filename: `${base}.${format}`,
        rows: data.rows.length,
        columns,
        ...(format === 'csv'
          ? { content: toCsv(columns, data.rows) }
          : { records: asRecords(columns, data.rows) }),
      });
    },
  );
};
