/**
 * Watching a model in use: drift of the inputs predict scored against the training rows,
 * latency and counts of its predict calls, per-feature explanations, and A/B tests that route
 * points between two models and keep results per arm.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Prediction } from '../algorithms/index.ts';
import { callerOf } from '../auth/authenticate.ts';
import { inTransaction } from '../db/pool.ts';
import {
  findRecord,
  insertRecord,
  RECENT_INPUTS,
  recentInputs,
  type ScoringStats,
  scoringStats,
  updateRecordBody,
} from '../db/repositories/model-monitoring.ts';
import { modelDocument } from '../db/repositories/models.ts';
import { success } from '../http/envelope.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import { enveloped, IdParams, OpenObject } from '../schemas/common.ts';
import { AbPredictRequest, AbTestRequest, ExplainRequest } from '../schemas/models.ts';
import { pointsMatrix } from '../services/features.ts';
import { ownModel, trainingTable } from '../services/model-data.ts';

/** |z| of the recent anomaly rate against the training contamination above which concept drift is reported. */
const CONCEPT_DRIFT_Z = 3;

export function latencyMetrics(stats: ScoringStats) {
  return {
    mean_ms: stats.mean_ms,
    p50_ms: stats.p50_ms,
    p95_ms: stats.p95_ms,
    p99_ms: stats.p99_ms,
    max_ms: stats.max_ms,
  };
}

export function throughputMetrics(stats: ScoringStats) {
  return {
    requests: stats.requests,
    predictions: stats.predictions,
    anomalies: stats.anomalies,
    anomaly_rate: stats.predictions ? stats.anomalies / stats.predictions : 0,
    rows_per_second: stats.total_ms > 0 ? (stats.predictions * 1000) / stats.total_ms : null,
  };
}

interface Arm {
  model_id: string;
  share: number;
  requests: number;
  anomalies: number;
  score_sum: number;
}
interface AbTest {
  test_name: string;
  status: string;
  routed: number;
  arms: { control: Arm; treatment: Arm };
}

function abView(record: { id: string; body: AbTest; created_at: Date }) {
  const arm = (a: Arm) => ({
    model_id: a.model_id,
    share: a.share,
    requests: a.requests,
    anomalies: a.anomalies,
    anomaly_rate: a.requests ? a.anomalies / a.requests : 0,
    mean_anomaly_score: a.requests ? a.score_sum / a.requests : null,
  });
  const { control, treatment } = record.body.arms;
  return {
    id: record.id,
    test_name: record.body.test_name,
    status: record.body.status,
    control_model_id: control.model_id,
    treatment_model_id: treatment.model_id,
    traffic_split: { control: control.share, treatment: treatment.share },
    routed: record.body.routed,
    results: { control: arm(control), treatment: arm(treatment) },
    created_at: record.created_at.toISOString(),
  };
}

/** The nth point (0-based) of a test goes to treatment when it lifts floor(n * share): an exact, deterministic split. */
export function armOf(n: number, treatmentShare: number): 'control' | 'treatment' {
  return Math.floor((n + 1) * treatmentShare + 1e-9) > Math.floor(n * treatmentShare + 1e-9)
    ? 'treatment'
    : 'control';
}

