/**
 * performance / bounded load against predict, upload and streaming (loopback only, 4 s and a
 * request budget per phase). Records throughput, p50/p95/p99 latency, error rate and the service's
 * memory to <reportsDir>/performance.json with a comparison against baseline.json (recorded only).
 *
 * Faults this file catches:
 * - errors under modest concurrency (pool exhaustion, races, unhandled rejections → 5xx)
 * - predict, upload or streaming far slower than a healthy service (generous floors for a
 *   loaded 2-core machine): predict blocked 50 ms per request stays under 20/s with 8 workers
 *   (checked by faults/catalog.ts: perf-predict-busy-wait-50ms)
 * - memory growing without bound under load (leak of datasets, models or sockets)
 * - socket scoring that stalls or drops points under a burst
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { type LoadResult, runLoad, summarise } from '../fixtures/load.ts';
import { type Comparison, compareWithBaseline, loadBaseline } from '../fixtures/perf-baseline.ts';
import { FEATURES, featureRows, sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { serviceMemoryBytes } from '../fixtures/service-control.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

/** Floors a healthy service meets on a loaded 2-core machine, with a wide margin. */
const FLOORS: Record<string, { min_rps: number; max_p95_ms: number; max_error_rate: number }> = {
  predict: { min_rps: 20, max_p95_ms: 2_000, max_error_rate: 0.01 },
  upload: { min_rps: 2, max_p95_ms: 5_000, max_error_rate: 0.01 },
  // Seen at 11.7/s on a correct service with the machine at load 27 (one point a request, each
  // with its own database round-trips); the floor only catches a service that has stalled.
  streaming_rest: { min_rps: 5, max_p95_ms: 2_000, max_error_rate: 0.01 },
  streaming_ws: { min_rps: 100, max_p95_ms: 5_000, max_error_rate: 0 },
};
const MAX_MEMORY_BYTES = 1.5 * 1024 ** 3;
/**
 * Each phase's time budget. 4 s holds hundreds of requests on a correct service (predict and
 * streaming answered ~230/s alone on 2 cores; upload spends its 300 in ~2 s), so the floors,
 * percentiles and memory check still rest on many samples, and a stalled service (the busy-wait
 * fault: under 20/s) is still far below its floor. 8 s phases cost this suite 12 s more, alone on
 * the machine, for the same verdicts.
 */
const PHASE_MS = 4_000;

const phases: (LoadResult & { memory_before_bytes: number | null; memory_after_bytes: number | null })[] = [];
const comparisons: Comparison[] = [];

function checkPhase(result: LoadResult): void {
  const floor = FLOORS[result.name];
  expect(result.requests, `${result.name}: the load phase must issue requests`).toBeGreaterThan(0);
  expect(result.error_rate, `${result.name}: error rate under load`).toBeLessThanOrEqual(
    floor.max_error_rate,
  );
  expect(
    result.throughput_rps,
    `${result.name}: throughput below the floor of ${floor.min_rps}/s`,
  ).toBeGreaterThanOrEqual(floor.min_rps);
  expect(
    result.latency_ms.p95,
    `${result.name}: p95 latency above ${floor.max_p95_ms} ms`,
  ).toBeLessThanOrEqual(floor.max_p95_ms);
  // Recorded for people, not asserted: baseline.json was measured on one machine at one load,
  // and a ratio against it flakes on a busy machine. scaling.test.ts and the regression suite
  // compare against references measured in the same run instead.
  comparisons.push(compareWithBaseline(result, loadBaseline()));
}

async function measured(run: () => Promise<LoadResult>): Promise<LoadResult> {
  const stack = useStack();
  const before = await serviceMemoryBytes(stack);
  const result = await run();
  const after = await serviceMemoryBytes(stack);
  phases.push({ ...result, memory_before_bytes: before, memory_after_bytes: after });
  if (after !== null)
    expect(after, `${result.name}: service memory after load`).toBeLessThan(MAX_MEMORY_BYTES);
  return result;
}

describe('bounded load', { tags: ['performance', 'slow'] }, () => {
  afterAll(() => {
    const stack = useStack();
    mkdirSync(stack.reportsDir, { recursive: true });
    writeFileSync(
      join(stack.reportsDir, 'performance.json'),
      `${JSON.stringify({ run_id: stack.runId, measured_at: new Date().toISOString(), floors: FLOORS, phases, baseline_comparison: comparisons }, null, 2)}\n`,
    );
  });

  test('predict', async ({ helper }) => {
    const { detector } = await helper.trainedDetector({ algorithm: 'isolation_forest' });
    const rows = featureRows(sampleDataset(5, 10), FEATURES);
    const result = await measured(() =>
      runLoad({
        name: 'predict',
        target: helper.stack.httpUrl,
        concurrency: 8,
        maxRequests: 3_000,
        durationMs: PHASE_MS,
        send: async () =>
          (await helper.client.post(`/api/detection/predict/${detector.id}`, { data: rows })).status === 200,
      }),
    );
    checkPhase(result);
  });

  test('upload', async ({ helper }) => {
    const csv = toCsv(sampleDataset(6, 200));
    const uploaded: string[] = [];
    const result = await measured(() =>
      runLoad({
        name: 'upload',
        target: helper.stack.httpUrl,
        concurrency: 4,
        maxRequests: 300,
        durationMs: PHASE_MS,
        send: async (i) => {
          const res = await helper.client.upload(
            '/api/datasets/upload',
            { filename: `load-${i}.csv`, content: csv },
            {
              name: helper.name('load'),
            },
          );
          if (res.status === 200 || res.status === 201) uploaded.push(res.body.data.id);
          return res.status === 200 || res.status === 201;
        },
      }),
    );
    for (const id of uploaded) helper.track('dataset', id);
    checkPhase(result);
  });

  test('streaming over REST', async ({ helper }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const result = await measured(() =>
      runLoad({
        name: 'streaming_rest',
        target: helper.stack.httpUrl,
        concurrency: 4,
        maxRequests: 2_000,
        durationMs: PHASE_MS,
        send: async (i) =>
          (
            await helper.client.post(`/api/streaming/sessions/${session.id}/process`, {
              data: points[i % points.length],
            })
          ).status === 200,
      }),
    );
    checkPhase(result);
  });

  test('streaming over WebSocket', async ({ helper }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const stack = helper.stack;
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected frame');
      const result = await measured(async () => {
        const batches = 10;
        const batchSize = points.length; // 200 points a batch, 2,000 in all
        const latencies: number[] = [];
        const started = performance.now();
        for (let b = 0; b < batches; b++) {
          const sent = performance.now();
          live.send({ type: 'points', payload: points });
          await live.waitForCount('score', (b + 1) * batchSize, `batch ${b + 1} scored`, 10_000);
          latencies.push(performance.now() - sent);
        }
        const elapsed = performance.now() - started;
        const summary = summarise('streaming_ws', latencies, 0, elapsed);
        // Throughput in points per second; latency per batch of 200 points.
        return {
          ...summary,
          requests: batches * batchSize,
          throughput_rps: Math.round((batches * batchSize * 1000) / elapsed),
        };
      });
      checkPhase(result);
    } finally {
      await live.close();
    }
  });
});
