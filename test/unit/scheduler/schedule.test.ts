import { describe, expect, test } from 'vitest';
import { expandJobs, jobDir, jobFiles, jobName } from '../../../src/orchestrator/scheduler/jobs.ts';
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
    // Every job but the exclusive one (performance) may run at once.
    const shared = all().length - 1;
    expect(h.max()).toBe(Math.min(parallel, shared));
    expect(results.map((r) => r.status)).toEqual(Array(all().length).fill('passed'));
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
      expectedSeconds: (job) => seconds[job.id] ?? 20,
    });
    const starts = h.log.filter((e) => e.event === 'start').map((e) => e.id);
    expect(starts.slice(0, 2)).toEqual(['security', 'regression']);
    // database (10 s) last of the shared jobs, after every 20 s one.
    expect(starts.indexOf('database')).toBe(all().length - 2);
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
    for (const id of [
      'streaming',
      'security',
      'security:limits',
      'end-to-end',
      'regression',
      'performance',
    ]) {
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
    expect(results.filter((r) => r.status === 'passed')).toHaveLength(all().length - 1);
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
    expect(results.filter((r) => r.status === 'not_run')).toHaveLength(all().length - 2);
  });

  test('a runJob that throws becomes an error result, the rest go on', async () => {
    const results = await schedule(all(), {
      parallel: 3,
      failFast: false,
      runJob: async (job) => {
        if (job.id === 'security') throw new Error('boom');
        return result(job, 'passed');
      },
      signal: new AbortController().signal,
      notRun,
    });
    const security = results.find((r) => r.job.id === 'security')!;
    expect(security.status).toBe('error');
    expect(security.error).toBe('boom');
    // Its part is a job of its own and runs.
    expect(results.find((r) => r.job.id === 'security:limits')!.status).toBe('passed');
    expect(results.filter((r) => r.status === 'passed')).toHaveLength(all().length - 1);
  });

  test("a suite's parts are jobs of their own: `<suite>:<part>`, their files, their folder, their settings", () => {
    const security = SUITES.find((s) => s.name === 'security')!;
    const jobs = expandJobs([security], 2);
    expect(jobs.map((j) => j.id)).toEqual([
      'security#1',
      'security:limits#1',
      'security#2',
      'security:limits#2',
    ]);
    const [rest, limits] = jobs;
    expect(jobName(limits)).toBe('security:limits');
    expect(jobDir(limits, 2)).toBe('security/iteration-1/limits');
    expect(jobDir(rest, 2)).toBe('security/iteration-1');
    expect(jobDir(expandJobs([security], 1)[1], 1)).toBe('security/limits');
    expect(jobFiles(limits, 'src/suites/security')).toEqual({
      paths: ['src/suites/security/rate-limit.test.ts', 'src/suites/security/login-throttle.test.ts'],
      exclude: [],
    });
    expect(jobFiles(rest, 'src/suites/security')).toEqual({
      paths: ['src/suites/security'],
      exclude: ['**/security/rate-limit.test.ts', '**/security/login-throttle.test.ts'],
    });
    // The part's own windows, on top of the suite's settings.
    expect(limits.part!.serviceEnv.PYNOMALY_API_RATE_LIMIT_WINDOW).toBe('4');
    expect(security.serviceEnv.PYNOMALY_API_RATE_LIMIT_WINDOW).toBe('20');
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
