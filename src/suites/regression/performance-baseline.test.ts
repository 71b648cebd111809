/**
 * regression / predict latency against a reference measured in the same run.
 *
 * A baseline measured on another machine, or under another load, is a flake source: the machines
 * are small and shared (load 4-14 on 2 cores). So predict is timed side by side with the cheapest
 * route of the service (GET /api/health/live), interleaved round by round, sequential, loopback
 * only. The fastest of the rounds is the time a request takes when the machine lets it run; load
 * only adds to it. What predict costs beyond the trivial route, fastest against fastest, is what
 * is bounded: on the correct service 2.7 ms (fastest predict 4.7 ms, fastest live 2.0 ms, medians
 * 40.9 / 7.8 ms at load 12); a 50 ms busy-wait makes it at least 48 ms whatever the load.
 *
 * Faults this file catches:
 * - predict blocking or waiting tens of milliseconds per request
 *   (checked by faults/catalog.ts: reg-predict-busy-wait-50ms)
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { interleavedTimings, median } from '../fixtures/load.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';

const ROUNDS = 40;
/** Extra milliseconds predict of 10 rows may take over the trivial route (fastest against fastest):
 * ~9× what the correct service needs, half of what a 50 ms stall adds. */
const MAX_EXTRA_MS = 25;

describe('predict latency against a same-run reference', { tags: ['regression', 'performance'] }, () => {
  test('predict costs at most a few milliseconds more than a trivial route', async ({ helper, client }) => {
    const { detector } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const rows = featureRows(sampleDataset(helper.stack.seed + 3, 10), FEATURES);
    const timings = await interleavedTimings(
      {
        live: async () => expectStatus(await client.get('/api/health/live'), 200, 'the liveness route'),
        predict: async () =>
          expectStatus(
            await client.post(`/api/detection/predict/${detector.id}`, { data: rows }),
            200,
            'predict of 10 rows',
          ),
      },
      ROUNDS,
    );
    const fastest = { live: Math.min(...timings.live), predict: Math.min(...timings.predict) };
    const summary = `fastest predict ${fastest.predict.toFixed(1)} ms, fastest live ${fastest.live.toFixed(1)} ms; medians ${median(timings.predict).toFixed(1)} / ${median(timings.live).toFixed(1)} ms over ${timings.live.length} rounds`;
    console.info(`predict latency against the liveness route: ${summary}`);
    expect(
      fastest.predict - fastest.live,
      `predict regressed: it must take at most ${MAX_EXTRA_MS} ms more than GET /api/health/live (${summary})`,
    ).toBeLessThanOrEqual(MAX_EXTRA_MS);
  });
});