export const modelMonitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['models'];

  app.get(
    '/api/models/:id/monitoring/drift',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      const training = await trainingTable(app, caller, model);
      const features = model.feature_columns;
      const recent = (await recentInputs(app.db, model.id)).filter((r) =>
        features.every((f) => typeof r.features[f] === 'number'),
      );
      const contamination = Number(model.parameters.contamination ?? app.config.defaultContaminationRate);
      const recentRate = recent.length ? recent.filter((r) => r.is_anomaly).length / recent.length : null;
      const z =
        recentRate === null
          ? null
          : (recentRate - contamination) / Math.sqrt((contamination * (1 - contamination)) / recent.length);
      const report = recent.length
        ? await app.compute.run('drift', {
            features,
            training: training.X,
            recent: recent.map((r) => features.map((f) => r.features[f])),
          })
        : null;
      return success(request.id, {
        model_id: model.id,
        method: 'ks',
        window: RECENT_INPUTS,
        recent_samples: recent.length,
        training_samples: training.X.length,
        drift_score: report ? report.drift_score : null,
        data_drift: {
          detected: report ? report.drifted_features.length > 0 : false,
          drifted_features: report?.drifted_features ?? [],
          features: report?.features ?? {},
        },
        concept_drift: {
          detected: z !== null && Math.abs(z) > CONCEPT_DRIFT_Z,
          training_anomaly_rate: contamination,
          recent_anomaly_rate: recentRate,
          z_score: z,
        },
      });
    },
  );

  app.get(
    '/api/models/:id/monitoring/performance',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const model = await ownModel(app, callerOf(request), request.params.id);
      const stats = await scoringStats(app.db, model.id);
      return success(request.id, {
        model_id: model.id,
        latency_metrics: latencyMetrics(stats),
        throughput_metrics: throughputMetrics(stats),
        error_metrics: {
          failed_requests: stats.failed_requests,
          error_rate: stats.requests ? stats.failed_requests / stats.requests : 0,
        },
        first_request_at: stats.first_at?.toISOString() ?? null,
        last_request_at: stats.last_at?.toISOString() ?? null,
      });
    },
  );

  app.post(
    '/api/models/:id/explain',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, body: ExplainRequest, response: enveloped(OpenObject) },
    },
    async (request) => {
      const caller = callerOf(request);
      const model = await ownModel(app, caller, request.params.id);
      const { data, explanation_type, sample_size = 100 } = request.body;
      const type = explanation_type ?? (data ? 'local' : 'global');
      if (type === 'local' && !data) throw unprocessable('A local explanation needs the point in `data`');
      const training = await trainingTable(app, caller, model);
      const features = model.feature_columns;
      // Global: an evenly spaced sample of the training rows.
      const step = Math.max(1, Math.floor(training.X.length / sample_size));
      const points =
        type === 'local'
          ? pointsMatrix([data as Record<string, number>], features)
          : training.X.filter((_, i) => i % step === 0).slice(0, sample_size);
      const document = await modelDocument(app.db, model.id);
      const result = await app.compute.run('explain', {
        document: document as never,
        features,
        training: training.X,
        points,
      });
      const ranked = Object.entries(
        type === 'local' ? result.points[0].contributions : result.feature_importance,
      )
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
        .map(([f]) => f);
      return success(request.id, {
        model_id: model.id,
        explanation_type: type,
        method: 'occlusion_to_training_median',
        reference: result.reference,
        reference_score: result.reference_score,
        ...(type === 'local'
          ? { anomaly_score: result.points[0].anomaly_score, contributions: result.points[0].contributions }
          : { sample_size: points.length }),
        feature_importance: result.feature_importance,
        top_features: ranked,
        explanation_plots: [],
      });
    },
  );

  app.post(
    '/api/models/ab-test/create',
    { schema: { tags, body: AbTestRequest, response: enveloped(OpenObject, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      if (body.control_model_id === body.treatment_model_id)
        throw unprocessable('control_model_id and treatment_model_id must name two different models');
      const split = body.traffic_split ?? { control: 0.5, treatment: 0.5 };
      if (Math.abs(split.control + split.treatment - 1) > 1e-9)
        throw unprocessable('traffic_split control + treatment must sum to 1');
      const control = await ownModel(app, caller, body.control_model_id);
      const treatment = await ownModel(app, caller, body.treatment_model_id);
      const arm = (model_id: string, share: number): Arm => ({
        model_id,
        share,
        requests: 0,
        anomalies: 0,
        score_sum: 0,
      });
      const test: AbTest = {
        test_name: body.test_name,
        status: 'running',
        routed: 0,
        arms: { control: arm(control.id, split.control), treatment: arm(treatment.id, split.treatment) },
      };
      const record = await insertRecord(app.db, {
        ownerId: caller.id,
        kind: 'ab_test',
        modelId: control.id,
        body: test,
      });
      return reply.status(201).send(success(request.id, abView(record), 'A/B test created'));
    },
  );

  app.get(
    '/api/models/ab-test/:id',
    { schema: { tags, params: IdParams, response: enveloped(OpenObject) } },
    async (request) => {
      const record = await findRecord<AbTest>(app.db, callerOf(request).id, 'ab_test', request.params.id);
      if (!record) throw notFoundTest();
      return success(request.id, abView(record));
    },
  );

  app.post(
    '/api/models/ab-test/:id/predict',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, body: AbPredictRequest, response: enveloped(OpenObject) },
    },
    async (request) => {
      const caller = callerOf(request);
      const outcome = await inTransaction(app.db, async (client) => {
        // The row lock orders concurrent calls: each point gets the next number of the test.
        const record = await findRecord<AbTest>(client, caller.id, 'ab_test', request.params.id, true);
        if (!record) throw notFoundTest();
        const test = record.body;
        const arms = request.body.data.map((_, i) => armOf(test.routed + i, test.arms.treatment.share));
        const scored: (Prediction & { arm: string; model_id: string })[] = new Array(arms.length);
        for (const name of ['control', 'treatment'] as const) {
          const indices = arms.flatMap((a, i) => (a === name ? [i] : []));
          if (!indices.length) continue;
          const arm = test.arms[name];
          const row = await ownModel(app, caller, arm.model_id);
          const X = pointsMatrix(
            indices.map((i) => request.body.data[i]),
            row.feature_columns,
          );
          const predictions = (await app.models.get(row.id)).predict(X);
          predictions.forEach((p, k) => {
            scored[indices[k]] = { ...p, arm: name, model_id: row.id };
            arm.requests++;
            arm.anomalies += p.is_anomaly ? 1 : 0;
            arm.score_sum += p.anomaly_score;
          });
        }
        test.routed += arms.length;
        await updateRecordBody(client, record.id, test);
        return { record: { ...record, body: test }, scored };
      });
      return success(request.id, { predictions: outcome.scored, test: abView(outcome.record) });
    },
  );
};

const notFoundTest = () => notFound('A/B test');
