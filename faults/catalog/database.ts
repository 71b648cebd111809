import type { Fault } from '../fault.ts';

/** Faults the database suite must catch. */
export const FAULTS: readonly Fault[] = [
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
];
