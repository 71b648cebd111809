/**
 * regression / performance compared with the committed baseline (src/suites/performance/baseline.json).
 *
 * Faults this file catches:
 * - predict throughput below a third of the baseline, or p95 latency above three times it
 */
import { describe, expect, test } from 'vitest';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { runLoad } from '../fixtures/load.ts';
import { compareWithBaseline, loadBaseline } from '../fixtures/perf-baseline.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';

describe('performance against the baseline', { tags: ['regression', 'performance'] }, () => {
  const it = useIntegrationHelper();

  test('predict is within 3× of the baseline', async () => {
    const { helper } = it;
    const { detector } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const rows = featureRows(sampleDataset(5, 10), FEATURES);
    const result = await runLoad({
      name: 'predict',
      target: helper.stack.httpUrl,
      concurrency: 8,
      maxRequests: 1_500,
      durationMs: 5_000,
      send: async () =>
        (await helper.client.post(`/api/detection/predict/${detector.id}`, { data: rows })).status === 200,
    });
    expect(result.error_rate, 'predict under load must not fail').toBe(0);
    const comparison = compareWithBaseline(result, loadBaseline());
    expect(comparison.regression, `predict regressed against baseline.json: ${comparison.reason}`).toBe(
      false,
    );
  });
});
