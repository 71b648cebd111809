/**
 * database / Redis down: the service stays up, says so, and keeps detecting.
 *
 * Faults this file catches:
 * - health that still says healthy (or fails entirely) while Redis is down
 *   (checked by faults/catalog.ts: db-health-ignores-redis)
 * - detection, uploads or reads that depend on Redis and fail without it
 * - scores that change while the model cache is gone
 * - a service that never notices Redis came back (no reconnect)
 */
import { describe, expect } from 'vitest';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { startRedis, stopRedis } from '../fixtures/service-control.ts';
import { test } from '../fixtures/test.ts';

async function healthStatus(
  get: () => Promise<{ status: number; body: { status?: string } }>,
): Promise<string> {
  const res = await get();
  expect(res.status, 'GET /api/health must answer 200 unless PostgreSQL is down').toBe(200);
  return String(res.body.status);
}

describe('Redis outage', { tags: ['database', 'integration', 'slow'] }, () => {
  test('with Redis stopped health says degraded and detection still works; it recovers', async ({
    helper,
    stack,
  }) => {
    const health = () => helper.client.get('/api/health');
    expect(await healthStatus(health), 'health before the outage').toBe('healthy');
    const { detector } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const points = featureRows(sampleDataset(21, 30), FEATURES);
    const before = await helper.predict(detector.id, points);

    await stopRedis(stack);
    try {
      expect(await healthStatus(health), 'health with Redis stopped').toBe('degraded');
      const during = await helper.predict(detector.id, points);
      expect(
        during.map((p) => p.anomaly_score),
        'detection without Redis must score exactly as before',
      ).toEqual(before.map((p) => p.anomaly_score));
      const dataset = await helper.uploadSampleDataset();
      expect(dataset.id, 'an upload must work without Redis').toBeTruthy();
      const listed = await helper.client.get('/api/detectors');
      expect(listed.status, 'reads must work without Redis').toBe(200);
    } finally {
      await startRedis(stack);
    }

    // ioredis reconnects by itself: wait (bounded) until health says so.
    await expect
      .poll(() => healthStatus(health), {
        timeout: 30_000,
        interval: 250,
        message: 'health must say healthy again once Redis is back (the service never reconnected)',
      })
      .toBe('healthy');
  }, 120_000);
});
