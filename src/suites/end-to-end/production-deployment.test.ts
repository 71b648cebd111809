/**
 * end-to-end / a production deployment: train, register, promote, score, monitor events.
 *
 * Faults this file catches:
 * - a promoted model not the one the detector scores with
 * - scoring of production traffic losing rows, flags or events
 *   (checked by faults/catalog.ts: e2e-anomaly-flags-inverted, e2e-predict-events-not-stored)
 * - monitoring (event summary, pattern detection, health, metrics) not reflecting the traffic
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { useStack } from '../fixtures/stack.ts';

describe('production deployment', { tags: ['integration', 'workflows'] }, () => {
  const it = useIntegrationHelper();

  test('train → register → promote → score traffic → monitor events', async () => {
    const { helper, client } = it;
    const stack = useStack();
    // Contamination 0.1 (the service default), not the helper's 0.05 = the true anomaly rate: with the
    // threshold at the rate itself, isolation forest misses >20% of the traffic's anomalies on ~5% of
    // seeds (e.g. 588203), and this test then failed against a healthy service.
    const { detector, training } = await helper.trainedDetector({
      algorithm: 'isolation_forest',
      parameters: { contamination: 0.1 },
    });
    const registered = await client.data('POST', `/api/models/${training.model_id}/register`, {}, 'register');
    expect(registered.stage, 'registered → staging').toBe('staging');
    const promoted = await client.data(
      'POST',
      `/api/models/${training.model_id}/promote`,
      { json: { stage: 'production' } },
      'promote',
    );
    expect(promoted.stage, 'promoted → production').toBe('production');
    const live = await client.data('GET', `/api/detectors/${detector.id}`, {}, 'the deployed detector');
    expect(live.model_id, 'the detector must score with the promoted model').toBe(training.model_id);

    const since = new Date(Date.now() - 1000).toISOString();
    const before = await client.data('GET', '/api/events/summary', {}, 'summary before traffic');
    // Production traffic: a fresh sample of the same process, with its own anomalies.
    const traffic = sampleDataset(stack.seed + 100, 300);
    const predictions = [];
    for (let i = 0; i < traffic.length; i += 100)
      predictions.push(
        ...(await helper.predict(detector.id, featureRows(traffic.slice(i, i + 100), FEATURES))),
      );
    expect(predictions.length, 'every row of traffic must be scored').toBe(300);
    const flagged = predictions.filter((p) => p.is_anomaly).length;
    const caught = predictions.filter((p, i) => p.is_anomaly && traffic[i].label === 1).length;
    const anomalies = traffic.filter((r) => r.label === 1).length;
    expect(
      caught / anomalies,
      'production scoring must catch ≥ 80% of the anomalies in the traffic',
    ).toBeGreaterThanOrEqual(0.8);

    const after = await client.data('GET', '/api/events/summary', {}, 'summary after traffic');
    expect(after.total_events - before.total_events, 'monitoring must show one event per flagged row').toBe(
      flagged,
    );
    const found = await client.data(
      'POST',
      '/api/events/query',
      { json: { event_time_start: since, limit: 500 } },
      'query events',
    );
    expect((found.events ?? found).length, 'the events of the traffic must be queryable').toBe(flagged);
    const patterns = await client.get('/api/events/patterns/detect', { query: { hours: 1 } });
    expectStatus(patterns, 200, 'pattern detection over the last hour must answer');

    const health = await client.get('/api/health');
    expectStatus(health, 200, 'the deployed service must be healthy');
    expect(health.body.status, 'health status after traffic').toBe('healthy');
    const metrics = await client.get('/metrics');
    expectStatus(metrics, 200, 'Prometheus metrics must answer');
    expect(metrics.text, 'metrics must be Prometheus text with HELP lines').toMatch(/^# HELP /m);
  });
});
