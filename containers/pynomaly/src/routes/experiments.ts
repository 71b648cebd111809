import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../auth/authenticate.ts';
import { inTransaction } from '../db/pool.ts';
import { findDataset } from '../db/repositories/datasets.ts';
import {
  addExperimentEvent,
  cancelExperiment,
  claimForRun,
  deleteExperiment,
  type ExperimentRow,
  experimentEvents,
  experimentResults,
  findExperiment,
  insertExperiment,
  listExperiments,
  replaceMetadata,
} from '../db/repositories/experiments.ts';
import { findModel } from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { conflict, notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  Experiment,
  ExperimentComparison,
  ExperimentCreate,
  ExperimentHistory,
  ExperimentList,
  ExperimentListQuery,
  ExperimentResults,
  ExportRequest,
  ExportResult,
  MetadataUpdate,
} from '../schemas/experiments.ts';
import { EXPORT_CONTENT_TYPES, renderExport } from '../services/experiment-export.ts';
import { bestOf, enqueueExperiment, rankingMetric } from '../services/experiment-runner.ts';
import { checkedParameters } from './detectors.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function experimentView(row: ExperimentRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    dataset_id: row.dataset_id,
    status: row.status,
    tags: row.tags,
    configuration: row.configuration as unknown as Record<string, unknown>,
    algorithm_configurations: row.configuration.algorithms.map((a) => ({
      algorithm_name: a.name,
      name: a.name,
      parameters: a.parameters,
    })),
    evaluation_metrics: row.configuration.evaluation_metrics,
    metadata: row.metadata,
    best_algorithm: row.best_algorithm,
    error: row.error,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
  };
}

