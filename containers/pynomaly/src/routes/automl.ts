import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALGORITHM_NAMES } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import {
  type AutomlJobRow,
  activeJobCount,
  bindDeployedModel,
  cancelJob,
  findJob,
  insertJob,
} from '../db/repositories/automl.ts';
import { findDataset } from '../db/repositories/datasets.ts';
import { insertDetector } from '../db/repositories/detectors.ts';
import { findModel } from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { ApiError, conflict, notFound, unprocessable } from '../http/errors.ts';
import { AutomlJob, AutomlResults, AutomlStart, Deployment, DeployRequest } from '../schemas/automl.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import { runAutoml } from '../services/automl.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function jobView(row: AutomlJobRow) {
  return {
    id: row.id,
    job_name: row.job_name,
    dataset_id: row.dataset_id,
    status: row.status,
    progress_percentage: row.progress_percentage,
    current_trial: row.current_trial,
    total_trials: row.total_trials,
    best_score: row.best_score,
    error: row.error,
    configuration: row.configuration as unknown as Record<string, unknown>,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
  };
}

/** One lane per owner: one user's long jobs never queue another user's. */
export function enqueueAutoml(app: AppContext, job: AutomlJobRow): void {
  app.jobs.enqueue(`automl:${job.owner_id}`, `automl ${job.id}`, () => runAutoml(app, job));
}

export const automlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['automl'];

  app.post(
    '/api/autonomous/automl/start',
    { schema: { tags, body: AutomlStart, response: enveloped(AutomlJob, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const algorithms = body.algorithms ?? [
        'isolation_forest',
        'local_outlier_factor',
        'hbos',
        'ecod',
        'zscore',
      ];
      const unknown = algorithms.filter((a) => !(ALGORITHM_NAMES as readonly string[]).includes(a));
      if (unknown.length > 0) throw unprocessable(`Unknown algorithms: ${unknown.join(', ')}`);
      const dataset = await findDataset(app.db, caller.id, body.dataset_id);
      if (!dataset) throw notFound('Dataset');
      const limit = app.config.maxAutomlJobsPerUser;
      if ((await activeJobCount(app.db, caller.id)) >= limit)
        throw new ApiError(
          429,
          'TOO_MANY_JOBS',
          `At most ${limit} AutoML jobs of one user run at once: wait for one or cancel it (POST /api/autonomous/automl/{id}/cancel)`,
          undefined,
          { 'Retry-After': '5' },
        );
      const job = await insertJob(app.db, {
        ownerId: caller.id,
        datasetId: dataset.id,
        jobName: body.job_name,
        configuration: {
          algorithms: [...new Set(algorithms)],
          optimization_metric: body.optimization_metric ?? 'roc_auc',
          max_trials: body.max_trials,
          max_duration_minutes: body.max_duration_minutes,
          search_strategy: 'random',
          cv_folds: 3,
        },
      });
      enqueueAutoml(app, job);
      return reply.status(201).send(success(request.id, jobView(job), 'AutoML job started'));
    },
  );

  app.get(
    '/api/autonomous/automl/:id/status',
    { schema: { tags, params: IdParams, response: enveloped(AutomlJob) } },
    async (request) => {
      const job = await findJob(app.db, callerOf(request).id, request.params.id);
      if (!job) throw notFound('AutoML job');
      return success(request.id, jobView(job));
    },
  );

  app.post(
    '/api/autonomous/automl/:id/cancel',
    { schema: { tags, params: IdParams, response: enveloped(AutomlJob) } },
    async (request) => {
      const caller = callerOf(request);
      const cancelled = await cancelJob(app.db, caller.id, request.params.id);
      if (cancelled) return success(request.id, jobView(cancelled), 'AutoML job cancelled');
      const job = await findJob(app.db, caller.id, request.params.id);
      if (!job) throw notFound('AutoML job');
      throw conflict(`The AutoML job has already ended (${job.status}): there is nothing to cancel`);
    },
  );

  app.get(
    '/api/autonomous/automl/:id/results',
    { schema: { tags, params: IdParams, response: enveloped(AutomlResults) } },
    async (request) => {
      const job = await findJob(app.db, callerOf(request).id, request.params.id);
      if (!job) throw notFound('AutoML job');
      const results = (job.results ?? {}) as {
        best_model?: {
          model_id: string;
          algorithm: string;
          parameters: Record<string, unknown>;
          score: number;
        };
        trial_results?: {
          trial: number;
          algorithm: string;
          parameters: Record<string, unknown>;
          score: number;
        }[];
        model_comparison?: Record<string, unknown>[];
        feature_importance?: Record<string, number>;
      };
      return success(request.id, {
        job_id: job.id,
        status: job.status,
        best_model: results.best_model ?? null,
        trial_results: results.trial_results ?? [],
        model_comparison: results.model_comparison ?? [],
        feature_importance: results.feature_importance ?? {},
        optimization_metric: job.configuration.optimization_metric,
      });
    },
  );

  app.post(
    '/api/autonomous/automl/:id/deploy',
    { schema: { tags, params: IdParams, body: DeployRequest, response: enveloped(Deployment, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const job = await findJob(app.db, caller.id, request.params.id);
      if (!job) throw notFound('AutoML job');
      const best = (job.results as { best_model?: { model_id: string } } | null)?.best_model;
      if (job.status !== 'completed' || !best)
        throw conflict(`The AutoML job is ${job.status}: only a completed job can be deployed`);
      const model = await findModel(app.db, caller.id, best.model_id);
      if (!model) throw conflict('The best model of the job no longer exists');
      const body = request.body;
      const modelName = body.model_name ?? `${job.job_name} (AutoML)`;
      const detector = await inTransaction(app.db, async (client) => {
        const created = await insertDetector(client, {
          ownerId: caller.id,
          datasetId: job.dataset_id,
          name: modelName,
          description: body.description ?? `Best model of AutoML job ${job.job_name}`,
          algorithm: model.algorithm,
          parameters: model.parameters,
          featureColumns: model.feature_columns,
          status: 'trained',
          modelId: model.id,
        });
        if (!(await bindDeployedModel(client, model.id, created.id)))
          throw conflict('The best model of this AutoML job is already deployed');
        return created;
      });
      return reply.status(201).send(
        success(
          request.id,
          {
            job_id: job.id,
            status: 'deployed' as const,
            model_name: modelName,
            version: body.version ?? null,
            deployment_target: body.deployment_target ?? null,
            model_id: model.id,
            detector_id: detector.id,
            algorithm: model.algorithm,
            feature_columns: model.feature_columns,
            deployed_at: detector.created_at.toISOString(),
          },
          'AutoML best model deployed',
        ),
      );
    },
  );
};
