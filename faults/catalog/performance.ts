import type { Fault } from '../fault.ts';

/** Faults the performance suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'perf-predict-busy-wait-50ms',
    suite: 'performance',
    file: 'routes/detection.ts',
    find: 'const predictions = model.predict(X);',
    replace:
      'const busyUntil = Date.now() + 50;\n        while (Date.now() < busyUntil);\n        const predictions = model.predict(X);',
    why: 'predict blocks the event loop for 50 ms per request',
  },
];
