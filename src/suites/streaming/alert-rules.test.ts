/**
 * streaming / alert rules of a session (POST /api/streaming/sessions/{id}/alerts) and the alert
 * frames they shape (service README, "Contract interpretations").
 *
 * Faults this file catches:
 * - a rule not stored as asked, or answered with another status or body (stream-alert-rule-severity-stored-low)
 * - alert frames ignoring the rules: sent for points under the threshold, missing for points at or
 *   over it (stream-alert-rule-threshold-exclusive), or without the rule's severity and channel
 *   (stream-alert-rule-severity-ignored)
 * - one session's rules shaping another session's alerts
 * - bad rules stored, unknown sessions accepted
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectStatus } from '../fixtures/http-client.ts';
import { sensorDetector } from '../fixtures/sensor-detector.ts';
import { expectPointFrames } from '../fixtures/stream-checks.ts';
import { test } from '../fixtures/test.ts';
import { UUID } from '../fixtures/uuid.ts';
import { type AlertPayload, LiveSocket } from '../fixtures/ws-client.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('streaming alert rules', { tags: ['streaming', 'integration'] }, () => {
  const db = useServiceDatabase();

  test('anomaly_score rules replace the default alerts: one alert per rule a score reaches, with its severity and channel', async ({
    helper,
    client,
    stack,
  }) => {
    const { detectorId, points } = await sensorDetector(helper);
    // Readings around the start of the sensor event: low and high scores mixed.
    const sent = points.slice(30, 60);
    const predicted = await helper.predict(detectorId, sent);
    const distinct = [...new Set(predicted.map((p) => p.anomaly_score))].sort((a, b) => a - b);
    expect(distinct.length, 'the readings must have at least 6 different scores').toBeGreaterThanOrEqual(6);
    // Thresholds equal to real scores: a score exactly at a ">=" threshold must fire.
    const low = distinct[Math.floor(distinct.length / 3)];
    const high = distinct[Math.floor((2 * distinct.length) / 3)];
    // The sentinel (a barrier point sent last) is the batch's lowest-scoring reading: no rule fires for it.
    const lowest = predicted.reduce((m, p, i) => (p.anomaly_score < predicted[m].anomaly_score ? i : m), 0);
    expect(predicted[lowest].is_anomaly, 'the lowest-scoring reading must be normal').toBe(false);
    const sentinel = sent[lowest];

    const session = await helper.startSession(detectorId);
    const neighbour = await helper.startSession(detectorId);
    const rulesIn = [
      {
        name: helper.name('watch'),
        metric_name: 'anomaly_score',
        threshold_value: low,
        comparison_operator: '>=',
        severity: 'low',
        notification_channels: ['email'],
      },
      {
        name: helper.name('page'),
        threshold_value: high,
        severity: 'critical',
        notification_channels: ['pager', 'slack'],
        duration_threshold_minutes: 1.5,
      },
      // Upstream's own example: a rate rule is stored but shapes no frame.
      {
        name: 'High Error Rate Alert',
        metric_name: 'error_rate',
        threshold_value: 0.1,
        comparison_operator: '>',
        severity: 'high',
        duration_threshold_minutes: 1.0,
        notification_channels: ['email'],
      },
    ];
    const created: { id: string; created_at: string; [field: string]: unknown }[] = [];
    for (const rule of rulesIn) {
      const res = await client.post(`/api/streaming/sessions/${session.id}/alerts`, rule);
      expectStatus(res, 201, 'creating an alert rule answers 201');
      created.push(res.body.data);
    }
    const expectedRules = rulesIn.map((r) => ({
      session_id: session.id,
      name: r.name,
      metric_name: r.metric_name ?? 'anomaly_score',
      threshold_value: r.threshold_value,
      comparison_operator: r.comparison_operator ?? '>=',
      severity: r.severity,
      notification_channels: r.notification_channels,
      duration_threshold_minutes: r.duration_threshold_minutes ?? null,
    }));
    expect(
      created.map(({ id: _id, created_at: _at, ...rest }) => rest),
      'a created rule echoes its session, name, metric (default anomaly_score), threshold, operator (default >=), severity, channels and duration',
    ).toEqual(expectedRules);
    expect(
      created.map((r) => UUID.test(r.id) && !Number.isNaN(Date.parse(r.created_at))),
      'a created rule has a UUID id and a created_at',
    ).toEqual([true, true, true]);
    expect(
      await db.alertRulesOfSession(session.id),
      'the rules must be stored for the session, in the order created',
    ).toEqual(expectedRules.map((r, i) => ({ id: created[i].id, ...r })));
    expect(await db.alertRulesOfSession(neighbour.id), 'the neighbour session has no rules').toEqual([]);
    const listed = await client.data(
      'GET',
      `/api/streaming/sessions/${session.id}/alerts`,
      { expected: 200 },
      'list the rules of a session',
    );
    expect(listed.alert_rules, 'GET …/alerts lists the rules as created').toEqual(created);

    const [sessionLive, neighbourLive] = await Promise.all([
      LiveSocket.open(stack.wsUrl, session.id, helper.client),
      LiveSocket.open(stack.wsUrl, neighbour.id, helper.client),
    ]);
    try {
      await sessionLive.waitForCount('connected', 1, 'connected frame');
      await neighbourLive.waitForCount('connected', 1, 'connected frame (neighbour)');
      sessionLive.send({ type: 'points', payload: sent });
      neighbourLive.send({ type: 'points', payload: sent });
      // Barrier: a REST point after the batch; its score frame comes after every frame of the batch.
      await helper.processPoint(session.id, sentinel);
      await sessionLive.waitForScores(sent.length + 1, 'the batch and the sentinel point scored');
      await neighbourLive.waitForScores(sent.length, 'the neighbour’s batch scored');

      const batchAlerts = sessionLive
        .alerts()
        .filter((a) => a.sequence <= sent.length)
        .map((a: AlertPayload) => ({
          sequence: a.sequence,
          anomaly_score: a.anomaly_score,
          rule_id: a.rule_id,
          rule_name: a.rule_name,
          severity: a.severity,
          notification_channels: a.notification_channels,
          channel: a.channel,
          point: a.point,
        }));
      const fired = (i: number) =>
        [0, 1]
          .filter((r) => predicted[i].anomaly_score >= rulesIn[r].threshold_value)
          .map((r) => ({
            sequence: i + 1,
            anomaly_score: predicted[i].anomaly_score,
            rule_id: created[r].id,
            rule_name: rulesIn[r].name,
            severity: rulesIn[r].severity,
            notification_channels: rulesIn[r].notification_channels,
            channel: rulesIn[r].notification_channels[0],
            point: sent[i],
          }));
      expect(
        batchAlerts,
        'with anomaly_score rules, a point gets one alert per rule whose threshold its score reaches (>=), in rule order, carrying the rule’s id, name, severity and channels — and no other alert',
      ).toEqual(sent.flatMap((_, i) => fired(i)));
      expect(
        batchAlerts.some((a) => a.anomaly_score === low) && batchAlerts.some((a) => a.anomaly_score === high),
        'scores exactly at a threshold must fire',
      ).toBe(true);
      const kinds = sessionLive.frames
        .filter((f) => (f.type === 'score' || f.type === 'alert') && f.payload.sequence <= sent.length)
        .map((f) => `${f.type}:${f.payload.sequence}`);
      expect(kinds, 'a point’s alerts directly follow its score frame').toEqual(
        sent.flatMap((_, i) => [`score:${i + 1}`, ...fired(i).map(() => `alert:${i + 1}`)]),
      );

      // The neighbour has no rules: the default, one alert per anomaly with the severity of its score.
      expectPointFrames(
        neighbourLive.frames,
        neighbour.id,
        predicted.map((p, i) => ({ ...p, point: sent[i] })),
      );
    } finally {
      await Promise.all([sessionLive.close(), neighbourLive.close()]);
    }
  });

  test('bad rules are refused with 422 and stored nowhere; an unknown session is 404', async ({
    helper,
    client,
  }) => {
    const { detectorId } = await sensorDetector(helper);
    const session = await helper.createSession(detectorId);
    const path = `/api/streaming/sessions/${session.id}/alerts`;
    const good = { name: helper.name('rule'), threshold_value: 0.8, severity: 'high' };
    const bad: [string, Record<string, unknown>][] = [
      ['no threshold', { name: good.name, severity: 'high' }],
      ['a non-numeric threshold', { ...good, threshold_value: 'high' }],
      ['an unknown severity', { ...good, severity: 'apocalyptic' }],
      ['an unknown metric', { ...good, metric_name: 'cpu_temperature' }],
      ['an unknown operator', { ...good, comparison_operator: '=~' }],
      ['an empty name', { ...good, name: '' }],
      ['channels that are not strings', { ...good, notification_channels: [{ to: 'ops' }] }],
    ];
    for (const [what, body] of bad) {
      const res = await client.post(path, body);
      expectStatus(res, 422, `a rule with ${what} must be refused`);
      expect(res.body.error?.code, `a rule with ${what}: VALIDATION_ERROR`).toBe('VALIDATION_ERROR');
    }
    expect(await db.alertRulesOfSession(session.id), 'no refused rule may be stored').toEqual([]);
    const unknown = await client.post(`/api/streaming/sessions/${UNKNOWN}/alerts`, good);
    expectStatus(unknown, 404, 'a rule for an unknown session');
    expect(unknown.body.error?.code, 'a rule for an unknown session: NOT_FOUND').toBe('NOT_FOUND');
    expectStatus(
      await client.get(`/api/streaming/sessions/${UNKNOWN}/alerts`),
      404,
      'the rules of an unknown session',
    );
  });
});
