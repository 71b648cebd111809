/**
 * streaming / reconnect after the service restarts.
 *
 * Faults this file catches:
 * - streaming sessions or their counters kept only in process memory (lost on restart)
 * - a session that cannot be reached over a new socket after a restart, or does not score again
 * - score frames lost on the socket (checked by faults/catalog.ts: stream-drop-every-fifth-score)
 * - a restart that loses the detector's trained model
 */
import { describe, expect, test } from 'vitest';
import { clientForStack } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { restartService } from '../fixtures/service-control.ts';
import { useStack } from '../fixtures/stack.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

describe('reconnect after a service restart', { tags: ['streaming', 'integration', 'slow'] }, () => {
  const it = useIntegrationHelper();

  test('the session, its counters and its scores survive; a new socket scores again', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const first = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    first.send({ type: 'points', payload: points.slice(0, 20) });
    const before = await first.waitForCount('score', 20, '20 scores before the restart');

    const moved = await restartService(stack);
    await first.waitUntil(
      () => first.closed !== null,
      'the old socket closes when the service restarts',
      30_000,
    );
    helper.stack = moved;
    helper.client = await clientForStack(moved);

    const metrics = await helper.sessionMetrics(session.id, 'metrics after restart');
    expect(metrics.messages_processed, 'the session counters must survive a restart').toBe(20);
    const listed = await helper.client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'sessions after restart',
    );
    const state = listed.sessions.find((s: { id: string }) => s.id === session.id);
    expect(state, 'the session must still be listed after a restart').toBeDefined();
    expect(['active', 'running'], 'an active session must stay active across a restart').toContain(
      state.status,
    );

    const second = await LiveSocket.open(moved.wsUrl, session.id, helper.client);
    try {
      await second.waitForCount('connected', 1, 'connected frame after reconnecting');
      second.send({ type: 'points', payload: points.slice(0, 20) });
      const after = await second.waitForCount('score', 20, '20 scores after reconnecting');
      expect(
        after.map((f) => f.payload.anomaly_score),
        'the same points must score the same after the restart (model persisted)',
      ).toEqual(before.map((f) => f.payload.anomaly_score));
      const later = await helper.sessionMetrics(session.id, 'metrics');
      expect(later.messages_processed, 'counting continues from the persisted value').toBe(40);
    } finally {
      await second.close();
    }
  });
});
