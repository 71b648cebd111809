/**
 * streaming / the session as upstream's harness reads it: `data_source` echoed, `session_id` on
 * list items, the summary's top-level fields.
 *
 * Faults this file catches:
 * - the data source given at create not stored or not echoed (stream-data-source-dropped)
 * - list items without `session_id` (stream-list-no-session-id)
 * - a summary without its top-level session_id/name/status/detector_id/messages_processed, or an
 *   uptime that keeps growing after stop (stream-summary-uptime-after-stop)
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { test } from '../fixtures/test.ts';

describe('streaming session views', { tags: ['streaming', 'integration'] }, () => {
  const db = useServiceDatabase();

  test('the data source given at create is stored and echoed; session_id = id on the object and in the list', async ({
    helper,
    client,
  }) => {
    const { detectorId } = await sensorDetector(helper);
    const dataSource = { source_type: 'mock', connection_config: { mock_data_rate: 10, topic: 'sensors' } };
    const res = await client.post('/api/streaming/sessions', {
      name: helper.name('sourced'),
      detector_id: detectorId,
      data_source: dataSource,
    });
    expectStatus(res, 201, 'creating a session with a data source answers 201');
    const created = res.body.data;
    helper.track('session', created.id);
    const plain = await helper.createSession(detectorId);

    expect(
      { data_source: created.data_source, session_id: created.session_id },
      'the created session echoes its data source and carries session_id = id',
    ).toEqual({ data_source: dataSource, session_id: created.id });
    expect(await db.sessionDataSource(created.id), 'the data source must be stored with the session').toEqual(
      dataSource,
    );
    expect(
      { data_source: plain.data_source, stored: await db.sessionDataSource(plain.id) },
      'a session created without a data source has data_source null',
    ).toEqual({ data_source: null, stored: null });
    const read = await client.data('GET', `/api/streaming/sessions/${created.id}`, { expected: 200 }, 'read');
    expect(read.data_source, 'GET of the session echoes its data source').toEqual(dataSource);

    const list = await client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 }, expected: 200 },
      'list sessions',
    );
    const mine = list.sessions.filter((s: { id: string }) => s.id === created.id || s.id === plain.id);
    expect(
      mine.map((s: { id: string; session_id: string; data_source: unknown }) => ({
        id: s.id,
        session_id: s.session_id,
        data_source: s.data_source,
      })),
      'list items carry session_id (= id) and their data source',
    ).toEqual([
      { id: plain.id, session_id: plain.id, data_source: null },
      { id: created.id, session_id: created.id, data_source: dataSource },
    ]);
  });

  test('the summary names the session at top level; its uptime counts from start and stops at stop', async ({
    helper,
    client,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    const session = await helper.createSession(detectorId);
    const summary = () =>
      client.data(
        'GET',
        `/api/streaming/sessions/${session.id}/summary`,
        { expected: 200 },
        'session summary',
      );
    const top = (s: Record<string, unknown>) => ({
      session_id: s.session_id,
      name: s.name,
      status: s.status,
      detector_id: s.detector_id,
      messages_processed: s.messages_processed,
    });

    const pending = await summary();
    expect(
      { ...top(pending), uptime_seconds: pending.uptime_seconds },
      'a pending session’s summary: its id, name, status, detector, 0 messages and uptime 0',
    ).toEqual({
      session_id: session.id,
      name: session.name,
      status: 'pending',
      detector_id: detectorId,
      messages_processed: 0,
      uptime_seconds: 0,
    });

    await helper.sessionAction(session.id, 'start');
    for (const point of points.slice(0, 3)) await helper.processPoint(session.id, point);
    const active = await summary();
    expect(top(active), 'an active session’s summary after 3 points').toEqual({
      session_id: session.id,
      name: session.name,
      status: 'active',
      detector_id: detectorId,
      messages_processed: 3,
    });
    expect(active.uptime_seconds, 'uptime of an active session is positive').toBeGreaterThan(0);
    expect(active.uptime_seconds, 'uptime_seconds = duration_seconds').toBe(active.duration_seconds);

    const stopped = await helper.sessionAction(session.id, 'stop');
    const s = stopped as unknown as { started_at: string; stopped_at: string };
    const after = await summary();
    expect(
      { ...top(after), uptime_seconds: after.uptime_seconds },
      'a stopped session’s uptime is stopped_at − started_at',
    ).toEqual({
      session_id: session.id,
      name: session.name,
      status: 'stopped',
      detector_id: detectorId,
      messages_processed: 3,
      uptime_seconds: (Date.parse(s.stopped_at) - Date.parse(s.started_at)) / 1000,
    });
    // Read again after another request: the uptime of a stopped session does not grow.
    await helper.sessionMetrics(session.id);
    expect((await summary()).uptime_seconds, 'the uptime of a stopped session stays put').toBe(
      after.uptime_seconds,
    );
  });

  test("upstream's optional session settings are accepted, stored and echoed; a key that means nothing is dropped", async ({
    helper,
    client,
  }) => {
    const { detectorId } = await sensorDetector(helper);
    const configuration = {
      processing_mode: 'micro_batch',
      batch_size: 5,
      max_throughput: 100,
      schema_validation: true,
      enable_checkpointing: true,
      error_handling: { max_retries: 3, retry_delay_seconds: 1, dead_letter_queue: true },
    };
    const res = await client.post('/api/streaming/sessions', {
      name: helper.name('upstream-config'),
      detector_id: detectorId,
      configuration,
    });
    expectStatus(res, 201, "a session with upstream's lifecycle configuration answers 201");
    helper.track('session', res.body.data.id);
    expect(res.body.data.configuration, 'the configuration is echoed as given').toEqual(configuration);
    const read = await client.data(
      'GET',
      `/api/streaming/sessions/${res.body.data.id}`,
      { expected: 200 },
      'read',
    );
    expect(read.configuration, 'and stored: a read gives it back').toEqual(configuration);

    const unknown = await client.post('/api/streaming/sessions', {
      name: helper.name('other-config'),
      detector_id: detectorId,
      configuration: { processing_mode: 'real_time', no_such_setting: true },
    });
    expectStatus(unknown, 201, 'a configuration with a key that means nothing still creates the session');
    helper.track('session', unknown.body.data.id);
    expect(unknown.body.data.configuration, 'a key that means nothing is dropped, not stored').toEqual({
      processing_mode: 'real_time',
      batch_size: 1,
      max_throughput: 1000,
    });
  });
});