export const experimentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['experiments'];

  const owned = async (callerId: string, id: string) => {
    const row = await findExperiment(app.db, callerId, id);
    if (!row) throw notFound('Experiment');
    return row;
  };

  app.post(
    '/api/experiments/create',
    { schema: { tags, body: ExperimentCreate, response: enveloped(Experiment, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      // Every algorithm is checked before anything is written: a bad one leaves no row.
      const errors: string[] = [];
      const algorithms = body.algorithms.flatMap((a, i) => {
        try {
          const resolved = checkedParameters(app, a.name, a.parameters);
          return [{ name: resolved.algorithm, parameters: resolved.parameters }];
        } catch (error) {
          errors.push(`algorithms[${i}] (${a.name}): ${(error as Error).message}`);
          return [];
        }
      });
      if (errors.length > 0) throw unprocessable(errors.join('; '), { errors });
      if (new Set(algorithms.map((a) => a.name)).size !== algorithms.length)
        throw unprocessable('Each algorithm may appear once in an experiment');
      const dataset = await findDataset(app.db, caller.id, body.dataset_id);
      if (!dataset) throw notFound('Dataset');
      const row = await inTransaction(app.db, async (client) => {
        const created = await insertExperiment(client, {
          ownerId: caller.id,
          datasetId: dataset.id,
          name: body.name,
          description: body.description ?? '',
          tags: body.tags ?? [],
          configuration: {
            algorithms,
            evaluation_metrics: body.evaluation_metrics ?? ['roc_auc'],
            cross_validation: {
              enabled: body.cross_validation?.enabled ?? true,
              folds: body.cross_validation?.folds ?? 3,
            },
          },
        });
        await addExperimentEvent(client, created.id, 'experiment_created', {
          algorithms: algorithms.map((a) => a.name),
        });
        return created;
      });
      return reply.status(201).send(success(request.id, experimentView(row), 'Experiment created'));
    },
  );

  app.post(
    '/api/experiments/:id/run',
    { schema: { tags, params: IdParams, response: enveloped(Experiment, 202) } },
    async (request, reply) => {
      const caller = callerOf(request);
      await owned(caller.id, request.params.id);
      const claimed = await claimForRun(app.db, caller.id, request.params.id);
      if (!claimed) throw conflict('The experiment is already running');
      enqueueExperiment(app, caller, claimed);
      return reply.status(202).send(success(request.id, experimentView(claimed), 'Experiment running'));
    },
  );

  app.post(
    '/api/experiments/:id/cancel',
    { schema: { tags, params: IdParams, response: enveloped(Experiment) } },
    async (request) => {
      const caller = callerOf(request);
      const cancelled = await cancelExperiment(app.db, caller.id, request.params.id);
      if (cancelled) return success(request.id, experimentView(cancelled), 'Experiment cancelled');
      const experiment = await owned(caller.id, request.params.id);
      throw conflict(`The experiment is not running (${experiment.status}): there is nothing to cancel`);
    },
  );

  app.get(
    '/api/experiments/:id/results',
    { schema: { tags, params: IdParams, response: enveloped(ExperimentResults) } },
    async (request) => {
      const experiment = await owned(callerOf(request).id, request.params.id);
      const results = await experimentResults(app.db, experiment.id);
      const metric = rankingMetric(experiment);
      return success(request.id, {
        experiment_id: experiment.id,
        status: experiment.status,
        ranking_metric: metric,
        algorithm_results: results,
        best_algorithm: experiment.best_algorithm ?? bestOf(results, metric)?.algorithm_name ?? null,
      });
    },
  );

  app.get(
    '/api/experiments/:id/comparison',
    { schema: { tags, params: IdParams, response: enveloped(ExperimentComparison) } },
    async (request) => {
      const experiment = await owned(callerOf(request).id, request.params.id);
      const results = await experimentResults(app.db, experiment.id);
      const metric = rankingMetric(experiment);
      const ranked = [...results].sort((a, b) => (b.metrics[metric] ?? -1) - (a.metrics[metric] ?? -1));
      const bestName = experiment.best_algorithm ?? ranked[0]?.algorithm_name ?? null;
      const best = results.find((r) => r.algorithm_name === bestName);
      const metricComparison: Record<string, Record<string, number>> = {};
      for (const r of results)
        for (const [name, value] of Object.entries(r.metrics)) {
          metricComparison[name] ??= {};
          metricComparison[name][r.algorithm_name] = value;
        }
      return success(request.id, {
        experiment_id: experiment.id,
        ranking_metric: metric,
        ranking: ranked.map((r, i) => ({
          rank: i + 1,
          algorithm_name: r.algorithm_name,
          score: r.metrics[metric] ?? 0,
        })),
        best_algorithm: best
          ? {
              algorithm_name: best.algorithm_name,
              model_id: best.model_id,
              score: best.metrics[metric] ?? 0,
            }
          : null,
        best_algorithm_name: bestName,
        metric_comparison: metricComparison,
      });
    },
  );

  app.get(
    '/api/experiments/:id',
    { schema: { tags, params: IdParams, response: enveloped(Experiment) } },
    async (request) => {
      const experiment = await owned(callerOf(request).id, request.params.id);
      return success(request.id, experimentView(experiment));
    },
  );

  app.put(
    '/api/experiments/:id/metadata',
    { schema: { tags, params: IdParams, body: MetadataUpdate, response: enveloped(Experiment) } },
    async (request) => {
      const caller = callerOf(request);
      const metadata = request.body.metadata as Record<string, unknown>;
      const row = await inTransaction(app.db, async (client) => {
        const updated = await replaceMetadata(client, caller.id, request.params.id, metadata);
        if (!updated) throw notFound('Experiment');
        await addExperimentEvent(client, updated.id, 'metadata_updated', { keys: Object.keys(metadata) });
        return updated;
      });
      return success(request.id, experimentView(row), 'Experiment metadata replaced');
    },
  );

  app.post(
    '/api/experiments/:id/export',
    { schema: { tags, params: IdParams, body: ExportRequest, response: enveloped(ExportResult) } },
    async (request) => {
      const caller = callerOf(request);
      const experiment = await owned(caller.id, request.params.id);
      const format = request.body.format ?? 'json';
      const includeModels = request.body.include_models ?? false;
      const metric = rankingMetric(experiment);
      const rows = await experimentResults(app.db, experiment.id);
      const results = includeModels
        ? await Promise.all(
            rows.map(async (r) => {
              const model = r.model_id ? await findModel(app.db, caller.id, r.model_id) : null;
              return {
                ...r,
                model: model && {
                  id: model.id,
                  algorithm: model.algorithm,
                  version: model.version,
                  parameters: model.parameters,
                  feature_columns: model.feature_columns,
                  stage: model.stage,
                },
              };
            }),
          )
        : rows;
      const exportedAt = new Date().toISOString();
      const text = renderExport(format, {
        experiment: experimentView(experiment),
        rankingMetric: metric,
        bestAlgorithm: experiment.best_algorithm ?? bestOf(rows, metric)?.algorithm_name ?? null,
        results,
        exportedAt,
      });
      const bytes = Buffer.from(text, 'utf8');
      const contentType = EXPORT_CONTENT_TYPES[format];
      return success(request.id, {
        experiment_id: experiment.id,
        format,
        content_type: contentType,
        include_models: includeModels,
        size_bytes: bytes.length,
        download_url: `data:${contentType};base64,${bytes.toString('base64')}`,
        exported_at: exportedAt,
      });
    },
  );

  app.get(
    '/api/experiments/:id/history',
    { schema: { tags, params: IdParams, response: enveloped(ExperimentHistory) } },
    async (request) => {
      const experiment = await owned(callerOf(request).id, request.params.id);
      const events = await experimentEvents(app.db, experiment.id);
      return success(request.id, {
        experiment_id: experiment.id,
        events: events.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() })),
      });
    },
  );

  app.get(
    '/api/experiments',
    { schema: { tags, querystring: ExperimentListQuery, response: enveloped(ExperimentList) } },
    async (request) => {
      const { limit, offset, status, tags: tagList } = request.query;
      const page = await listExperiments(app.db, callerOf(request).id, {
        limit,
        offset,
        status,
        tags: tagList
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      });
      return success(request.id, {
        experiments: page.items.map(experimentView),
        total: page.total,
        limit,
        offset,
      });
    },
  );

  app.delete(
    '/api/experiments/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: enveloped(Type.Object({ id: Type.String(), deleted: Type.Boolean() })),
      },
    },
    async (request) => {
      const deleted = await deleteExperiment(app.db, callerOf(request).id, request.params.id);
      if (!deleted) throw notFound('Experiment');
      return success(request.id, { id: request.params.id, deleted: true }, 'Experiment deleted');
    },
  );
};
