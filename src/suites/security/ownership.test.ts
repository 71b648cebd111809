/**
 * security / per-object authorisation: one analyst (the intruder) against every object family
 * and sub-resource of another (the owner). The contract: someone else's id is 404, not 403, and
 * the owner's object is unchanged afterwards (read back as the owner).
 *
 * Faults this file catches:
 * - the owner check missing on any route of datasets, detectors (train, predict, validate),
 *   models (register, promote, export), streaming sessions (actions, process, metrics, summary,
 *   alert rules, the live socket), experiments (GET, metadata, export, cancel, results, run),
 *   AutoML jobs (status, results, deploy, cancel) or events (acknowledge, resolve, query, summary);
 *   API keys: api-keys.test.ts
 *   (checked by faults/catalog.ts: sec-model-promote-any-owner, sec-session-metrics-any-owner,
 *   sec-live-socket-any-owner, sec-train-any-owner, sec-experiment-history-any-owner,
 *   sec-automl-results-any-owner, sec-event-query-all-owners, sec-event-resolve-any-owner)
 * - a 403 that tells the intruder the id exists
 * - acknowledged_by / resolved_by taken from the body instead of the caller
 *   (checked by faults/catalog.ts: sec-event-actor-from-body)
 */
import { describe, expect } from 'vitest';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { type ApiClient, expectStatus } from '../fixtures/http-client.ts';
import { FEATURES } from '../fixtures/sample-data.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';
import { LiveSocket } from '../fixtures/ws-client.ts';
import { ownerAndIntruder, type TestUser } from './users.ts';

const POINT = Object.fromEntries(FEATURES.map((f) => [f, 0.5]));

