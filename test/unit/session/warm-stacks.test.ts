import { describe, expect, test } from 'vitest';
import { expandJobs } from '../../../src/orchestrator/scheduler/jobs.ts';
import { dispatchOrder } from '../../../src/orchestrator/scheduler/schedule.ts';
import type { SuiteJob } from '../../../src/orchestrator/scheduler/types.ts';
import { WarmStacks } from '../../../src/orchestrator/session/warm-stacks.ts';
import type { RunningStack } from '../../../src/orchestrator/stack/types.ts';
import { selectSuites } from '../../../src/orchestrator/suites/select.ts';

/** Starts record which job's stack was asked for; each stack is a distinct object. */
function recorder() {
  const started: string[] = [];
  const start = async (job: SuiteJob) => {
    started.push(job.id);
    return { id: job.id } as unknown as RunningStack;
  };
  return { started, start };
}

const jobs = () => expandJobs(selectSuites([], []).suites, 1);

describe('WarmStacks', () => {
  test('a job gets the stack started ahead for it, not a second one', async () => {
    const [a, b, c] = jobs();
    const r = recorder();
    const pool = new WarmStacks([a, b, c], 1, r.start);
    expect(pool.take(a).warm).toBe(false);
    pool.prepareNext();
    expect(r.started).toEqual([a.id, b.id]);
    const taken = pool.take(b);
    expect(taken.warm).toBe(true);
    expect(await taken.stack).toEqual({ id: b.id });
    expect(r.started).toEqual([a.id, b.id]);
  });

  test('at most `ahead` wait at once, in dispatch order, skipping jobs already taken', () => {
    const [a, b, c, d] = jobs();
    const r = recorder();
    const pool = new WarmStacks([a, b, c, d], 2, r.start);
    pool.take(a);
    pool.take(b);
    pool.prepareNext();
    pool.prepareNext();
    expect(r.started).toEqual([a.id, b.id, c.id, d.id]);
    expect(pool.waiting.map((j) => j.id)).toEqual([c.id, d.id]);
  });

  test('0 ahead: every job starts its own when it is dispatched', () => {
    const [a, b] = jobs();
    const r = recorder();
    const pool = new WarmStacks([a, b], 0, r.start);
    pool.take(a);
    pool.prepareNext();
    expect(r.started).toEqual([a.id]);
    expect(pool.take(b).warm).toBe(false);
    expect(r.started).toEqual([a.id, b.id]);
  });

  test('a stack that fails to start ahead fails the job that takes it, and nothing before', async () => {
    const [a, b] = jobs();
    const pool = new WarmStacks([a, b], 1, async (job) => {
      if (job === b) throw new Error('no room');
      return {} as RunningStack;
    });
    pool.take(a);
    pool.prepareNext();
    await Promise.resolve();
    await expect(pool.take(b).stack).rejects.toThrow('no room');
  });
});

describe('dispatchOrder', () => {
  test('shared jobs longest expected first, exclusive ones (performance) last', () => {
    const expected: Record<string, number> = { security: 50, 'api-workflows': 40, database: 10 };
    const { shared, exclusive } = dispatchOrder(jobs(), (j) => expected[j.id] ?? 0);
    expect(shared.slice(0, 3).map((j) => j.id)).toEqual(['security', 'api-workflows', 'database']);
    expect(exclusive.map((j) => j.suite.name)).toEqual(['performance']);
    expect(shared.some((j) => j.suite.exclusive)).toBe(false);
  });
});
