/**
 * streaming / session lifecycle and concurrency.
 *
 * Faults this file catches:
 * - pause not stopping the scoring of socket points, resume not restarting it, stop not ending it
 *   (checked by faults/catalog.ts: stream-paused-still-scores)
 * - points sent while paused or stopped counted, or given a sequence number
 * - actions on a stopped session not refused with 409, status frames missing
 * - sessions mixing up their points or scores (cross-talk between concurrent sessions), or scores of a
 *   batch arriving out of order (stream-batch-reversed)
 * - a second client on the same session not seeing the same frames as the first
 *   (stream-second-client-starved)
 * - more sessions than PYNOMALY_MAX_STREAMING_SESSIONS allowed at once
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { expectPointFrames, expectSessionCounters } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';
import { type Frame, LiveSocket } from '../fixtures/ws-client.ts';

/** What a client saw about points, without arrival times: two clients of a session must see the same. */
const pointFrames = (frames: readonly Frame[]) =>
  frames
    .filter((f) => f.type === 'score' || f.type === 'alert')
    .map((f) => ({ type: f.type, payload: f.payload }));

describe('streaming sessions', { tags: ['streaming', 'integration'] }, () => {
  test('pending → active ⇄ paused → stopped: only active sessions score, stopped ones refuse every action', async ({
    helper,
    client,
    stack,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const name = helper.name('lifecycle');
    const configuration = { processing_mode: 'micro_batch', batch_size: 5, max_throughput: 200 };
    const createdRes = await client.post('/api/streaming/sessions', {
      name,
      detector_id: detectorId,
      configuration,
    });
    expectStatus(createdRes, 201, 'creating a streaming session answers 201');
    const created = createdRes.body.data;
    helper.track('session', created.id);
    expect(
      created,
      'a new session is pending, with its name, detector, configuration and zero counters',
    ).toMatchObject({
      name,
      detector_id: detectorId,
      status: 'pending',
      configuration,
      messages_processed: 0,
      anomalies_detected: 0,
      started_at: null,
      stopped_at: null,
    });
    expect(created.id, 'a session id is a UUID').toMatch(UUID);
    const pendingProcess = await client.post(`/api/streaming/sessions/${created.id}/process`, {
      data: points[0],
    });
    expectStatus(pendingProcess, 409, 'a pending session must refuse /process');
    expect(pendingProcess.body.error?.code, 'refused /process names the conflict').toBe('CONFLICT');

    // The socket is open before start, so it sees every status frame.
    const live = await LiveSocket.open(stack.wsUrl, created.id, helper.client);
    try {
      await live.waitForCount('connected', 1, 'connected frame');
      expect(live.frames[0].payload.status, 'the connected frame of a pending session says pending').toBe(
        'pending',
      );
      live.send({ type: 'points', payload: points.slice(0, 2) });
      await live.waitForCount('error', 1, 'an error frame for points sent to a pending session');
      expect(live.errors()[0].code, 'points sent to a pending session: error code CONFLICT').toBe('CONFLICT');

      const started = await helper.sessionAction(created.id, 'start');
      expect(started.status, 'start → active').toBe('active');
      expect((started as { started_at?: string }).started_at, 'start sets started_at').toBeTruthy();
      live.send({ type: 'points', payload: points.slice(0, 5) });
      await live.waitForScores(5, '5 scores while active');

      expect((await helper.sessionAction(created.id, 'pause')).status, 'pause → paused').toBe('paused');
      live.send({ type: 'points', payload: points.slice(5, 8) });
      await live.waitForCount('error', 2, 'an error frame for points sent to a paused session');
      expect(live.errors()[1].code, 'points sent to a paused session: error code CONFLICT').toBe('CONFLICT');
      const pausedProcess = await client.post(`/api/streaming/sessions/${created.id}/process`, {
        data: points[5],
      });
      expectStatus(pausedProcess, 409, 'a paused session must refuse /process');
      expect(live.isOpen, 'a paused session keeps the socket open').toBe(true);

      // Barrier: after resume one sentinel point. Had the paused points been scored, their frames
      // (queued before it) would come first and the sentinel would not be number 6.
      expect((await helper.sessionAction(created.id, 'resume')).status, 'resume → active').toBe('active');
      const sentinel = points[8];
      live.send({ type: 'points', payload: [sentinel] });
      await live.waitForScores(6, 'the sentinel point scored after resume');
      const predicted = await helper.predict(detectorId, [...points.slice(0, 5), sentinel]);
      expectPointFrames(
        live.frames,
        created.id,
        predicted.map((p, i) => ({ ...p, point: i < 5 ? points[i] : sentinel })),
      );
      const anomalies = predicted.filter((p) => p.is_anomaly).length;
      await expectSessionCounters(
        helper,
        created.id,
        { processed: 6, anomalies, failed: 0 },
        'after pause and resume (points sent while paused are not counted)',
      );

      const stopped = await helper.sessionAction(created.id, 'stop');
      expect(stopped.status, 'stop → stopped').toBe('stopped');
      expect((stopped as { stopped_at?: string }).stopped_at, 'stop sets stopped_at').toBeTruthy();
      for (const action of ['start', 'pause', 'resume'] as const) {
        const res = await client.post(`/api/streaming/sessions/${created.id}/${action}`);
        expectStatus(res, 409, `${action} of a stopped session must be refused`);
        expect(res.body.error?.code, `${action} of a stopped session: error code CONFLICT`).toBe('CONFLICT');
      }
      const again = await helper.sessionAction(created.id, 'stop');
      expect(again.status, 'stop of a stopped session answers 200 and stays stopped').toBe('stopped');
      const stoppedProcess = await client.post(`/api/streaming/sessions/${created.id}/process`, {
        data: points[9],
      });
      expectStatus(stoppedProcess, 409, 'a stopped session must refuse /process');
      live.send({ type: 'points', payload: points.slice(9, 11) });
      await live.waitForCount('error', 3, 'an error frame for points sent to a stopped session');
      expect(live.errors()[2].code, 'points sent to a stopped session: error code CONFLICT').toBe('CONFLICT');
      expect(live.scores().length, 'a stopped session must not score points').toBe(6);
      await expectSessionCounters(
        helper,
        created.id,
        { processed: 6, anomalies, failed: 0 },
        'after stop (points sent to a stopped session are not counted)',
      );
      await live.waitForCount(
        'status',
        5,
        'a status frame for start, pause, resume, stop and the repeated stop',
      );
      expect(
        live.ofType('status').map((f) => f.payload),
        'status frames announce every transition to the socket, in order',
      ).toEqual(
        ['active', 'paused', 'active', 'stopped', 'stopped'].map((status) => ({
          session_id: created.id,
          status,
        })),
      );
    } finally {
      await live.close();
    }
  });

  test('concurrent sessions and clients: no cross-talk; a second client sees the same frames', async ({
    helper,
    stack,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const sessions = await Promise.all([0, 1, 2].map(() => helper.startSession(detectorId)));
    const sockets = await Promise.all(
      sessions.flatMap((s) => [0, 1].map(() => LiveSocket.open(stack.wsUrl, s.id, helper.client))),
    );
    try {
      await Promise.all(sockets.map((s) => s.waitForCount('connected', 1, 'connected frame')));
      // Session k gets its own slice of the stream (anomalies included), sent by its first client,
      // then, once every session is done, a sentinel: frames published before it reach every socket first.
      const slices = [points.slice(0, 30), points.slice(100, 130), points.slice(150, 180)];
      const sentinel = points[190];
      const expected = await Promise.all(
        slices.map(async (slice) =>
          (await helper.predict(detectorId, [...slice, sentinel])).map((p, i) => ({
            ...p,
            point: slice[i] ?? sentinel,
          })),
        ),
      );
      for (let k = 0; k < sessions.length; k++) sockets[2 * k].send({ type: 'points', payload: slices[k] });
      await Promise.all(
        sockets.map((s, i) =>
          s.waitForScores(
            30,
            `30 scores on client ${i} (every client of a session gets every frame)`,
            20_000,
          ),
        ),
      );
      for (let k = 0; k < sessions.length; k++) sockets[2 * k].send({ type: 'points', payload: [sentinel] });
      await Promise.all(sockets.map((s, i) => s.waitForScores(31, `the sentinel on client ${i}`, 20_000)));

      for (let k = 0; k < sessions.length; k++) {
        const [first, second] = [sockets[2 * k], sockets[2 * k + 1]];
        expectPointFrames(first.frames, sessions[k].id, expected[k]);
        expect(
          pointFrames(second.frames),
          `session ${k}: a second client must see exactly the frames of the first`,
        ).toEqual(pointFrames(first.frames));
        await expectSessionCounters(
          helper,
          sessions[k].id,
          { processed: 31, anomalies: expected[k].filter((p) => p.is_anomaly).length, failed: 0 },
          `of concurrent session ${k}`,
        );
      }
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
      for (const s of sessions) await helper.sessionAction(s.id, 'stop');
    }
  });

  test('no more than PYNOMALY_MAX_STREAMING_SESSIONS active sessions at once', async ({
    helper,
    client,
    stack,
  }) => {
    const limit = Number(stack.serviceEnv.PYNOMALY_MAX_STREAMING_SESSIONS ?? 10);
    const { detectorId } = await sensorDetector(helper);
    // The limit counts every active session of the service; this suite's files run one at a time.
    const listed = await client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'list sessions',
    );
    const alreadyActive = listed.sessions.filter((s: { status: string }) => s.status === 'active').length;
    const started = [];
    try {
      for (let i = alreadyActive; i < limit; i++) started.push(await helper.startSession(detectorId));
      const extra = await helper.createSession(detectorId);
      started.push(extra);
      const refused = await client.post(`/api/streaming/sessions/${extra.id}/start`);
      expectStatus(refused, 409, `starting session ${limit + 1} must be refused (limit ${limit})`);
      expect(refused.body.error?.code, 'the refusal names the limit').toBe('TOO_MANY_SESSIONS');
      const still = await client.data(
        'GET',
        `/api/streaming/sessions/${extra.id}/metrics`,
        {},
        'refused session',
      );
      expect(still.status, 'a refused start leaves the session pending').toBe('pending');
      await helper.sessionAction(started[0].id, 'stop');
      expect((await helper.sessionAction(extra.id, 'start')).status, 'a freed slot can be used').toBe(
        'active',
      );
    } finally {
      for (const s of started) await helper.sessionAction(s.id, 'stop');
    }
  });
});
