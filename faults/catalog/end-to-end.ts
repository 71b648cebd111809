import type { Fault } from '../fault.ts';

/** Faults the end-to-end suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'e2e-anomaly-flags-inverted',
    suite: 'end-to-end',
    file: 'algorithms/decision.ts',
    find: 'const isAnomaly = score > threshold;',
    replace: 'const isAnomaly = score <= threshold;',
    why: 'is_anomaly is flipped: normal points are flagged and anomalies pass',
    expect: 'must catch ≥ 80% of the anomalies',
  },
  {
    name: 'e2e-predict-events-not-stored',
    suite: 'end-to-end',
    file: 'routes/detection.ts',
    find: 'await recordEvents(app.db, events);',
    replace: 'void recordEvents;',
    why: 'anomalies found by predict never become events, so monitoring sees nothing',
    expect: 'one event per flagged row',
    // Part of the CI subset (fault-check --ci).
    ci: true,
  },
  {
    name: 'e2e-predict-events-without-detector',
    suite: 'end-to-end',
    file: 'routes/detection.ts',
    find: '{ detectorId: detector.id, sessionId: null, detectorName: detector.name },',
    replace: '{ detectorId: null, sessionId: null, detectorName: detector.name },',
    why: 'events of predict are stored without their detector, so monitoring per detector sees nothing',
    expect: 'one event per flagged row',
  },
  {
    name: 'e2e-stream-events-without-session',
    suite: 'end-to-end',
    file: 'services/anomaly-events.ts',
    find: 'sessionId: source.sessionId,',
    replace: 'sessionId: null,',
    why: 'anomalies of a streaming session are stored as events without the session id',
    expect: 'every alert must be a stored event of the session',
  },
  {
    name: 'e2e-acknowledge-resolves',
    suite: 'end-to-end',
    file: 'db/repositories/events.ts',
    find: "ELSE 'acknowledged' END",
    replace: "ELSE 'resolved' END",
    why: 'acknowledging an event resolves it',
    expect: 'acknowledge answers the event, acknowledged',
  },
  {
    name: 'e2e-summary-anomalies-wrong',
    suite: 'end-to-end',
    file: 'routes/streaming.ts',
    find: 'anomalies_detected: session.anomalies_detected,',
    replace: 'anomalies_detected: session.messages_processed,',
    why: 'the session summary reports every processed reading as an anomaly',
    expect: 'the session summary after',
  },
];
