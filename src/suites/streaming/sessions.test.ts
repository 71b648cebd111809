/**
 * streaming / session lifecycle, concurrency, bad frames.
 *
 * Faults this file catches:
 * - pause not stopping the scoring of socket points, resume not restarting it, stop not ending it
 * - sessions mixing up their points or scores (cross-talk between concurrent sessions), or scores of a
 *   batch arriving out of order (checked by faults/catalog.ts: stream-batch-reversed)
 * - a second client on the same session not seeing the same scores as the first
 * - more sessions than PYNOMALY_MAX_STREAMING_SESSIONS allowed at once
 * - bad frames (not JSON, unknown type, wrong payload, non-numeric features) closing the socket,
 *   being ignored without an error frame, or poisoning the session for later points
 */
import { describe, expect, test } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { useIntegrationHelper } from '../fixtures/integration-helper.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { useStack } from '../fixtures/stack.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';

describe('streaming sessions', { tags: ['streaming', 'integration'] }, () => {
  const it = useIntegrationHelper();

  test('pause stops scoring, resume restarts it, stop ends the session', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected frame');
      live.send({ type: 'points', payload: points.slice(0, 5) });
      await live.waitForCount('score', 5, '5 scores while active');

      await helper.sessionAction(session.id, 'pause');
      live.send({ type: 'points', payload: points.slice(5, 8) });
      await live.waitForCount('error', 1, 'an error frame for points sent to a paused session');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(live.ofType('score').length, 'a paused session must not score points').toBe(5);
      expect(live.isOpen, 'a paused session keeps the socket open').toBe(true);

      await helper.sessionAction(session.id, 'resume');
      live.send({ type: 'points', payload: points.slice(8, 11) });
      await live.waitForCount('score', 8, 'scores again after resume');

      await helper.sessionAction(session.id, 'stop');
      const errorsBefore = live.ofType('error').length;
      if (live.isOpen) live.send({ type: 'points', payload: points.slice(11, 13) });
      await live.waitUntil(
        () => live.closed !== null || live.ofType('error').length > errorsBefore,
        'a close or an error frame after the session stopped',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.ofType('score').length, 'a stopped session must not score points').toBe(8);
      const metrics = await helper.sessionMetrics(session.id, 'metrics');
      expect(metrics.messages_processed, 'only the 8 points scored while active are counted').toBe(8);
    } finally {
      await live.close();
    }
  });

  test('concurrent sessions and clients: no cross-talk; a second client sees the same scores', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const sessions = await Promise.all([0, 1, 2].map(() => helper.startSession(detectorId)));
    const sockets = await Promise.all(
      sessions.flatMap((s) => [0, 1].map(() => LiveSocket.open(stack.wsUrl, s.id, helper.client))),
    );
    try {
      await Promise.all(sockets.map((s) => s.waitForCount('connected', 1, 'connected frame')));
      // Session k gets its own slice of the stream, sent by its first client.
      const slices = [points.slice(0, 30), points.slice(40, 70), points.slice(150, 180)];
      const expected = await Promise.all(slices.map((slice) => helper.predict(detectorId, slice)));
      for (let k = 0; k < sessions.length; k++) sockets[2 * k].send({ type: 'points', payload: slices[k] });
      for (let k = 0; k < sessions.length; k++) {
        for (const socket of [sockets[2 * k], sockets[2 * k + 1]]) {
          const scores = await socket.waitForCount('score', 30, `30 scores on session ${k}`, 20_000);
          expect(
            scores.map((f) => f.payload.anomaly_score),
            `session ${k}: each client must see exactly its session's scores, in order`,
          ).toEqual(expected[k].map((p) => p.anomaly_score));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const [i, socket] of sockets.entries())
        expect(socket.ofType('score').length, `client ${i} must see no scores of other sessions`).toBe(30);
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
    }
  });

  test('no more than PYNOMALY_MAX_STREAMING_SESSIONS active sessions at once', async () => {
    const { helper, client } = it;
    const stack = useStack();
    const limit = Number(stack.serviceEnv.PYNOMALY_MAX_STREAMING_SESSIONS ?? 10);
    const { detectorId } = await sensorDetector(helper);
    const active = await client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'list sessions',
    );
    const alreadyActive = active.sessions.filter((s: { status: string }) =>
      ['active', 'running'].includes(s.status),
    ).length;
    const started = [];
    for (let i = alreadyActive; i < limit; i++) started.push(await helper.startSession(detectorId));
    const extra = await helper.createSession(detectorId);
    const refused = await client.post(`/api/streaming/sessions/${extra.id}/start`);
    expectStatus(refused, [409, 429, 503], `starting session ${limit + 1} must be refused (limit ${limit})`);
    await helper.sessionAction(started[started.length - 1].id, 'stop');
    await helper.sessionAction(extra.id, 'start');
    for (const s of [...started.slice(0, -1), extra]) await helper.sessionAction(s.id, 'stop');
  });

  test('bad frames get error frames and leave the socket and session working', async () => {
    const { helper } = it;
    const stack = useStack();
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.startSession(detectorId);
    const live = await LiveSocket.open(stack.wsUrl, session.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected frame');
      const badFrames: [string, unknown][] = [
        ['text that is not JSON', 'hello {'],
        ['JSON without a type', { payload: [] }],
        ['an unknown type', { type: 'teleport', payload: {} }],
        ['points that are not a list', { type: 'points', payload: 'many' }],
        [
          'a point with a non-numeric feature',
          { type: 'points', payload: [{ humidity: 'wet', temperature: 20 }] },
        ],
        ['a point missing a feature', { type: 'points', payload: [{ humidity: 44 }] }],
        ['a JSON array', [1, 2, 3]],
      ];
      for (let i = 0; i < badFrames.length; i++) {
        const [what, frame] = badFrames[i];
        live.send(frame);
        await live.waitForCount('error', i + 1, `an error frame for ${what}`);
        expect(live.isOpen, `the socket must stay open after ${what}`).toBe(true);
      }
      expect(live.ofType('score').length, 'bad frames must not be scored').toBe(0);
      live.send({ type: 'points', payload: points.slice(0, 3) });
      await live.waitForCount('score', 3, 'good points still scored after bad frames');
      const metrics = await helper.sessionMetrics(session.id, 'metrics');
      expect(metrics.messages_processed, 'only the good points are counted as processed').toBe(3);
    } finally {
      await live.close();
    }
  });
});
