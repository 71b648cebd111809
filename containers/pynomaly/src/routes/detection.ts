import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../auth/authenticate.ts';
import { findDetector } from '../db/repositories/detectors.ts';
import { recordEvents } from '../db/repositories/events.ts';
import { countFailure, recordScoring } from '../db/repositories/model-monitoring.ts';
import { success } from '../http/envelope.ts';
import { ApiError, conflict, notFound, unprocessable } from '../http/errors.ts';
import type { Prometheus } from '../http/prometheus.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  Prediction,
  PredictRequest,
  TrainResult,
  ValidateRequest,
  ValidateResult,
} from '../schemas/detectors.ts';
import { anomalyEvents } from '../services/anomaly-events.ts';
import { featureMatrix, labelsOf, pointsMatrix } from '../services/features.ts';
import { evaluate, loadDataset, trainDetector } from '../services/training.ts';

function notTrained(): ApiError {
  return new ApiError(
    409,
    'DETECTOR_NOT_TRAINED',
    'The detector has not been trained yet: POST /api/detection/train/{id} first',
  );
}

/** Batches from this size on are scored off the event loop (smaller ones take milliseconds). */
export const OFFLOAD_PREDICT_ROWS = 5_000;

export const detectionRoutes: FastifyPluginAsyncTypebox<{ prometheus: Prometheus }> = async (
  app,
  { prometheus },
) => {
  const tags = ['detection'];

  app.post(
    '/api/detection/train/:id',
    { schema: { tags, params: IdParams, response: enveloped(TrainResult) } },
    async (request) => {
      const outcome = await trainDetector(app, callerOf(request), request.params.id);
      return success(
        request.id,
        {
          status: 'completed' as const,
          detector_id: outcome.detector.id,
          model_id: outcome.model.id,
          version: outcome.model.version,
          ...(outcome.metrics ? { metrics: outcome.metrics } : {}),
          training_time: outcome.trainingTime,
          training_samples: outcome.samples,
        },
        'Training completed',
      );
    },
  );

  app.post(
    '/api/detection/predict/:id',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, body: PredictRequest, response: enveloped(Type.Array(Prediction)) },
    },
    async (request) => {
      const caller = callerOf(request);
      const detector = await findDetector(app.db, caller.id, request.params.id);
      if (!detector) throw notFound('Detector');
      if (!detector.model_id) throw notTrained();
      const points = request.body.data;
      const modelId = detector.model_id;
      const X = await countFailure(app, modelId, () => pointsMatrix(points, detector.feature_columns));
      const model = await app.models.get(modelId);
      const started = performance.now();
      // A large batch is scored in the compute pool: the event loop keeps serving everyone else.
      const predictions =
        X.length >= OFFLOAD_PREDICT_ROWS
          ? await app.compute.run('predict', { document: model.toDocument(), X })
          : model.predict(X);
      const latencyMs = performance.now() - started;
      const events = anomalyEvents(
        caller.id,
        { detectorId: detector.id, sessionId: null, detectorName: detector.name },
        points,
        predictions,
      );
      await recordEvents(app.db, events);
      // Model monitoring: latency, counts and the inputs drift is measured on.
      await recordScoring(app.db, modelId, {
        features: detector.feature_columns,
        X,
        scores: predictions,
        latencyMs,
        failed: false,
      });
      prometheus.predictions.inc(predictions.length);
      prometheus.anomalies.inc(events.length);
      return success(request.id, predictions);
    },
  );

  app.post(
    '/api/detection/validate/:id',
    {
      config: { readOnly: true },
      schema: { tags, params: IdParams, body: ValidateRequest, response: enveloped(ValidateResult) },
    },
    async (request) => {
      const caller = callerOf(request);
      const detector = await findDetector(app.db, caller.id, request.params.id);
      if (!detector) throw notFound('Detector');
      if (!detector.model_id) throw notTrained();
      const datasetId = request.body.dataset_id ?? detector.dataset_id;
      if (!datasetId) throw conflict('Name a dataset_id: the detector has no dataset of its own');
      const data = await loadDataset(app, caller, datasetId);
      if (!data.label)
        throw unprocessable(
          'The dataset has no label column (upload it with target_column) to validate against',
        );
      const X = featureMatrix(data.dataset.columns, data.rows, detector.feature_columns);
      const model = await app.models.get(detector.model_id);
      const metrics = evaluate(model, X, labelsOf(data.dataset.columns, data.rows, data.label));
      return success(request.id, {
        status: 'completed' as const,
        detector_id: detector.id,
        dataset_id: data.dataset.id,
        model_id: detector.model_id,
        samples: X.length,
        metrics,
      });
    },
  );
};
