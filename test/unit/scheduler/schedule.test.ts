import { describe, expect, test } from 'vitest';
import { expandJobs } from '../../../src/orchestrator/scheduler/jobs.ts';
import { schedule } from '../../../src/orchestrator/scheduler/schedule.ts';
import type { SuiteJob, SuiteResult, SuiteStatus } from '../../../src/orchestrator/scheduler/types.ts';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import { parseSuiteNames, selectSuites } from '../../../src/orchestrator/suites/select.ts';

const result = (job: SuiteJob, status: SuiteStatus): SuiteResult => ({
  job,
  status,
  durationMs: 0,
  phases: {},
  tests: [],
  dir: job.id,
  logFiles: [],
});

/** A fake runSuite: records concurrency, finishes when told to (or after a tick). */
function harness(outcome: (job: SuiteJob) => SuiteStatus = () => 'passed', delay = (_job: SuiteJob) => 5) {
  const running = new Set<string>();
  const log: { event: 'start' | 'end'; id: string; concurrent: string[] }[] = [];
  let max = 0;
  const runJob = async (job: SuiteJob, signal: AbortSignal) => {
    running.add(job.id);
    max = Math.max(max, running.size);
    log.push({ event: 'start', id: job.id, concurrent: [...running] });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay(job));
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    running.delete(job.id);
    log.push({ event: 'end', id: job.id, concurrent: [...running] });
    return result(job, signal.aborted ? 'interrupted' : outcome(job));
  };
  return { runJob, log, max: () => max };
}

const all = () => expandJobs(selectSuites([], []).suites, 1);
const notRun = (job: SuiteJob, reason: string) => ({ ...result(job, 'not_run'), error: reason });

describe('schedule', () => {
  test.each([1, 2, 3, 6])('never more than --parallel=%i at once, and uses the slots', async (parallel) => {
    const h = harness();
    const results = await schedule(all(), {
      parallel,
      failFast: false,
      runJob: h.runJob,
      signal: new AbortController().signal,
      notRun,
    });
    expect(h.max()).toBe(Math.min(parallel, 6));
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('passed'));
    expect(results.map((r) => r.job.id)).toEqual(all().map((j) => j.id));
  });

  test('longest expected first; each job is told its lane, fewer lanes than --parallel', async () => {
    const h = harness();
    const slots = new Map<string, number>();
    const seconds: Record<string, number> = { security: 150, regression: 68, database: 10 };
    await schedule(all(), {
      parallel: 2,
      failFast: false,
      runJob: (job, signal, slot) => {
        slots.set(job.id, slot);
        return h.runJob(job, signal);
      },
      signal: new AbortController().signal,
      notRun,
      expectedSeconds: (job) => seconds[job.suite.name] ?? 20,
    });
    const starts = h.log.filter((e) => e.event === 'start').map((e) => e.id);
    expect(starts.slice(0, 2)).toEqual(['security', 'regression']);
    expect(starts.indexOf('database')).toBe(5);
    expect(new Set(slots.values())).toEqual(new Set([0, 1]));
  });

  test('performance runs alone, after every other suite ended', async () => {
    const h = harness();
    await schedule(all(), {
      parallel: 4,
      failFast: false,
      runJob: h.runJob,
      signal: new AbortController().signal,
      notRun,
    });
    const start = h.log.find((e) => e.event === 'start' && e.id === 'performance')!;
    expect(start.concurrent).toEqual(['performance']);
    const ends = h.log.filter((e) => e.event === 'end').map((e) => e.id);
    expect(ends.at(-1)).toBe('performance');
    expect(h.log.indexOf(start)).toBeGreaterThan(
      Math.max(...h.log.flatMap((e, i) => (e.event === 'end' && e.id !== 'performance' ? [i] : []))),
    );
  });

  test('fail-fast: after a failure no new suite starts; running ones finish', async () => {
    const h = harness(
      (job) => (job.suite.name === 'database' ? 'failed' : 'passed'),
      (job) => (job.suite.name === 'database' ? 1 : 30),
    );
    const results = await schedule(all(), {
      parallel: 2,
      failFast: true,
      runJob: h.runJob,
      signal: new AbortController().signal,
      notRun,
    });
    const byId = Object.fromEntries(results.map((r) => [r.job.id, r]));
    expect(byId['api-workflows'].status).toBe('passed');
    expect(byId.database.status).toBe('failed');
    // streaming took database's slot? No: the failure came first, so nothing new started.
    for (const id of ['streaming', 'security', 'end-to-end', 'regression', 'performance']) {
      expect(byId[id].status).toBe('not_run');
      expect(byId[id].error).toContain('--fail-fast: database failed');
    }
    expect(h.log.filter((e) => e.event === 'start').map((e) => e.id)).toEqual(['api-workflows', 'database']);
  });

  test('without fail-fast a failure does not stop the others', async () => {
    const h = harness((job) => (job.suite.name === 'database' ? 'timed_out' : 'passed'));
    const results = await schedule(all(), {
      parallel: 2,
      failFast: false,
      runJob: h.runJob,
      signal: new AbortController().signal,
      notRun,
    });
    expect(results.filter((r) => r.status === 'passed')).toHaveLength(6);
    expect(results.find((r) => r.job.id === 'database')!.status).toBe('timed_out');
  });

  test('an abort stops launching and running jobs see the signal', async () => {
    const controller = new AbortController();
    const h = harness(
      () => 'passed',
      () => 10_000,
    );
    setTimeout(() => controller.abort(), 20);
    const results = await schedule(all(), {
      parallel: 2,
      failFast: false,
      runJob: h.runJob,
      signal: controller.signal,
      notRun,
    });
    expect(results.filter((r) => r.status === 'interrupted').map((r) => r.job.id)).toEqual([
      'api-workflows',
      'database',
    ]);
    expect(results.filter((r) => r.status === 'not_run')).toHaveLength(5);
  });

  test('a runJob that throws becomes an error result, the rest go on', async () => {
    const results = await schedule(all(), {
      parallel: 3,
      failFast: false,
      runJob: async (job) => {
        if (job.suite.name === 'security') throw new Error('boom');
        return result(job, 'passed');
      },
      signal: new AbortController().signal,
      notRun,
    });
    const security = results.find((r) => r.job.id === 'security')!;
    expect(security.status).toBe('error');
    expect(security.error).toBe('boom');
    expect(results.filter((r) => r.status === 'passed')).toHaveLength(6);
  });

  test('--repeat: every suite N times, each a separate job with its own id and iteration', async () => {
    const jobs = expandJobs(parseSuiteNames(['database', 'performance']).filter(Boolean), 3);
    expect(jobs.map((j) => j.id)).toEqual([
      'database#1',
      'performance#1',
      'database#2',
      'performance#2',
      'database#3',
      'performance#3',
    ]);
    const h = harness();
    const results = await schedule(jobs, {
      parallel: 4,
      failFast: false,
      runJob: h.runJob,
      signal: new AbortController().signal,
      notRun,
    });
    expect(results).toHaveLength(6);
    // The performance iterations still run one at a time, after the database ones.
    for (const e of h.log.filter((x) => x.event === 'start' && x.id.startsWith('performance')))
      expect(e.concurrent).toEqual([e.id]);
    expect(SUITES.find((s) => s.name === 'performance')!.exclusive).toBe(true);
  });
});
