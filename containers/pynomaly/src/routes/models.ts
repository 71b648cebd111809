import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { loadModel, ModelFormatError, type TrainedModel } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import { insertDetector, markTrained } from '../db/repositories/detectors.ts';
import {
  attachModel,
  findModel,
  insertModel,
  type ModelRow,
  modelDocument,
  setStage,
} from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { conflict, notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import { ImportRequest, Model, ModelDocument, PromoteRequest } from '../schemas/models.ts';

export function modelView(row: ModelRow) {
  return {
    id: row.id,
    version: row.version,
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

export function modelRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['models'];

    app.get(
      '/api/models/:id',
      { schema: { tags, params: IdParams, response: enveloped(Model) } },
      async (request) => {
        const row = await findModel(ctx.db, callerOf(request).id, request.params.id);
        if (!row) throw notFound('Model');
        return success(request.id, modelView(row));
      },
    );

    app.post(
      '/api/models/:id/register',
      { schema: { tags, params: IdParams, response: enveloped(Model) } },
      async (request) => {
        const caller = callerOf(request);
        const current = await findModel(ctx.db, caller.id, request.params.id);
        if (!current) throw notFound('Model');
        if (current.stage === 'production')
          throw conflict('The model is in production; promote it to archived first');
        const row = await setStage(ctx.db, caller.id, request.params.id, 'staging');
        if (!row) throw notFound('Model');
        return success(request.id, modelView(row), 'Model registered (staging)');
      },
    );

    app.post(
      '/api/models/:id/promote',
      { schema: { tags, params: IdParams, body: PromoteRequest, response: enveloped(Model) } },
      async (request) => {
        const caller = callerOf(request);
        const row = await inTransaction(ctx.db, async (client) => {
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
      { config: { readOnly: true }, schema: { tags, params: IdParams, response: enveloped(ModelDocument) } },
      async (request) => {
        const row = await findModel(ctx.db, callerOf(request).id, request.params.id);
        if (!row) throw notFound('Model');
        const document = (await modelDocument(ctx.db, row.id)) as Record<string, unknown>;
        return success(request.id, { ...document, feature_columns: row.feature_columns } as never);
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
        const row = await inTransaction(ctx.db, async (client) => {
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
        await ctx.models.put(row.id, model);
        return reply.status(201).send(success(request.id, modelView(row), 'Model imported'));
      },
    );
  };
}