/** The intruder's request on the owner's object must be a clean 404. */
async function expectHidden(
  intruder: ApiClient,
  what: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<void> {
  const res = await intruder.request(method, path, json === undefined ? {} : { json });
  expectStatus(res, 404, `another user's ${what} must be 404 (not 403, not served)`);
  expectCleanError(res, useStack(), `another user's ${what}`);
}

/** A trained zscore detector of `owner` on the labelled sample dataset. */
async function trainedDetectorOf(owner: TestUser) {
  return owner.helper.trainedDetector({ algorithm: 'zscore', parameters: {} });
}

describe('per-object authorisation (404 for someone else’s id)', { tags: ['security', 'api'] }, () => {
  test("another analyst's dataset and its sub-resources are 404 and stay unchanged", async ({ client }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const dataset = await owner.helper.uploadCsv('a,b,label\n1,2,0\n3,4,0\n5,6,0\n9,9,1\n', {
      targetColumn: 'label',
    });
    const read = () => owner.client.data('GET', `/api/datasets/${dataset.id}`, {}, 'the owner reads back');
    const before = await read();
    const base = `/api/datasets/${dataset.id}`;
    await expectHidden(intruder.client, 'dataset (GET)', 'GET', base);
    await expectHidden(intruder.client, 'dataset (PUT)', 'PUT', base, {
      name: 'stolen',
      description: 'stolen',
      tags: ['stolen'],
    });
    await expectHidden(intruder.client, 'dataset (DELETE)', 'DELETE', base);
    await expectHidden(intruder.client, 'dataset (stats)', 'GET', `${base}/stats`);
    await expectHidden(intruder.client, 'dataset (validate)', 'POST', `${base}/validate`);
    await expectHidden(intruder.client, 'dataset (data)', 'GET', `${base}/data`);
    await expectHidden(intruder.client, 'dataset (export)', 'POST', `${base}/export`, { format: 'csv' });
    await expectHidden(
      intruder.client,
      'dataset (detector create on it)',
      'POST',
      `/api/detectors/create?dataset_id=${dataset.id}`,
      { name: 'x', algorithm: 'zscore', parameters: {}, feature_columns: ['a', 'b'] },
    );
    await expectHidden(intruder.client, 'dataset (experiment on it)', 'POST', '/api/experiments/create', {
      name: 'x',
      dataset_id: dataset.id,
      algorithms: [{ name: 'zscore', parameters: {} }],
    });
    await expectHidden(intruder.client, 'dataset (AutoML on it)', 'POST', '/api/autonomous/automl/start', {
      job_name: 'x',
      dataset_id: dataset.id,
      algorithms: ['zscore'],
      max_trials: 1,
      max_duration_minutes: 1,
    });
    const list = await intruder.client.data('GET', '/api/datasets', { query: { limit: 500 } }, 'list');
    expect(
      list.datasets.map((d: { id: string }) => d.id),
      "another user's dataset must not be in the intruder's list",
    ).not.toContain(dataset.id);
    expect(await read(), "the intruder's attempts must not change the owner's dataset").toEqual(before);
  });

  test("another analyst's detector: CRUD, train, predict and validate are 404", async ({ client }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const { dataset, detector } = await trainedDetectorOf(owner);
    const untrained = await owner.helper.createDetector(dataset.id, { algorithm: 'zscore', parameters: {} });
    const read = (id: string) =>
      owner.client.data('GET', `/api/detectors/${id}`, {}, 'the owner reads the detector back');
    const [trainedBefore, untrainedBefore] = [await read(detector.id), await read(untrained.id)];
    const base = `/api/detectors/${detector.id}`;
    await expectHidden(intruder.client, 'detector (GET)', 'GET', base);
    await expectHidden(intruder.client, 'detector (PUT)', 'PUT', base, {
      name: 'stolen',
      parameters: { threshold: 1 },
    });
    await expectHidden(intruder.client, 'detector (DELETE)', 'DELETE', base);
    await expectHidden(intruder.client, 'detector (train)', 'POST', `/api/detection/train/${untrained.id}`);
    await expectHidden(
      intruder.client,
      'detector (predict)',
      'POST',
      `/api/detection/predict/${detector.id}`,
      {
        data: [POINT],
      },
    );
    await expectHidden(
      intruder.client,
      'detector (validate)',
      'POST',
      `/api/detection/validate/${detector.id}`,
      {
        dataset_id: dataset.id,
      },
    );
    await expectHidden(intruder.client, 'detector (session on it)', 'POST', '/api/streaming/sessions', {
      name: 'x',
      detector_id: detector.id,
    });
    const list = await intruder.client.data('GET', '/api/detectors', { query: { limit: 500 } }, 'list');
    expect(
      list.detectors.map((d: { id: string }) => d.id),
      "another user's detector must not be in the intruder's list",
    ).not.toContain(detector.id);
    expect(await read(detector.id), "the owner's trained detector must be unchanged").toEqual(trainedBefore);
    expect(
      await read(untrained.id),
      "the owner's untrained detector must stay untrained (the intruder cannot train it)",
    ).toEqual(untrainedBefore);
  });

  test("another analyst's model: GET, register, promote and export are 404", async ({ client }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const { training } = await trainedDetectorOf(owner);
    const base = `/api/models/${training.model_id}`;
    const read = () => owner.client.data('GET', base, {}, 'the owner reads the model back');
    const before = await read();
    await expectHidden(intruder.client, 'model (GET)', 'GET', base);
    await expectHidden(intruder.client, 'model (register)', 'POST', `${base}/register`);
    await expectHidden(intruder.client, 'model (promote)', 'POST', `${base}/promote`, { stage: 'archived' });
    await expectHidden(intruder.client, 'model (promote to production)', 'POST', `${base}/promote`, {
      stage: 'production',
    });
    await expectHidden(intruder.client, 'model (export)', 'POST', `${base}/export`);
    expect(await read(), "the owner's model (stage, status) must be unchanged").toEqual(before);
  });

  test("another analyst's streaming session: every action, the socket and DELETE are 404", async ({
    client,
    stack,
  }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const { detector } = await trainedDetectorOf(owner);
    const session = await owner.helper.createSession(detector.id);
    const base = `/api/streaming/sessions/${session.id}`;
    const state = async () => {
      const s = await owner.client.data('GET', base, {}, 'the owner reads the session back');
      return { status: s.status, messages_processed: s.messages_processed, name: s.name };
    };
    const initial = { status: 'pending', messages_processed: 0, name: session.name };
    expect(await state(), 'a new session is pending').toEqual(initial);
    await expectHidden(intruder.client, 'session (GET)', 'GET', base);
    await expectHidden(intruder.client, 'session (metrics)', 'GET', `${base}/metrics`);
    await expectHidden(intruder.client, 'session (summary)', 'GET', `${base}/summary`);
    await expectHidden(intruder.client, 'session (alert rules)', 'GET', `${base}/alerts`);
    await expectHidden(intruder.client, 'session (alert rule create)', 'POST', `${base}/alerts`, {
      name: 'stolen',
      threshold_value: 0.5,
      severity: 'high',
    });
    await expectHidden(intruder.client, 'session (start)', 'POST', `${base}/start`);
    expect(await state(), 'the intruder must not start the owner’s session').toEqual(initial);

    await owner.helper.sessionAction(session.id, 'start');
    const active = { ...initial, status: 'active' };
    await expectHidden(intruder.client, 'session (process)', 'POST', `${base}/process`, { data: POINT });
    await expectHidden(intruder.client, 'session (pause)', 'POST', `${base}/pause`);
    expect(await state(), 'the intruder must not pause or feed the owner’s session').toEqual(active);
    const upgrade = await LiveSocket.upgradeStatus(
      `${stack.wsUrl}${base}/live`,
      intruder.client.authHeaders(),
    );
    expect(upgrade, "another user's session (live socket) must be refused at the upgrade with 404").toBe(404);

    await owner.helper.sessionAction(session.id, 'pause');
    const paused = { ...initial, status: 'paused' };
    await expectHidden(intruder.client, 'session (resume)', 'POST', `${base}/resume`);
    await expectHidden(intruder.client, 'session (stop)', 'POST', `${base}/stop`);
    await expectHidden(intruder.client, 'session (DELETE)', 'DELETE', base);
    expect(await state(), 'the intruder must not resume, stop or delete the owner’s session').toEqual(paused);
    const rules = await owner.client.data('GET', `${base}/alerts`, {}, 'the owner lists alert rules');
    expect(rules.alert_rules, 'the intruder must not add alert rules to the owner’s session').toEqual([]);
    const list = await intruder.client.data(
      'GET',
      '/api/streaming/sessions',
      { query: { limit: 500 } },
      'list',
    );
    expect(
      list.sessions.map((s: { id: string }) => s.id),
      "another user's session must not be in the intruder's list",
    ).not.toContain(session.id);
  });

  test("another analyst's experiment: GET, metadata, export, cancel, results, comparison, history, run and DELETE are 404", async ({
    client,
  }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const dataset = await owner.helper.uploadSampleDataset();
    const experiment = await owner.helper.createExperiment(dataset.id, [{ name: 'zscore' }]);
    const base = `/api/experiments/${experiment.id}`;
    const read = async () => {
      const list = await owner.client.data('GET', '/api/experiments', { query: { limit: 500 } }, 'list');
      return list.experiments.find((e: { id: string }) => e.id === experiment.id);
    };
    const before = await read();
    expect(before?.status, 'the owner lists a created experiment').toBe('created');
    await expectHidden(intruder.client, 'experiment (GET)', 'GET', base);
    await expectHidden(intruder.client, 'experiment (metadata)', 'PUT', `${base}/metadata`, {
      metadata: { stolen: true },
    });
    await expectHidden(intruder.client, 'experiment (export)', 'POST', `${base}/export`, { format: 'json' });
    await expectHidden(intruder.client, 'experiment (cancel)', 'POST', `${base}/cancel`);
    await expectHidden(intruder.client, 'experiment (results)', 'GET', `${base}/results`);
    await expectHidden(intruder.client, 'experiment (comparison)', 'GET', `${base}/comparison`);
    await expectHidden(intruder.client, 'experiment (history)', 'GET', `${base}/history`);
    await expectHidden(intruder.client, 'experiment (run)', 'POST', `${base}/run`);
    await expectHidden(intruder.client, 'experiment (DELETE)', 'DELETE', base);
    const list = await intruder.client.data('GET', '/api/experiments', { query: { limit: 500 } }, 'list');
    expect(
      list.experiments.map((e: { id: string }) => e.id),
      "another user's experiment must not be in the intruder's list",
    ).not.toContain(experiment.id);
    expect(await read(), "the intruder must not run or delete the owner's experiment").toEqual(before);
  });

  test("another analyst's AutoML job: status, results, deploy and cancel are 404", async ({ client }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const dataset = await owner.helper.uploadSampleDataset();
    const job = await owner.client.data(
      'POST',
      '/api/autonomous/automl/start',
      {
        json: {
          job_name: owner.helper.name('automl'),
          dataset_id: dataset.id,
          algorithms: ['zscore'],
          max_trials: 1,
          max_duration_minutes: 1,
        },
        expected: 201,
      },
      'the owner starts an AutoML job',
    );
    const base = `/api/autonomous/automl/${job.id}`;
    await expectHidden(intruder.client, 'AutoML job (status)', 'GET', `${base}/status`);
    await expectHidden(intruder.client, 'AutoML job (results)', 'GET', `${base}/results`);
    await expectHidden(intruder.client, 'AutoML job (deploy)', 'POST', `${base}/deploy`, {
      model_name: 'stolen',
    });
    await expectHidden(intruder.client, 'AutoML job (cancel)', 'POST', `${base}/cancel`);
    const own = await owner.client.data('GET', `${base}/status`, {}, 'the owner reads the job status');
    expect(own.id ?? job.id, 'the owner sees their own job').toBe(job.id);
    expect(own.status, 'the intruder must not cancel the owner’s job').not.toBe('cancelled');
  });

  test("another analyst's events: acknowledge and resolve are 404, queries show only one's own", async ({
    client,
  }) => {
    const [owner, intruder] = await ownerAndIntruder(client);
    const create = (user: TestUser) =>
      user.client.data(
        'POST',
        '/api/events/create',
        {
          json: { event_type: 'anomaly_detected', title: user.helper.name('event'), anomaly_score: 0.95 },
          expected: 201,
        },
        'creating an event',
      );
    const [ownerEvent, intruderEvent] = [await create(owner), await create(intruder)];
    await expectHidden(
      intruder.client,
      'event (acknowledge)',
      'POST',
      `/api/events/${ownerEvent.id}/acknowledge`,
      {},
    );
    await expectHidden(
      intruder.client,
      'event (resolve)',
      'POST',
      `/api/events/${ownerEvent.id}/resolve`,
      {},
    );
    const query = (user: TestUser) =>
      user.client.data('POST', '/api/events/query', { json: { limit: 500 } }, 'event query');
    const ownerView = await query(owner);
    const stored = ownerView.events.find((e: { id: string }) => e.id === ownerEvent.id);
    expect(
      { status: stored?.status, acknowledged_by: stored?.acknowledged_by, resolved_by: stored?.resolved_by },
      "the intruder must not acknowledge or resolve the owner's event",
    ).toEqual({ status: 'open', acknowledged_by: null, resolved_by: null });
    expect(
      ownerView.events.map((e: { id: string }) => e.id),
      'an event query returns only the caller’s own events (owner)',
    ).toEqual([ownerEvent.id]);
    expect(
      (await query(intruder)).events.map((e: { id: string }) => e.id),
      'an event query returns only the caller’s own events (intruder)',
    ).toEqual([intruderEvent.id]);
    const summary = await intruder.client.data('GET', '/api/events/summary', {}, 'event summary');
    expect(summary.total_events, 'the event summary counts only the caller’s own events').toBe(1);
  });

  test('acknowledged_by and resolved_by name the caller, not what the body claims', async ({ client }) => {
    const [owner] = await ownerAndIntruder(client);
    const event = await owner.client.data(
      'POST',
      '/api/events/create',
      { json: { event_type: 'anomaly_detected', title: owner.helper.name('event') }, expected: 201 },
      'creating an event',
    );
    const acked = await owner.client.data(
      'POST',
      `/api/events/${event.id}/acknowledge`,
      { json: { by: 'someone-else' } },
      'acknowledge',
    );
    expect(acked.acknowledged_by, 'acknowledged_by must be the caller, not the body’s "by"').toBe(
      owner.username,
    );
    const resolved = await owner.client.data(
      'POST',
      `/api/events/${event.id}/resolve`,
      { json: { by: 'someone-else' } },
      'resolve',
    );
    expect(resolved.resolved_by, 'resolved_by must be the caller, not the body’s "by"').toBe(owner.username);
  });
});
