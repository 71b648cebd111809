import type { Fault } from '../fault.ts';

/** Faults the api-workflows suite must catch. */
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
];
