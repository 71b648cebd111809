/**
 * security / one user cannot freeze the service for everyone. While an attacker runs bounded
 * attacks (a 100 KB cell, a 100,000-column CSV, a long AutoML job, a 10 MB WebSocket frame and a
 * frame of too many points), a victim's health checks and single-row predicts keep answering
 * fast, every attack is refused or contained, and the service process never restarts.
 *
 * Faults this file catches:
 * - a backtracking pattern or per-column quadratic work that stalls the event loop on a CSV
 * - CSV shape limits not enforced at upload (wide tables or huge cells accepted)
 * - training or AutoML trials on the event loop (the victim's requests wait behind them)
 * - no bound on a socket frame's size or points
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, vi } from 'vitest';
import { type ApiClient, expectError, unwrap } from '../fixtures/http-client.ts';
import { percentile } from '../fixtures/load.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';
import { createUser, type TestUser } from './users.ts';

/** The p99 latency the victim must see during the attacks, unless the machine itself is slower. */
const P99_LIMIT_MS = 500;
/** Bounds of the victim's probe loop: it stops by itself. */
const PROBE_MAX = 4_000;
const PROBE_MAX_MS = 120_000;
/** Pacing of the probe loop (not a wait for anything): a victim's ordinary traffic, well under
 * the suite's rate limit, however fast the machine. */
const PROBE_PACE_MS = 50;

interface Probes {
  latencies: number[];
  failures: string[];
}

/** Health and a single-row predict, one after another, until `stop` or the bounds. */
function probeLoop(
  victim: TestUser,
  detectorId: string,
  stop: { done: boolean },
  maxProbes = PROBE_MAX,
): Promise<Probes> {
  const row = { feature1: 0.1, feature2: -0.2, feature3: 0.3 };
  const result: Probes = { latencies: [], failures: [] };
  const deadline = Date.now() + PROBE_MAX_MS;
  return (async () => {
    while (!stop.done && result.latencies.length < maxProbes && Date.now() < deadline) {
      const health = await victim.client.get('/api/health');
      const predict = await victim.client.post(`/api/detection/predict/${detectorId}`, { data: [row] });
      for (const res of [health, predict]) {
        result.latencies.push(res.durationMs);
        if (res.status !== 200) result.failures.push(`${res.method} ${res.path} → ${res.status}`);
      }
      await sleep(PROBE_PACE_MS);
    }
    return result;
  })();
}

/** The victim's p99 with nobody attacking: 60 requests. */
async function quietP99(victim: TestUser, detectorId: string): Promise<number> {
  const quiet = await probeLoop(victim, detectorId, { done: false }, 60);
  return percentile(
    [...quiet.latencies].sort((a, b) => a - b),
    99,
  );
}

/** The service process's start time: it changes when the container restarts. */
async function processStart(client: ApiClient): Promise<string> {
  const res = await client.get('/metrics');
  const line = res.text.split('\n').find((l) => l.startsWith('process_start_time_seconds'));
  expect(line, '/metrics must report process_start_time_seconds').toBeDefined();
  return String(line);
}

