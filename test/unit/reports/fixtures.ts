import type { RunRecord } from '../../../src/orchestrator/reports/model.ts';
import type { SuiteResult } from '../../../src/orchestrator/scheduler/types.ts';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';

const suite = (name: string) => SUITES.find((s) => s.name === name)!;

export function sampleRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const results: SuiteResult[] = [
    {
      job: { id: 'database', suite: suite('database'), iteration: 1 },
      status: 'passed',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 4200,
      phases: { stackMs: 900, testsMs: 3000 },
      tests: [
        {
          file: 'src/suites/database/crud.test.ts',
          name: 'crud > creates',
          status: 'passed',
          durationMs: 10,
          failureMessages: [],
        },
        {
          file: 'src/suites/database/crud.test.ts',
          name: 'crud > later',
          status: 'skipped',
          durationMs: 0,
          failureMessages: [],
        },
      ],
      dir: 'database',
      logFiles: ['/r/run1/database/logs/pynomaly.log'],
    },
    {
      job: { id: 'security', suite: suite('security'), iteration: 1 },
      status: 'failed',
      startedAt: '2026-01-01T00:00:01.000Z',
      durationMs: 8000,
      phases: { stackMs: 800 },
      tests: [
        {
          file: 'src/suites/security/injection.test.ts',
          name: `rejects <script>alert("x")</script> & 'quotes'`,
          status: 'failed',
          durationMs: 5,
          failureMessages: ['\u001b[31mAssertionError: expected <b> & "c"\u001b[39m\n    at line 3\u0000'],
        },
        {
          file: 'src/suites/security/auth.test.ts',
          name: 'login',
          status: 'passed',
          durationMs: 7,
          failureMessages: [],
        },
      ],
      dir: 'security',
      logFiles: [],
      serviceLogTail: '{"level":50,"msg":"<oops>"}',
    },
    {
      job: { id: 'streaming', suite: suite('streaming'), iteration: 1 },
      status: 'timed_out',
      durationMs: 60_000,
      phases: {},
      tests: [
        {
          file: 'src/suites/streaming/sessions.test.ts',
          name: 'opens',
          status: 'passed',
          durationMs: 0,
          failureMessages: [],
        },
      ],
      error: 'stopped after 60 s (--timeout)',
      dir: 'streaming',
      logFiles: [],
    },
    {
      job: { id: 'performance', suite: suite('performance'), iteration: 1 },
      status: 'not_run',
      durationMs: 0,
      phases: {},
      tests: [],
      error: '--fail-fast: security failed',
      dir: 'performance',
      logFiles: [],
    },
  ];
  return {
    runId: 'run1',
    command: 'run',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 70_000,
    exitCode: 1,
    interrupted: false,
    config: { seed: 1234 },
    images: { pynomaly: 'sha256:svc', postgres: 'sha256:pg', redis: 'sha256:rd' },
    timings: { engineMs: 10, imagesMs: 2000, suitesMs: 68_000 },
    results,
    repro: {
      run: 'npx pynomaly-it run --seed 1234',
      failed: {
        security: {
          alone: 'npx pynomaly-it run --suite security --seed 1234',
          underLoad: 'npx pynomaly-it run --suite database --suite security --seed 1234 --parallel 2',
          concurrent: ['database'],
        },
        streaming: { alone: 'npx pynomaly-it run --suite streaming --seed 1234', concurrent: [] },
      },
    },
    reportsDir: '/r/run1',
    ...overrides,
  };
}

/** A --repeat record's security suite: iteration 1 as in sampleRecord (one failure), iteration 2 all passed. */
export function repeatedSecurity(): SuiteResult[] {
  const security = sampleRecord().results[1];
  const again: SuiteResult = {
    ...security,
    job: { ...security.job, id: 'security#2', iteration: 2 },
    status: 'passed',
    tests: security.tests.map((t) => ({ ...t, status: 'passed' as const, failureMessages: [] })),
  };
  return [{ ...security, job: { ...security.job, id: 'security#1' } }, again];
}
