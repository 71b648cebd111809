/**
 * The registry around trained models: comparisons on a labelled dataset (persisted), lineage,
 * deployments and their health, and alert rules. Each names models of the caller's only (404).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClassificationMetrics } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import { findDataset } from '../db/repositories/datasets.ts';
import { findRecord, insertRecord, latestRecord, scoringStats } from '../db/repositories/model-monitoring.ts';
import { findModel, modelDocument } from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams, OpenObject } from '../schemas/common.ts';
import { AlertRequest, CompareRequest, DeployRequest } from '../schemas/models.ts';
import { mcnemar } from '../services/model-analysis.ts';
import { ownModel, requireLabels, tableFor } from '../services/model-data.ts';

const SIGNIFICANCE = 0.05;

export const modelRegistryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['models'];

  app.post(
    '/api/models/compare',
    { schema: { tags, body: CompareRequest, response: enveloped(OpenObject, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const baseline = await ownModel(app, caller, body.baseline_model_id);
      const candidate = await ownModel(app, caller, body.candidate_model_id);
      const [b, c] = [
        await tableFor(app, caller, baseline, body.test_dataset_id),
        await tableFor(app, caller, candidate, body.test_dataset_id),
      ];
      const labels = requireLabels(b);
      const documents = await Promise.all([
        modelDocument(app.db, baseline.id),
        modelDocument(app.db, candidate.id),
      ]);
      const [be, ce] = await app.compute.run('evaluateModels', {
        models: [
          { document: documents[0] as never, X: b.X },
          { document: documents[1] as never, X: c.X },
        ],
        labels,
      });
      const metrics = body.comparison_metrics ?? ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'];
      const pick = (m: ClassificationMetrics) =>
        Object.fromEntries(metrics.map((k) => [k, m[k as keyof ClassificationMetrics]]));
      const test = mcnemar(be.correct, ce.correct);
      const significant = test.p_value < SIGNIFICANCE;
      const lead = metrics[0];
      const delta = ce.metrics[lead as keyof typeof ce.metrics] - be.metrics[lead as keyof typeof be.metrics];
      const recommendation = !significant
        ? 'no_significant_difference'
        : delta > 0
          ? 'promote_candidate'
          : 'keep_baseline';
      const result = {
        baseline_model_id: baseline.id,
        candidate_model_id: candidate.id,
        test_dataset_id: b.datasetId,
        samples: labels.length,
        comparison_metrics: metrics,
        baseline_metrics: pick(be.metrics),
        candidate_metrics: pick(ce.metrics),
        metric_differences: Object.fromEntries(
          metrics.map((k) => [
            k,
            ce.metrics[k as keyof typeof ce.metrics] - be.metrics[k as keyof typeof be.metrics],
          ]),
        ),
        statistical_significance: { mcnemar_test: { ...test, significant, alpha: SIGNIFICANCE } },
        recommendation,
      };
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'comparison',
        modelId: baseline.id,
        body: result,
      });
      return reply
        .status(201)
        .send(
          success(
            request.id,
            { id: record.id, ...result, created_at: record.created_at.toISOString() },
            'Models compared',
          ),
        );
    },
  );

  app.get(
    '/api/models/comparisons/:id',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const record = await findRecord<Record<string, unknown>>(
        app.db,
        callerOf(request).id,
        'comparison',
        request.params.id,
      );
      if (!record) throw notFound('Comparison');
      return success(request.id, {
        id: record.id,
        ...record.body,
        created_at: record.created_at.toISOString(),
      });
    },
  );

  app.get(
    '/api/model-lineage/:id',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      const dataset = model.dataset_id ? await findDataset(app.db, caller.id, model.dataset_id) : null;
      const parent = model.parent_model_id ? await findModel(app.db, caller.id, model.parent_model_id) : null;
      return success(request.id, {
        model_id: model.id,
        version: model.version,
        algorithm: model.algorithm,
        parameters: model.parameters,
        detector_id: model.detector_id,
        created_at: model.created_at.toISOString(),
        training_dataset: dataset
          ? { id: dataset.id, name: dataset.name, rows: dataset.row_count, columns: dataset.columns }
          : null,
        parent_model: parent
          ? { id: parent.id, version: parent.version, created_at: parent.created_at.toISOString() }
          : null,
        feature_lineage: {
          source_dataset_id: dataset?.id ?? null,
          feature_columns: model.feature_columns,
        },
        model_dependencies: parent ? [{ model_id: parent.id, relation: 'parent' }] : [],
      });
    },
  );

  app.post(
    '/api/models/:id/deploy',
    { schema: { tags, params: IdParams, body: DeployRequest, response: enveloped(OpenObject, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      await app.models.get(model.id); // deployed = loaded and ready to score
      const { deployment_target = 'production', ...configuration } = request.body;
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'deployment',
        modelId: model.id,
        body: { deployment_target, status: 'deployed', configuration },
      });
      return reply.status(201).send(success(request.id, deploymentView(record), 'Model deployed'));
    },
  );

  app.get(
    '/api/models/:id/health',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      const deployment = await latestRecord<Record<string, unknown>>(app.db, model.id, 'deployment');
      const stats = await scoringStats(app.db, model.id);
      const document = await modelDocument(app.db, model.id);
      let loads = true;
      await app.models.get(model.id).catch(() => {
        loads = false;
      });
      return success(request.id, {
        model_id: model.id,
        status: !deployment ? 'not_deployed' : loads ? 'healthy' : 'unhealthy',
        deployment: deployment ? deploymentView(deployment) : null,
        performance_metrics: {
          requests: stats.requests,
          predictions: stats.predictions,
          failed_requests: stats.failed_requests,
          error_rate: stats.requests ? stats.failed_requests / stats.requests : 0,
          mean_latency_ms: stats.mean_ms,
          p99_latency_ms: stats.p99_ms,
        },
        resource_usage: {
          model_document_bytes: Buffer.byteLength(JSON.stringify(document)),
          process_heap_used_bytes: process.memoryUsage().heapUsed,
        },
      });
    },
  );

  app.post(
    '/api/models/alerts/create',
    { schema: { tags, body: AlertRequest, response: enveloped(OpenObject, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.body.model_id);
      const {
        alert_name,
        alert_conditions,
        notification_channels = [],
        escalation_policy = null,
      } = request.body;
      if (new Set(notification_channels).size !== notification_channels.length)
        throw unprocessable('notification_channels must not repeat a channel');
      const body = {
        alert_name,
        alert_conditions,
        notification_channels,
        escalation_policy,
        status: 'active',
      };
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'alert',
        modelId: model.id,
        body,
      });
      return reply
        .status(201)
        .send(
          success(
            request.id,
            { id: record.id, model_id: model.id, ...body, created_at: record.created_at.toISOString() },
            'Alert created',
          ),
        );
    },
  );
};

function deploymentView(record: {
  id: string;
  model_id: string | null;
  body: Record<string, unknown>;
  created_at: Date;
}) {
  return {
    id: record.id,
    model_id: record.model_id,
    ...record.body,
    deployed_at: record.created_at.toISOString(),
  };
}
