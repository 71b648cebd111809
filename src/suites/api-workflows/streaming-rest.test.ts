/**
 * api-workflows / streaming via REST.
 *
 * Faults this file catches:
 * - a session not created "pending", or start/pause/resume/stop not changing its status
 * - /process scoring differently from predict of the same detector, or flags wrong
 * - points accepted while paused or stopped; a session on an unknown detector accepted
 * - metrics counters (messages_processed, anomalies_detected, anomaly_rate) wrong
 * - sessions missing from the list; DELETE not deleting
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

const POINTS = [
  { feature1: 0.1, feature2: 0.2, feature3: -0.1 },
  { feature1: 7, feature2: 7, feature3: 7 },
  { feature1: -0.4, feature2: 0.3, feature3: 0.5 },
  { feature1: 0, feature2: -0.6, feature3: 0.2 },
];

describe('streaming via REST', { tags: ['api', 'streaming', 'integration', 'workflows'] }, () => {
  test('create → start → process → pause → resume → stop → summary → delete', async ({ helper, client }) => {
    const { detector } = await helper.trainedDetector();
    const session = await helper.createSession(detector.id);
    expect(session.status, 'a new session must be "pending"').toBe('pending');
    expect(session.detector_id, 'the session must name its detector').toBe(detector.id);

    const started = await helper.sessionAction(session.id, 'start');
    expect(['active', 'running'], 'a started session must be active').toContain(started.status);

    const expected = await helper.predict(detector.id, POINTS);
    const scored = [];
    for (const point of POINTS) scored.push(await helper.processPoint(session.id, point));
    expect(
      scored.map((s) => s.session_id),
      '/process must name the session',
    ).toEqual(POINTS.map(() => session.id));
    expect(
      scored.map((s) => s.anomaly_score),
      '/process must score like predict of the same detector',
    ).toEqual(expected.map((p) => p.anomaly_score));
    expect(
      scored.map((s) => s.is_anomaly),
      '/process must flag only [7,7,7]',
    ).toEqual([false, true, false, false]);

    const metrics = await helper.sessionMetrics(session.id, 'session metrics');
    expect(metrics.messages_processed, 'messages_processed must count the 4 points').toBe(4);
    expect(metrics.anomalies_detected, 'anomalies_detected must count the 1 anomaly').toBe(1);
    expect(metrics.anomaly_rate, 'anomaly_rate must be 1/4').toBeCloseTo(0.25, 10);
    expect(metrics.failed_messages, 'no message failed').toBe(0);

    const paused = await helper.sessionAction(session.id, 'pause');
    expect(paused.status, 'pause must set "paused"').toBe('paused');
    const whilePaused = await client.post(`/api/streaming/sessions/${session.id}/process`, {
      data: POINTS[0],
    });
    expectStatus(whilePaused, 409, 'a paused session must refuse points');
    const resumed = await helper.sessionAction(session.id, 'resume');
    expect(['active', 'running'], 'resume must make the session active again').toContain(resumed.status);
    await helper.processPoint(session.id, POINTS[0]);

    const listed = await client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'list sessions',
    );
    expect(
      listed.sessions.map((s: { id: string }) => s.id),
      'the session must be listed',
    ).toContain(session.id);

    const stopped = await helper.sessionAction(session.id, 'stop');
    expect(stopped.status, 'stop must set "stopped"').toBe('stopped');
    const afterStop = await client.post(`/api/streaming/sessions/${session.id}/process`, { data: POINTS[0] });
    expectStatus(afterStop, 409, 'a stopped session must refuse points');

    const summary = await client.data('GET', `/api/streaming/sessions/${session.id}/summary`, {}, 'summary');
    expect(JSON.stringify(summary), 'the summary must report the 5 processed points').toMatch(
      /"messages_processed":5\b/,
    );

    expectStatus(await client.delete(`/api/streaming/sessions/${session.id}`), 200, 'DELETE of a session');
    expectStatus(
      await client.get(`/api/streaming/sessions/${session.id}/metrics`),
      404,
      'a deleted session must be gone',
    );
    helper.forget('session', session.id);
  });

  test('a session on an unknown detector or with a bad configuration is refused', async ({
    helper,
    client,
  }) => {
    const unknown = await client.post('/api/streaming/sessions', {
      name: helper.name('s'),
      detector_id: '00000000-0000-4000-8000-000000000000',
      configuration: { processing_mode: 'real_time', batch_size: 1, max_throughput: 100 },
    });
    expectStatus(unknown, 404, 'a session on an unknown detector must be refused');
    const { detector } = await helper.trainedDetector({ algorithm: 'zscore' });
    const badMode = await client.post('/api/streaming/sessions', {
      name: helper.name('s'),
      detector_id: detector.id,
      configuration: { processing_mode: 'warp_speed', batch_size: 1, max_throughput: 100 },
    });
    expectStatus(badMode, 422, 'an unknown processing_mode must be refused');
  });
});
