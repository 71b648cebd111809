/**
 * Faults planted on purpose in a throwaway copy of the reference service (containers/pynomaly)
 * to prove each suite goes red when the service is wrong. scripts/fault-check.ts applies one at a
 * time, builds an image from the broken copy and runs `suite` against it: the fault is caught
 * when that suite fails (exit code 1).
 */
import type { SuiteName } from '../src/orchestrator/suites/catalog.ts';

export interface Fault {
  /** Short kebab-case name; also the image name pynomaly-it-fault/<name>. */
  name: string;
  /** The suite that must go red. */
  suite: SuiteName;
  /** Path under containers/pynomaly/src. */
  file: string;
  /** Exact text that occurs exactly once in `file`. */
  find: string;
  replace: string;
  /** What the fault breaks, in the service's terms. */
  why: string;
  /** Run the suite with --auth (the fault is only visible with authentication on). */
  auth?: boolean;
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'api-score-inverted',
    suite: 'api-workflows',
    file: 'algorithms/decision.ts',
    find: 'return { anomaly_score: score, is_anomaly: isAnomaly, confidence };',
    replace: 'return { anomaly_score: 1 - score, is_anomaly: isAnomaly, confidence };',
    why: 'predict answers 1 - score: anomalies score lower than normal points',
  },
  {
    name: 'api-best-algorithm-worst',
    suite: 'api-workflows',
    file: 'services/experiment-runner.ts',
    find: '(r.metrics[metric] ?? -1) > (best.metrics[metric] ?? -1)',
    replace: '(r.metrics[metric] ?? -1) < (best.metrics[metric] ?? -1)',
    why: "an experiment's best_algorithm is the one with the worst metric",
  },
  {
    name: 'db-detector-update-drops-description',
    suite: 'database',
    file: 'db/repositories/detectors.ts',
    find: 'description = COALESCE($4, description)',
    // $4 stays referenced (with a type) so the statement still prepares; its value is never written.
    replace: 'description = CASE WHEN $4::text IS NULL THEN description ELSE description END',
    why: 'PUT /api/detectors/{id} answers 200 but never writes the description column',
  },
  {
    name: 'db-event-insert-drops-anomaly-score',
    suite: 'database',
    file: 'db/repositories/events.ts',
    find: 'events.map((e) => e.anomalyScore),',
    replace: 'events.map(() => null),',
    why: 'the events INSERT writes NULL into anomaly_score instead of the detection score',
  },
  {
    name: 'db-health-ignores-redis',
    suite: 'database',
    file: 'routes/meta.ts',
    find: "database.status !== 'healthy' ? 'unhealthy' : redis.status !== 'healthy' ? 'degraded' : 'healthy';",
    replace: "database.status !== 'healthy' ? 'unhealthy' : 'healthy';",
    why: 'GET /api/health says healthy while Redis is down',
  },
  {
    name: 'stream-drop-every-fifth-score',
    suite: 'streaming',
    file: 'services/streaming.ts',
    find: "frames.push({ type: 'score', payload: { ...scored, point: points[i] } });",
    replace:
      "if (scored.sequence % 5 !== 0) frames.push({ type: 'score', payload: { ...scored, point: points[i] } });",
    why: 'every fifth point of a session is scored but its score frame never reaches the socket',
  },
  {
    name: 'stream-batch-reversed',
    suite: 'streaming',
    file: 'services/streaming.ts',
    find: 'await ctx.hub.publish(session.id, frames);',
    replace: 'await ctx.hub.publish(session.id, [...frames].reverse());',
    why: 'the frames of a batch of points are published in reverse order',
  },
  {
    name: 'perf-predict-busy-wait-50ms',
    suite: 'performance',
    file: 'routes/detection.ts',
    find: 'const predictions = model.predict(X);',
    replace:
      'const busyUntil = Date.now() + 50;\n        while (Date.now() < busyUntil);\n        const predictions = model.predict(X);',
    why: 'predict blocks the event loop for 50 ms per request',
  },
  {
    name: 'sec-viewer-can-write',
    suite: 'security',
    file: 'auth/authenticate.ts',
    find: "if (request.caller.role === 'viewer' && ",
    replace: "if (request.caller.role === ('nobody' as string) && ",
    why: 'the read-only check of the viewer role is skipped: viewers may write',
    auth: true,
  },
  {
    name: 'sec-logout-not-revoking',
    suite: 'security',
    file: 'auth/authenticate.ts',
    find: "if (await isTokenRevoked(ctx.db, claims.jti)) throw unauthorized('The token was revoked (logged out)');",
    replace: 'void isTokenRevoked;',
    why: 'the revoked-token check is skipped: a token keeps working after logout',
    auth: true,
  },
  {
    name: 'sec-no-frame-options',
    suite: 'security',
    file: 'app.ts',
    find: "frameguard: { action: 'deny' },",
    replace: 'frameguard: false,',
    why: 'responses lose the X-Frame-Options: DENY header',
  },
  {
    name: 'e2e-anomaly-flags-inverted',
    suite: 'end-to-end',
    file: 'algorithms/decision.ts',
    find: 'const isAnomaly = score > threshold;',
    replace: 'const isAnomaly = score <= threshold;',
    why: 'is_anomaly is flipped: normal points are flagged and anomalies pass',
  },
  {
    name: 'e2e-predict-events-not-stored',
    suite: 'end-to-end',
    file: 'routes/detection.ts',
    find: 'await insertEvents(ctx.db, events);',
    replace: 'void insertEvents;',
    why: 'anomalies found by predict never become events, so monitoring sees nothing',
  },
  {
    name: 'reg-format-v1-dropped',
    suite: 'regression',
    file: 'algorithms/documents.ts',
    find: 'export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2];',
    replace: 'export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [2];',
    why: 'model documents of format_version 1 are no longer importable',
  },
  {
    name: 'reg-timestamp-not-iso',
    suite: 'regression',
    file: 'services/streaming.ts',
    find: 'const timestamp = new Date().toISOString();',
    replace: 'const timestamp = new Date().toUTCString();',
    why: 'streaming score timestamps change format from ISO 8601 to an HTTP date',
  },
];
