/**
 * end-to-end / a production deployment: train, register, promote, score, monitor events.
 *
 * Faults this file catches:
 * - a promoted model not the one the detector scores with
 * - scoring of production traffic losing rows, flags or events
 *   (checked by faults/catalog.ts: e2e-anomaly-flags-inverted, e2e-predict-events-not-stored,
 *   e2e-predict-events-without-detector)
 * - monitoring (event summary, pattern detection, health, metrics) not reflecting the traffic
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { severityOf } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';

describe('production deployment', { tags: ['integration', 'workflows'] }, () => {
  test('train → register → promote → score traffic → monitor events', async ({ helper, client, stack }) => {
    // Contamination 0.1 (the service default), not the helper's 0.05 = the true anomaly rate: with the
    // threshold at the rate itself, isolation forest misses >20% of the traffic's anomalies on ~5% of
    // seeds (e.g. 588203), and this test then failed against a healthy service.
    const { detector, training } = await helper.trainedDetector({
      algorithm: 'isolation_forest',
      parameters: { contamination: 0.1 },
    });
    const registered = await client.data(
      'POST',
      `/api/models/${training.model_id}/register`,
      { expected: 200 },
      'register',
    );
    expect(registered.stage, 'registered → staging').toBe('staging');
    const promoted = await client.data(
      'POST',
      `/api/models/${training.model_id}/promote`,
      { json: { stage: 'production' }, expected: 200 },
      'promote',
    );
    expect(promoted.stage, 'promoted → production').toBe('production');
    const model = await client.data(
      'GET',
      `/api/models/${training.model_id}`,
      { expected: 200 },
      'the model',
    );
    expect(
      { stage: model.stage, detector_id: model.detector_id },
      'the model reads back in production, bound to its detector',
    ).toEqual({ stage: 'production', detector_id: detector.id });
    const live = await client.data(
      'GET',
      `/api/detectors/${detector.id}`,
      { expected: 200 },
      'the deployed detector',
    );
    expect(
      { status: live.status, model_id: live.model_id },
      'the detector must be trained and score with the promoted model',
    ).toEqual({ status: 'trained', model_id: training.model_id });

    // Production traffic: a fresh sample of the same process, with its own anomalies.
    const traffic = sampleDataset(stack.seed + 100, 300);
    const predictions = [];
    for (let i = 0; i < traffic.length; i += 100)
      predictions.push(
        ...(await helper.predict(detector.id, featureRows(traffic.slice(i, i + 100), FEATURES))),
      );
    expect(predictions.length, 'every row of traffic must be scored').toBe(300);
    const flagged = predictions.filter((p) => p.is_anomaly);
    const caught = predictions.filter((p, i) => p.is_anomaly && traffic[i].label === 1).length;
    const anomalies = traffic.filter((r) => r.label === 1).length;
    expect(
      caught / anomalies,
      'production scoring must catch ≥ 80% of the anomalies in the traffic',
    ).toBeGreaterThanOrEqual(0.8);

    // Monitoring, scoped to this detector: one event per flagged row, never a time window.
    const found = await client.data(
      'POST',
      '/api/events/query',
      { json: { detector_id: detector.id, limit: 500 }, expected: 200 },
      'query the detector’s events',
    );
    expect(found.total, 'monitoring must show one event per flagged row').toBe(flagged.length);
    expect(
      found.events
        .map((e: { anomaly_score: number }) => e.anomaly_score)
        .sort((a: number, b: number) => a - b),
      'the events carry the scores of the flagged rows',
    ).toEqual(flagged.map((p) => p.anomaly_score).sort((a, b) => a - b));
    expect(
      found.events.map((e: Record<string, unknown>) => ({
        event_type: e.event_type,
        detector_id: e.detector_id,
        session_id: e.session_id,
        status: e.status,
        severity: e.severity,
      })),
      'predict events: anomaly_detected, open, of this detector, no session, severity by score',
    ).toEqual(
      found.events.map((e: { anomaly_score: number }) => ({
        event_type: 'anomaly_detected',
        detector_id: detector.id,
        session_id: null,
        status: 'open',
        severity: severityOf(e.anomaly_score),
      })),
    );
    const summary = await client.data('GET', '/api/events/summary', { expected: 200 }, 'event summary');
    expect(
      summary.events_by_type.anomaly_detected ?? 0,
      'the event summary must include (at least) this traffic’s anomalies',
    ).toBeGreaterThanOrEqual(flagged.length);
    const patterns = await client.get('/api/events/patterns/detect', { query: { hours: 1 } });
    expectStatus(patterns, 200, 'pattern detection over the last hour must answer');
    const burst = patterns.body.data.patterns.find(
      (p: { source?: string }) => p.source === `detector:${detector.id}`,
    );
    expect(
      { pattern_type: burst?.pattern_type, event_count: burst?.event_count },
      'pattern detection must report the burst of this detector’s events',
    ).toEqual({ pattern_type: 'frequency', event_count: flagged.length });

    const health = await client.get('/api/health');
    expectStatus(health, 200, 'the deployed service must be healthy');
    expect(health.body.status, 'health status after traffic').toBe('healthy');
    const metrics = await client.get('/metrics');
    expectStatus(metrics, 200, 'Prometheus metrics must answer');
    expect(metrics.text, 'metrics must be Prometheus text with HELP lines').toMatch(/^# HELP /m);
  });
});