if (inject('stack').authEnabled) {
  describe("availability under one user's attacks", { tags: ['security', 'slow'] }, () => {
    test('health and predict of another user stay fast; every attack is refused or contained', async ({
      client,
      stack,
    }) => {
      const attacker = await createUser(client);
      const victim = await createUser(client);
      const { detector } = await victim.helper.trainedDetector({ algorithm: 'zscore', parameters: {} });
      const started = await processStart(client);
      const quiet = await quietP99(victim, detector.id);

      const stop = { done: false };
      const probing = probeLoop(victim, detector.id, stop);
      try {
        const cell = await attacker.client.upload(
          '/api/datasets/upload',
          { filename: 'cell.csv', content: `a,b\n1,2\n3,${'9'.repeat(100_000)}x\n` },
          { name: attacker.helper.name('huge-cell') },
        );
        expectError(cell, 422, 'VALIDATION_ERROR', 'a CSV with a 100 KB cell must be refused');

        const columns = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
        const wide = await attacker.client.upload(
          '/api/datasets/upload',
          { filename: 'wide.csv', content: `${columns.join(',')}\n${columns.map(() => '1').join(',')}\n` },
          { name: attacker.helper.name('wide') },
        );
        expectError(wide, 422, 'VALIDATION_ERROR', 'a CSV with 100,000 columns must be refused');

        const dataset = await attacker.helper.uploadSampleDataset();
        const job = unwrap<{ id: string }>(
          await attacker.client.post('/api/autonomous/automl/start', {
            job_name: attacker.helper.name('long-automl'),
            dataset_id: dataset.id,
            algorithms: ['local_outlier_factor', 'isolation_forest'],
            max_trials: 200,
            max_duration_minutes: 10,
          }),
          201,
          'a long AutoML job is accepted',
        );
        const status = () =>
          attacker.client.data('GET', `/api/autonomous/automl/${job.id}/status`, {}, 'AutoML status');
        // The victim keeps probing while at least two trials of the attacker's job run.
        await expect
          .poll(async () => (await status()).current_trial, {
            timeout: 90_000,
            interval: 250,
            message: 'the AutoML job must get through its trials',
          })
          .toBeGreaterThanOrEqual(2);
        unwrap(await attacker.client.post(`/api/autonomous/automl/${job.id}/cancel`, {}), 200, 'cancel');

        const session = await attacker.helper.startSession(
          (await attacker.helper.trainedDetector({ algorithm: 'zscore', parameters: {}, dataset })).detector
            .id,
        );
        const live = await LiveSocket.open(stack.wsUrl, session.id, attacker.client);
        try {
          await live.waitForCount('connected', 1, 'connected');
          const many = Array.from({ length: 2_000 }, (_, i) => ({ feature1: i, feature2: 1, feature3: 2 }));
          live.send({ type: 'points', payload: many });
          const [refused] = await live.waitForCount(
            'error',
            1,
            'a frame of 2,000 points gets an error frame',
          );
          expect(refused.payload.code, 'too many points in one frame').toBe('TOO_MANY_POINTS');
          expect(live.ofType('score'), 'no point of a refused frame may be scored').toEqual([]);
          live.send(
            `{"type":"points","payload":[${'{"feature1":1,"feature2":2,"feature3":3},'.repeat(250_000)}{}]}`,
          );
          // The service answers with a 1009 close frame and ends the connection; the client may
          // still be writing its 10 MB then, and TCP resets the connection, which can drop that
          // frame unread (the client sees 1006). Either way the service closed it, at once.
          await vi.waitFor(
            () =>
              expect([1009, 1006], 'a 10 MB frame must make the service close the socket (1009)').toContain(
                live.closed?.code,
              ),
            { timeout: 30_000, interval: 100 },
          );
        } finally {
          await live.close();
        }
      } finally {
        stop.done = true;
      }
      const probes = await probing;
      expect(probes.failures, "the victim's requests must all succeed during the attacks").toEqual([]);
      // A count, not a time: on a fast machine the attacks are over in a second or two (8 rounds
      // were seen), so only a few rounds are asked for; the p99 below is over all of them.
      expect(
        probes.latencies.length,
        'the victim must have been answered while the attacks ran',
      ).toBeGreaterThanOrEqual(6);
      const p99 = percentile(
        [...probes.latencies].sort((a, b) => a - b),
        99,
      );
      // A loaded machine is slow for everyone: the limit grows with the quiet p99 of the same run.
      // Seen on a correct service at load 29 on 2 cores: 3.7 × quiet. An attack that holds the
      // event loop costs seconds (a 100,000-column CSV in csv-parse: 4.1 s at a quiet p99 of 0.5 s).
      const limit = Math.max(P99_LIMIT_MS, 5 * quiet);
      expect(p99, `the victim's p99 during the attacks (quiet p99 ${Math.round(quiet)} ms)`).toBeLessThan(
        limit,
      );
      expect(await processStart(client), 'the service process must not restart').toBe(started);
    });
  });
}
