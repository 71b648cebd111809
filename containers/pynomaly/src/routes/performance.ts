/**
 * Performance of trained models: latency benchmarks (persisted), side-by-side scoring on a
 * labelled dataset, the monitoring counters of a model, and a bounded contamination search.
 * Every measurement runs in the compute pool, never on the event loop.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClassificationMetrics, ModelDocument } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { insertRecord, latestRecord, scoringStats } from '../db/repositories/model-monitoring.ts';
import { modelDocument } from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { unprocessable } from '../http/errors.ts';
import { enveloped, IdParams, OpenObject } from '../schemas/common.ts';
import { BenchmarkRequest, OptimizeRequest, PerformanceCompareRequest } from '../schemas/performance.ts';
import { type ModelTable, ownModel, requireLabels, tableFor, trainingTable } from '../services/model-data.ts';
import { latencyMetrics, throughputMetrics } from './model-monitoring.ts';

/** Rows a benchmark may score in total (all scenarios): bounds its time. */
export const MAX_BENCHMARK_ROWS = 200_000;
const DEFAULT_SCENARIOS = [
  { name: 'single_prediction', batch_size: 1, iterations: 100 },
  { name: 'batch_prediction', batch_size: 100, iterations: 10 },
];
/** The contamination values the optimizer may try, besides the model's own. */
const CONTAMINATION_GRID = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const CLASSIFICATION = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc'];

async function documentOf(app: AppContext, id: string): Promise<ModelDocument> {
  return (await modelDocument(app.db, id)) as ModelDocument;
}

export const performanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['performance'];

  app.post(
    '/api/performance/benchmark',
    { schema: { tags, body: BenchmarkRequest, response: enveloped(OpenObject, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.body.model_id);
      const scenarios = request.body.test_scenarios ?? DEFAULT_SCENARIOS;
      const rows = scenarios.reduce((sum, s) => sum + s.batch_size * s.iterations, 0);
      if (rows > MAX_BENCHMARK_ROWS)
        throw unprocessable(
          `A benchmark scores at most ${MAX_BENCHMARK_ROWS} rows in all (batch_size x iterations); asked ${rows}`,
        );
      const table = request.body.test_dataset_id
        ? await tableFor(app, caller, model, request.body.test_dataset_id)
        : await trainingTable(app, caller, model);
      if (!table.X.length) throw unprocessable('The dataset has no rows to benchmark with');
      const results = await app.compute.run('benchmark', {
        document: await documentOf(app, model.id),
        X: table.X,
        scenarios: scenarios.map(({ name, batch_size, iterations }) => ({ name, batch_size, iterations })),
      });
      const body = {
        model_id: model.id,
        test_dataset_id: table.datasetId,
        status: 'completed',
        scenarios: results,
      };
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'benchmark',
        modelId: model.id,
        body,
      });
      return reply.status(201).send(
        success(request.id, {
          benchmark_id: record.id,
          ...body,
          created_at: record.created_at.toISOString(),
        }),
      );
    },
  );

  app.post(
    '/api/performance/compare',
    {
      config: { readOnly: true },
      schema: { tags, body: PerformanceCompareRequest, response: enveloped(OpenObject) },
    },
    async (request) => {
      const caller = callerOf(request);
      const models = [];
      for (const id of request.body.model_ids) models.push(await ownModel(app, caller, id));
      const tables: ModelTable[] = [];
      for (const model of models)
        tables.push(await tableFor(app, caller, model, request.body.test_dataset_id));
      const labels = requireLabels(tables[0]);
      const evaluations = await app.compute.run('evaluateModels', {
        models: await Promise.all(
          models.map(async (m, i) => ({ document: await documentOf(app, m.id), X: tables[i].X })),
        ),
        labels,
      });
      const asked = (request.body.metrics ?? []).find(
        (m) => CLASSIFICATION.includes(m) || m === 'prediction_latency',
      );
      const rankBy = asked ?? 'roc_auc';
      const comparisons = models.map((m, i) => ({
        model_id: m.id,
        algorithm: m.algorithm,
        version: m.version,
        metrics: evaluations[i].metrics,
        prediction_latency_ms: evaluations[i].latency_ms,
        latency_per_row_ms: evaluations[i].latency_ms / labels.length,
      }));
      const score = (c: (typeof comparisons)[number]) =>
        rankBy === 'prediction_latency'
          ? -c.prediction_latency_ms
          : c.metrics[rankBy as keyof ClassificationMetrics];
      const ranking = [...comparisons]
        .sort((a, b) => score(b) - score(a) || a.model_id.localeCompare(b.model_id))
        .map((c, i) => ({ rank: i + 1, model_id: c.model_id, score: Math.abs(score(c)) }));
      return success(request.id, {
        test_dataset_id: request.body.test_dataset_id,
        samples: labels.length,
        ranking_metric: rankBy,
        model_comparisons: comparisons,
        ranking,
      });
    },
  );

  app.get(
    '/api/performance/models/:id/metrics',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const model = await ownModel(app, callerOf(request), request.params.id);
      const stats = await scoringStats(app.db, model.id);
      const benchmark = await latestRecord<Record<string, unknown>>(app.db, model.id, 'benchmark');
      const document = await modelDocument(app.db, model.id);
      return success(request.id, {
        model_id: model.id,
        latency_metrics: latencyMetrics(stats),
        throughput_metrics: throughputMetrics(stats),
        resource_usage: {
          model_document_bytes: Buffer.byteLength(JSON.stringify(document)),
          process_heap_used_bytes: process.memoryUsage().heapUsed,
        },
        latest_benchmark: benchmark
          ? {
              benchmark_id: benchmark.id,
              ...benchmark.body,
              created_at: benchmark.created_at.toISOString(),
            }
          : null,
      });
    },
  );

  app.post(
    '/api/performance/models/:id/optimize',
    { schema: { tags, params: IdParams, body: OptimizeRequest, response: enveloped(OpenObject) } },
    async (request) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      const metric = request.body.metric ?? 'f1_score';
      const table = await trainingTable(app, caller, model);
      const labels = requireLabels(table);
      const own = Number(model.parameters.contamination);
      const grid = [...new Set([own, ...CONTAMINATION_GRID])]
        .filter((c) => Number.isFinite(c) && c > 0 && c <= 0.5)
        .slice(0, request.body.max_trials ?? CONTAMINATION_GRID.length + 1);
      const trials = await app.compute.run('optimize', {
        algorithm: model.algorithm as never,
        parameters: model.parameters,
        X: table.X,
        labels,
        seed: app.config.randomSeed,
        contaminations: grid,
      });
      const scored = trials.map((t) => ({ ...t, score: t.metrics[metric] }));
      const baseline = scored[0];
      const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
      const gain = best.score - baseline.score;
      return success(request.id, {
        model_id: model.id,
        metric,
        search_space: { contamination: grid },
        baseline: { parameters: baseline.parameters, score: baseline.score },
        trials: scored,
        best_parameters: best.parameters,
        best_score: best.score,
        estimated_improvements: { [metric]: gain },
        optimization_suggestions:
          gain > 0
            ? [
                {
                  parameter: 'contamination',
                  current: own,
                  suggested: best.parameters.contamination,
                  expected_gain: gain,
                },
              ]
            : [],
      });
    },
  );
};
