import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/orchestrator/config/parse.ts';
import type { RunConfig } from '../../../src/orchestrator/config/types.ts';
import { buildRecord, type RunFacts } from '../../../src/orchestrator/reports/record.ts';
import { expandJobs } from '../../../src/orchestrator/scheduler/jobs.ts';
import type { SuiteJob, SuiteResult } from '../../../src/orchestrator/scheduler/types.ts';

function config(argv: string[]): RunConfig {
  const outcome = parseConfig(['run', ...argv, '--reports-dir', '/r'], {});
  if (outcome.kind !== 'config') throw new Error('expected a config');
  return outcome.config;
}

function facts(argv: string[], over: Partial<RunFacts> = {}): RunFacts {
  const c = config(argv);
  return {
    config: c,
    command: `run ${argv.join(' ')}`,
    startedAt: Date.parse('2026-01-01T00:00:00Z'),
    endedAt: Date.parse('2026-01-01T00:01:00Z'),
    interrupted: false,
    timings: {},
    jobs: expandJobs(c.suites, c.repeat),
    results: new Map(),
    ...over,
  };
}

const result = (job: SuiteJob, status: SuiteResult['status']): SuiteResult => ({
  job,
  status,
  durationMs: 1000,
  phases: { stackMs: 100, testsMs: 800, teardownMs: 100 },
  tests: [],
  dir: job.id,
  logFiles: [],
});

describe('the run record', () => {
  test('every job has a result, in job order; jobs without one were not run', () => {
    const f = facts(['--suite', 'database', '--suite', 'security']);
    const [database, security] = f.jobs;
    const record = buildRecord({ ...f, results: new Map([[security, result(security, 'passed')]]) });
    expect(record.results.map((r) => [r.job.id, r.status])).toEqual([
      [database.id, 'not_run'],
      ['security', 'passed'],
      // The suite's part is a job of its own.
      ['security:limits', 'not_run'],
    ]);
    expect(record.durationMs).toBe(60_000);
    expect(record.exitCode).toBe(0);
  });

  test('exit code: a failed suite 1, a set-up error 2, an interruption 130 (over everything)', () => {
    const f = facts(['--suite', 'database']);
    const failed = new Map([[f.jobs[0], result(f.jobs[0], 'failed')]]);
    expect(buildRecord({ ...f, results: failed }).exitCode).toBe(1);
    expect(buildRecord({ ...f, setupError: 'engine down' }).exitCode).toBe(2);
    expect(buildRecord({ ...f, results: failed, interrupted: true }).exitCode).toBe(130);
    expect(buildRecord({ ...f, interrupted: true }).results[0].status).toBe('interrupted');
  });

  test('a failed suite gets reproduce lines naming the image IDs, built once from the results', () => {
    const ids = { pynomaly: 'sha256:a', postgres: 'sha256:b', redis: 'sha256:c' };
    const f = facts(['--suite', 'database', '--seed', '7']);
    const record = buildRecord({
      ...f,
      imageIds: ids,
      results: new Map([[f.jobs[0], result(f.jobs[0], 'failed')]]),
    });
    expect(record.repro?.failed.database.alone).toContain('--seed 7');
    expect(record.repro?.failed.database.alone).toContain('--image sha256:a');
  });
});
