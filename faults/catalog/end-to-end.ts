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
  },
  {
    name: 'e2e-predict-events-not-stored',
    suite: 'end-to-end',
    file: 'routes/detection.ts',
    find: 'await insertEvents(ctx.db, events);',
    replace: 'void insertEvents;',
    why: 'anomalies found by predict never become events, so monitoring sees nothing',
  },
];
