import type { Fault } from '../fault.ts';

/** Faults the performance suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'perf-predict-busy-wait-50ms',
    suite: 'performance',
    file: 'routes/detection.ts',
    find: 'const predictions =\n        X.length >= OFFLOAD_PREDICT_ROWS',
    replace:
      'const busyUntil = Date.now() + 50;\n      while (Date.now() < busyUntil);\n      const predictions =\n        X.length >= OFFLOAD_PREDICT_ROWS',
    why: 'predict blocks the event loop for 50 ms per request',
    expect: 'predict: throughput below the floor',
  },
  {
    name: 'perf-predict-quadratic',
    suite: 'performance',
    file: 'routes/detection.ts',
    find: '          : model.predict(X);',
    // Same answers (in-process batches), but each row is scored with every row before it: O(n²).
    replace: '          : X.map((_, i) => model.predict(X.slice(0, i + 1))[i]);',
    why: 'predict cost grows with the square of the batch size',
    expect: 'predict: a row must cost the same in a large batch as in a small one',
  },
  {
    name: 'perf-predict-query-per-row',
    suite: 'performance',
    file: 'routes/detection.ts',
    find: 'await recordEvents(app.db, events);',
    replace:
      "for (const _point of points) await app.db.query('SELECT 1');\n      await recordEvents(app.db, events);",
    why: 'predict awaits one database round-trip per row of the batch',
    expect: 'predict: a row must not cost a database round-trip',
  },
  {
    name: 'perf-upload-query-per-row',
    suite: 'performance',
    file: 'db/repositories/datasets.ts',
    find: "    await client.query('INSERT INTO dataset_data (dataset_id, rows) VALUES ($1, $2)', [",
    replace:
      "    for (const _row of input.rows) await client.query('SELECT 1');\n    await client.query('INSERT INTO dataset_data (dataset_id, rows) VALUES ($1, $2)', [",
    why: 'upload awaits one database round-trip per CSV row',
    expect: 'upload: a row must not cost a database round-trip',
    // Part of the CI subset (fault-check --ci).
    ci: true,
  },
];
