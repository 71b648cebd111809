import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAlgorithms, resolveParameters } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { datasetRows, findDataset } from '../db/repositories/datasets.ts';
import {
  type DetectorRow,
  deleteDetector,
  findDetector,
  insertDetector,
  listDetectors,
  updateDetector,
} from '../db/repositories/detectors.ts';
import { success } from '../http/envelope.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  AlgorithmList,
  Detector,
  DetectorCreate,
  DetectorCreateQuery,
  DetectorList,
  DetectorListQuery,
  DetectorUpdate,
} from '../schemas/detectors.ts';
import { labelColumn, numericColumns } from '../services/features.ts';

export function detectorView(row: DetectorRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    algorithm: row.algorithm,
    status: row.status,
    parameters: row.parameters,
    feature_columns: row.feature_columns,
    dataset_id: row.dataset_id,
    model_id: row.model_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Parameters checked by the algorithm library (unknown names, wrong types, ranges): 422 listing every problem. */
export function checkedParameters(app: AppContext, algorithm: string, parameters: unknown) {
  const resolved = resolveParameters(algorithm, parameters ?? {}, {
    contamination: app.config.defaultContaminationRate,
  });
  if (!resolved.ok) throw unprocessable(resolved.errors.join('; '), { errors: resolved.errors });
  return resolved;
}

export const detectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['detectors'];

  app.get(
    '/api/detectors/algorithms',
    { schema: { tags, response: enveloped(AlgorithmList) } },
    async (request) => {
      const algorithms = listAlgorithms({ contamination: app.config.defaultContaminationRate });
      return success(request.id, { algorithms, total: algorithms.length });
    },
  );

  app.post(
    '/api/detectors/create',
    {
      schema: {
        tags,
        querystring: DetectorCreateQuery,
        body: DetectorCreate,
        response: enveloped(Detector, 201),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const resolved = checkedParameters(app, body.algorithm, body.parameters);
      const dataset = await findDataset(app.db, caller.id, request.query.dataset_id);
      if (!dataset) throw notFound('Dataset');
      const rows = await datasetRows(app.db, dataset.id);
      const label = labelColumn(dataset.columns, rows, dataset.target_column);
      const numeric = numericColumns(dataset.columns, rows, label);
      const features =
        body.feature_columns && body.feature_columns.length > 0 ? body.feature_columns : numeric;
      if (features.length === 0) throw unprocessable('The dataset has no numeric column to use as a feature');
      if (new Set(features).size !== features.length)
        throw unprocessable('feature_columns must not repeat a column');
      // Sets: a wide dataset must not make this quadratic.
      const known = new Set(dataset.columns);
      const unknown = features.filter((f) => !known.has(f));
      if (unknown.length > 0)
        throw unprocessable(
          `feature_columns not in the dataset: ${unknown.map((c) => JSON.stringify(c)).join(', ')}`,
        );
      const numericSet = new Set(numeric);
      const notNumeric = features.filter((f) => !numericSet.has(f));
      if (notNumeric.length > 0)
        throw unprocessable(
          `feature_columns must be numeric: ${notNumeric.map((c) => JSON.stringify(c)).join(', ')}`,
        );
      const row = await insertDetector(app.db, {
        ownerId: caller.id,
        datasetId: dataset.id,
        name: body.name,
        description: body.description ?? '',
        algorithm: resolved.algorithm,
        parameters: resolved.parameters,
        featureColumns: features,
      });
      return reply.status(201).send(success(request.id, detectorView(row), 'Detector created'));
    },
  );

  app.get(
    '/api/detectors',
    { schema: { tags, querystring: DetectorListQuery, response: enveloped(DetectorList) } },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await listDetectors(app.db, callerOf(request).id, { limit, offset });
      return success(request.id, {
        detectors: page.items.map(detectorView),
        total: page.total,
        limit,
        offset,
      });
    },
  );

  app.get(
    '/api/detectors/:id',
    { schema: { tags, params: IdParams, response: enveloped(Detector) } },
    async (request) => {
      const row = await findDetector(app.db, callerOf(request).id, request.params.id);
      if (!row) throw notFound('Detector');
      return success(request.id, detectorView(row));
    },
  );

  app.put(
    '/api/detectors/:id',
    { schema: { tags, params: IdParams, body: DetectorUpdate, response: enveloped(Detector) } },
    async (request) => {
      const caller = callerOf(request);
      const body = request.body;
      let parameters: Record<string, unknown> | undefined;
      if (body.parameters) {
        const current = await findDetector(app.db, caller.id, request.params.id);
        if (!current) throw notFound('Detector');
        parameters = checkedParameters(app, current.algorithm, body.parameters).parameters;
      }
      const row = await updateDetector(app.db, caller.id, request.params.id, {
        name: body.name,
        description: body.description ?? undefined,
        parameters,
      });
      if (!row) throw notFound('Detector');
      return success(request.id, detectorView(row), 'Detector updated');
    },
  );

  app.delete(
    '/api/detectors/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: enveloped(Type.Object({ id: Type.String(), deleted: Type.Boolean() })),
      },
    },
    async (request) => {
      const deleted = await deleteDetector(app.db, callerOf(request).id, request.params.id);
      if (!deleted) throw notFound('Detector');
      return success(request.id, { id: request.params.id, deleted: true }, 'Detector deleted');
    },
  );
};
