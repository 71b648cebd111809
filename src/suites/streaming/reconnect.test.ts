/**
 * streaming / reconnect after the service restarts.
 *
 * Faults this file catches:
 * - streaming sessions or their counters kept only in process memory (lost on restart)
 * - a session that cannot be reached over a new socket after a restart, or does not score again
 * - score frames lost on the socket (checked by faults/catalog.ts: stream-drop-every-fifth-score)
 * - a restart that loses the detector's trained model
 * - sequence numbers restarting at 1 after a restart instead of continuing from the stored counter
 *
 * It restarts the service: other files must not depend on running before or after it (each test's
 * stack and client fixtures read the endpoints afresh, which follow the moved port).
 */
import { describe, expect } from 'vitest';
import { clientForStack } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { restartService } from '../fixtures/service-control.ts';
import { expectPointFrames, expectSessionCounters } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

describe('reconnect after a service restart', { tags: ['streaming', 'integration', 'slow'] }, () => {
  test('the session, its counters and its scores survive; a new socket scores again', async ({
    helper,
    stack,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const first = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    first.send({ type: 'points', payload: points.slice(0, 20) });
    await first.waitForScores(20, '20 scores before the restart');
    const sent = points.slice(0, 20);
    const expected = (await helper.predict(detectorId, sent)).map((p, i) => ({ ...p, point: sent[i] }));
    expectPointFrames(first.frames, session.id, expected);
    const anomalies = expected.filter((p) => p.is_anomaly).length;

    const moved = await restartService(stack);
    await first.waitUntil(
      () => first.closed !== null,
      'the old socket closes when the service restarts',
      30_000,
    );
    helper.stack = moved;
    helper.client = await clientForStack(moved);

    await expectSessionCounters(
      helper,
      session.id,
      { processed: 20, anomalies, failed: 0 },
      'after the restart',
    );
    const listed = await helper.client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'sessions after restart',
    );
    const state = listed.sessions.find((s: { id: string }) => s.id === session.id);
    expect(state, 'the session must still be listed after a restart').toBeDefined();
    expect(state.status, 'an active session must stay active across a restart').toBe('active');

    const second = await LiveSocket.open(moved.wsUrl, session.id, helper.client);
    try {
      await second.waitForCount('connected', 1, 'connected frame after reconnecting');
      second.send({ type: 'points', payload: points.slice(0, 20) });
      await second.waitForScores(20, '20 scores after reconnecting');
      // Same points, same scores (model persisted); numbering continues at 21 (counter persisted).
      expectPointFrames(second.frames, session.id, expected, 21);
      await expectSessionCounters(
        helper,
        session.id,
        { processed: 40, anomalies: 2 * anomalies, failed: 0 },
        'after scoring again',
      );
    } finally {
      await second.close();
    }
  });
});
