import { describe, expect, test } from 'vitest';
import { planTrials } from '../../src/services/automl.ts';
import { foldAssignment } from '../../src/services/cross-validation.ts';
import { labelColumn, numericColumns, pointsMatrix } from '../../src/services/features.ts';
import { SessionQueues } from '../../src/services/streaming.ts';
import { StreamingHub } from '../../src/services/streaming-hub.ts';

describe('foldAssignment', () => {
  test('stratified: every fold gets its share of each class, reproducibly', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const folds = foldAssignment(labels, 3, 42);
    expect(foldAssignment(labels, 3, 42)).toEqual(folds);
    for (let f = 0; f < 3; f++) {
      const members = folds.map((x, i) => [x, i] as const).filter(([x]) => x === f);
      const anomalies = members.filter(([, i]) => labels[i] === 1).length;
      expect(anomalies).toBeGreaterThanOrEqual(3);
      expect(members.length).toBeGreaterThanOrEqual(33);
    }
  });
});

describe('planTrials', () => {
  test('tries every algorithm first, then random configurations, never more than max_trials', () => {
    const plan = planTrials(['isolation_forest', 'zscore', 'hbos'], 6, 42, 0.05);
    expect(plan).toHaveLength(6);
    expect(plan.slice(0, 3).map((p) => p.algorithm)).toEqual(['isolation_forest', 'zscore', 'hbos']);
    for (const p of plan) expect(['isolation_forest', 'zscore', 'hbos']).toContain(p.algorithm);
    for (const p of plan) expect(p.parameters.contamination).toBe(0.05);
    expect(planTrials(['isolation_forest', 'zscore', 'hbos'], 6, 42, 0.05)).toEqual(plan);
  });
});

describe('features', () => {
  const columns = ['f1', 'f2', 'label', 'note'];
  const rows = [
    [1, 2, 0, 'a'],
    [3, null, 1, 'b'],
  ];

  test('label column: declared, else a binary column with a conventional name', () => {
    expect(labelColumn(columns, rows, null)).toBe('label');
    expect(labelColumn(columns, rows, 'f1')).toBe('f1');
    expect(labelColumn(['x', 'label'], [[1, 7]], null)).toBeNull();
  });

  test('numeric columns exclude the label and text columns', () => {
    expect(numericColumns(columns, rows, 'label')).toEqual(['f1', 'f2']);
  });

  test('points become a matrix in feature order; missing or text features are 422', () => {
    expect(pointsMatrix([{ b: 2, a: 1 }], ['a', 'b'])).toEqual([[1, 2]]);
    expect(() => pointsMatrix([{ a: 1 }], ['a', 'b'])).toThrow(/missing feature "b"/);
    expect(() => pointsMatrix([{ a: 'x', b: 1 }], ['a', 'b'])).toThrow(/finite number/);
  });
});

describe('streaming', () => {
  test('work of one session runs in order even when earlier work is slower', async () => {
    const queues = new SessionQueues();
    const done: number[] = [];
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all([
      queues.run('s', async () => {
        await wait(20);
        done.push(1);
      }),
      queues
        .run('s', async () => {
          throw new Error('a failure does not block the queue');
        })
        .catch(() => done.push(2)),
      queues.run('s', async () => {
        done.push(3);
      }),
    ]);
    expect(done).toEqual([1, 2, 3]);
  });

  test('without Redis the hub delivers frames locally, only to watchers of that session', async () => {
    const hub = new StreamingHub(null, null);
    const received: string[] = [];
    const other: string[] = [];
    const stop = hub.watch('a', { readyState: 1, send: (m) => received.push(m) });
    hub.watch('b', { readyState: 1, send: (m) => other.push(m) });
    await hub.publish('a', [
      { type: 'score', payload: { sequence: 1 } },
      { type: 'alert', payload: { sequence: 1 } },
    ]);
    expect(received.map((m) => JSON.parse(m).type)).toEqual(['score', 'alert']);
    expect(other).toEqual([]);
    stop();
    await hub.publish('a', [{ type: 'score', payload: {} }]);
    expect(received).toHaveLength(2);
  });
});
