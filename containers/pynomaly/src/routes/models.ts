import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { loadModel, ModelFormatError, type TrainedModel } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import { insertDetector, markTrained } from '../db/repositories/detectors.ts';
import { findRecord, insertRecord } from '../db/repositories/model-monitoring.ts';
import {
  attachModel,
  findModel,
  insertModel,
  type ModelRow,
  modelDocument,
  registerModel,
  setStage,
} from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { conflict, notFound, unprocessable } from '../http/errors.ts';
import { Envelope, ErrorEnvelope, enveloped, IdParams } from '../schemas/common.ts';
import {
  ExportRecord,
  ExportRequest,
  ImportRequest,
  Model,
  ModelDocument,
  PromoteRequest,
  RegisterRequest,
} from '../schemas/models.ts';

export function modelView(row: ModelRow) {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    description: row.description,
    tags: row.tags,
    dataset_id: row.dataset_id,
    parent_model_id: row.parent_model_id,
    algorithm: row.algorithm,
    parameters: row.parameters,
    metrics: row.metrics,
    feature_columns: row.feature_columns,
    created_at: row.created_at.toISOString(),
    detector_id: row.detector_id,
    status: row.status,
    stage: row.stage,
    training_time: row.training_time,
  };
}

/** Feature names of an imported document: its own when it names them, else feature1..featureN. */
export function importedFeatureColumns(document: Record<string, unknown>, featureCount: number): string[] {
  const named = document.feature_columns;
  if (
    Array.isArray(named) &&
    named.length === featureCount &&
    named.every((n) => typeof n === 'string' && n !== '') &&
    new Set(named).size === named.length
  )
    return named as string[];
  return Array.from({ length: featureCount }, (_, i) => `feature${i + 1}`);
}

const BODY_LIMIT = 64 * 1024 * 1024;

/** The export document: the algorithm's own, plus the names of its features. */
async function portableDocument(app: AppContext, row: ModelRow): Promise<Record<string, unknown>> {
  const document = (await modelDocument(app.db, row.id)) as Record<string, unknown>;
  return { ...document, feature_columns: row.feature_columns };
}

export const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['models'];

  app.get(
    '/api/models/:id',
    { schema: { tags, params: IdParams, response: enveloped(Model) } },
    async (request) => {
      const row = await findModel(app.db, callerOf(request).id, request.params.id);
      if (!row) throw notFound('Model');
      return success(request.id, modelView(row));
    },
  );

  app.post(
    '/api/models/:id/register',
    { schema: { tags, params: IdParams, body: RegisterRequest, response: enveloped(Model) } },
    async (request) => {
      const caller = callerOf(request);
      const current = await findModel(app.db, caller.id, request.params.id);
      if (!current) throw notFound('Model');
      if (current.stage === 'production')
        throw conflict('The model is in production; promote it to archived first');
      const { name, version, description, tags: labels } = request.body;
      // A (name, version) pair names one model of the caller's: a second one is 409 (unique index).
      const row = await registerModel(app.db, caller.id, request.params.id, {
        name,
        version,
        description,
        tags: labels,
      });
      if (!row) throw notFound('Model');
      return success(request.id, modelView(row), 'Model registered (staging)');
    },
  );

  app.post(
    '/api/models/:id/promote',
    { schema: { tags, params: IdParams, body: PromoteRequest, response: enveloped(Model) } },
    async (request) => {
      const caller = callerOf(request);
      const row = await inTransaction(app.db, async (client) => {
        const updated = await setStage(client, caller.id, request.params.id, request.body.stage);
        if (!updated) throw notFound('Model');
        // The detector scores with the model promoted to production.
        if (request.body.stage === 'production' && updated.detector_id)
          await markTrained(client, updated.detector_id, updated.id);
        return updated;
      });
      return success(request.id, modelView(row), `Model moved to ${row.stage}`);
    },
  );

  app.post(
    '/api/models/:id/export',
    {
      config: { readOnly: true },
      schema: {
        tags,
        params: IdParams,
        body: ExportRequest,
        response: { ...enveloped(ModelDocument), 201: Envelope(ExportRecord) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const row = await findModel(app.db, caller.id, request.params.id);
      if (!row) throw notFound('Model');
      const format = request.body.format;
      if (format === undefined) return success(request.id, (await portableDocument(app, row)) as never);
      // With a format: an export record whose download_url serves the portable document.
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'export',
        modelId: row.id,
        body: { format },
      });
      return reply.status(201).send(
        success(
          request.id,
          {
            export_id: record.id,
            model_id: row.id,
            format,
            content_type: 'application/json',
            download_url: `/api/models/exports/${record.id}/download`,
            created_at: record.created_at.toISOString(),
          },
          'Model export created',
        ),
      );
    },
  );

  app.get(
    '/api/models/exports/:id/download',
    { schema: { tags, params: IdParams, response: { 200: ModelDocument, '4xx': ErrorEnvelope } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const record = await findRecord<{ format: string }>(app.db, caller.id, 'export', request.params.id);
      const row = record?.model_id ? await findModel(app.db, caller.id, record.model_id) : null;
      if (!record || !row) throw notFound('Export');
      reply.header('content-disposition', `attachment; filename="model-${row.id}.json"`);
      return (await portableDocument(app, row)) as never;
    },
  );

  app.post(
    '/api/models/import',
    { bodyLimit: BODY_LIMIT, schema: { tags, body: ImportRequest, response: enveloped(Model, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body as Record<string, unknown>;
      let model: TrainedModel;
      try {
        model = loadModel(body);
      } catch (error) {
        if (error instanceof ModelFormatError)
          throw unprocessable(`Not an importable model document: ${error.message}`);
        throw unprocessable('Not an importable model document');
      }
      const featureColumns = importedFeatureColumns(body, model.featureCount);
      const row = await inTransaction(app.db, async (client) => {
        const detector = await insertDetector(client, {
          ownerId: caller.id,
          datasetId: null,
          name: `imported ${model.algorithm} model`,
          description: `Imported from a format_version ${String(body.format_version)} document`,
          algorithm: model.algorithm,
          parameters: model.parameters,
          featureColumns,
          status: 'trained',
        });
        const stored = await insertModel(client, {
          ownerId: caller.id,
          detectorId: null,
          version: 1,
          algorithm: model.algorithm,
          parameters: model.parameters,
          metrics: {},
          featureColumns,
          document: model.toDocument(),
          trainingTime: 0,
        });
        await attachModel(client, stored.id, detector.id);
        await markTrained(client, detector.id, stored.id);
        return { ...stored, detector_id: detector.id, status: 'imported' };
      });
      await app.models.put(row.id, model);
      return reply.status(201).send(success(request.id, modelView(row), 'Model imported'));
    },
  );
};
